"""Note pages kept across builds: under ``mkdocs serve`` a rebuild renders again only the notes whose page
can have changed (a tenth of a rebuild at 1,000 notes went to rendering every note page again).

A note's page (``render_note``) reads:

- the note itself, and its scan for service mentions: the same objects while its file is unchanged
  (``notecache``), with the exam, catalog and matcher (the same objects while their files are unchanged);
- the date its file last changed (set on every build);
- the notes linking to it (backlinks: their listed titles and pages) and the link findings about it;
- the notes it embeds (``![[Note]]`` shows their text): the same objects while their files are unchanged;
- what its links resolve against, the same for every note: every note's path, slug, title, aliases and
  headings, the listed titles, the attachments and asset files (the *link surface*).

A page is reused only while all of these are unchanged; a change of the link surface (a new title, heading or
note) renders every note again. The memo holds one page per note of the last build.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..enrich import SiteIndex
from ..model import Note, Site


def link_surface(site: Site, index: SiteIndex) -> str:
    """Digest of what every note's links resolve against (see the module's text)."""
    notes = index.notes
    parts: list[Any] = [notes.notes_dir, notes.shown_prefix, sorted(notes.attachments), sorted(notes.assets.files),
                        sorted(index.listed_titles.items())]
    for note in site.notes:
        aliases = note.extra.get("aliases")
        parts.append((note.source, note.slug, note.page_path, note.title, note.dialect == "broken", repr(aliases),
                      tuple((section.anchor, section.title) for section in note.sections)))
    return hashlib.sha1(repr(parts).encode("utf-8", "surrogateescape")).hexdigest()  # noqa: S324 - a cache key


@dataclass
class _Page:
    note: Note
    shared: tuple[Any, ...]  # (exam, catalog, matcher, link surface): compared by identity, then the digest
    own: tuple[tuple[Any, ...], tuple[Any, ...]]  # ((scan, embedded notes…), (changed, backlinks, findings))
    markdown: str


class NotePages:
    """The memo: note slug → its last page, with hit and miss counters (tests and the benchmark read them)."""

    def __init__(self) -> None:
        self.pages: dict[str, _Page] = {}
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        self.pages.clear()
        self.hits = self.misses = 0

    def page(self, note: Note, shared: tuple[Any, ...], own: tuple[tuple[Any, ...], tuple[Any, ...]],
             render: Callable[[], str]) -> str:
        """The note's page: the last one if ``note``, ``shared`` and ``own`` are what it was rendered from."""
        last = self.pages.get(note.slug)
        if (last is not None and last.note is note and _same(last.shared, shared) and _identical(last.own[0], own[0])
                and last.own[1] == own[1]):
            self.hits += 1
            return last.markdown
        self.misses += 1
        markdown = render()
        self.pages[note.slug] = _Page(note, shared, own, markdown)
        return markdown

    def keep_only(self, slugs: set[str]) -> None:
        """Forget the notes that are gone: memory stays bounded by the last build's notes."""
        for slug in [slug for slug in self.pages if slug not in slugs]:
            del self.pages[slug]


def _identical(last: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    return len(last) == len(now) and all(a is b for a, b in zip(last, now))


def _same(last: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """The same exam, catalog and matcher objects, and the same link surface digest."""
    return _identical(last[:-1], now[:-1]) and last[-1] == now[-1]


NOTE_PAGES = NotePages()
