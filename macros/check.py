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


def check_service_names(notes: Iterable[Note], matcher, catalog) -> list[Problem]:  # noqa: ANN001
    """Phrases that look like an AWS service but are not in the catalog, and likely misspellings."""
    if matcher is None:
        return []
    problems = []
    for note in notes:
        if note.dialect == "broken":
            continue
        for suspect in matcher.suspects(note.body):
            line = note.line_at(suspect.start)
            if suspect.kind == "misspelling":
                message = f"'{suspect.text}' looks like a misspelling of '{suspect.suggestion}'"
                hint = "fix the spelling, or add it to that service's misspellings in seeds/services.yml"
            else:
                message = f"'{suspect.text}' looks like an AWS service that is not in the glossary catalog"
                hint = "add it to seeds/services.yml"
            problems.append(Problem(note.source, line, f"{message}: {hint}", "error", "service"))
    return problems
