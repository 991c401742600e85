"""Enrich stage, listed titles: how each note is named wherever notes are listed (navigation, note tables,
backlinks, domain pages). Notes whose titles are equal or nearly so (after folding dashes, case and
whitespace: "Specialty - A" and "Specialty – a") get a distinguishing subtitle: their date, else their
source format, else their file name, so a reader can tell them apart.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Note

_DASHES = re.compile(r"[\u2010-\u2015\u2212\-]+")
FORMAT_NAMES = {"notable": "Notable note", "wiki.js": "wiki.js page", "obsidian": "Obsidian note",
                "entity": "entity note", "blog": "blog post", "jekyll": "Jekyll post", "hugo": "Hugo page",
                "essay": "essay", "markdown": "Markdown note", "notion": "Notion page"}


def folded_title(title: str) -> str:
    """A title as compared for near-equality: dashes as one "-", case folded, whitespace runs as one space."""
    return " ".join(_DASHES.sub("-", title).casefold().split())


def _date(note: Note) -> str:
    value = note.updated or note.created or note.changed
    return value.isoformat() if value else ""


def _file_name(note: Note) -> str:
    return note.source.replace("\\", "/").rsplit("/", 1)[-1]


def listed_titles(notes: Iterable[Note]) -> dict[str, str]:
    """Note slug → the title to list it under: its own, plus " (subtitle)" where another note's title is
    (nearly) the same."""
    groups: dict[str, list[Note]] = {}
    for note in notes:
        groups.setdefault(folded_title(note.title), []).append(note)
    listed: dict[str, str] = {}
    for members in groups.values():
        if len(members) == 1:
            listed[members[0].slug] = members[0].title
            continue
        for describe in (_date, lambda n: FORMAT_NAMES.get(n.dialect, n.dialect), _file_name):
            labels = [describe(note) for note in members]
            if all(labels) and len(set(labels)) == len(labels):
                break
        for note, label in zip(members, labels):
            listed[note.slug] = f"{note.title} ({label})"
    return listed
