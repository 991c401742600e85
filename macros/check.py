"""Check stage: the one place that decides what is a problem worth reporting.

Returns ``Problem`` objects (file, line, message); the MkDocs adapter logs them so that
``mkdocs build --strict`` fails on any of them.
"""
from __future__ import annotations

from collections.abc import Iterable

from .model import Link, Note, Problem
from .render import ATTACHMENT_DIR

ATTACHMENT_PREFIX = "@attachment/"


def check_notes(notes: Iterable[Note]) -> list[Problem]:
    """Problems found while loading and normalizing notes (front matter, encoding, titles)."""
    return [problem for note in notes for problem in note.problems]


def check_attachments(notes: Iterable[Note], links: Iterable[Link], present: set[str]) -> list[Problem]:
    """An ``@attachment/NAME`` reference whose file is not in the attachments folder."""
    sources = {note.slug: note.source for note in notes}
    problems = []
    for link in links:
        if link.url.startswith(ATTACHMENT_PREFIX):
            name = link.url[len(ATTACHMENT_PREFIX):]
            if name not in present:
                problems.append(Problem(sources[link.note_slug], link.line,
                                        f"attachment '{name}' is missing: put it in the notes' {ATTACHMENT_DIR}/ folder",
                                        "finding", "attachment"))
    return problems
