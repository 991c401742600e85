"""Enrich stage, note index: register every note's file path, file name, title and aliases first, then
resolve relative links and [[wikilinks]] against them (mkdocs-autorefs' register-then-resolve).
"""
from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Iterable

from markdown.extensions.toc import slugify as toc_slugify

from ..model import Link, Note


@dataclasses.dataclass(frozen=True)
class Target:
    """Where an internal link of a note leads."""

    kind: str  # "note", "attachment", "anchor" (same page), "missing"
    note_slug: str = ""
    anchor: str = ""
    attachment: str = ""
    message: str = ""
    code: str = ""  # for "missing": link/broken (no such note or attachment) or link/anchor (no such heading)


_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


class NoteIndex:
    """Finds notes by file name (with or without extension) or title, for relative links and [[wikilinks]]."""

    def __init__(self, notes: Iterable[Note], notes_dir: str, attachments: set[str]) -> None:
        self.notes_dir = notes_dir
        self.attachments = attachments
        self._resolved: dict[tuple[str, str, bool], Target | None] = {}
        self.by_path: dict[str, Note] = {}
        self.by_name: dict[str, Note] = {}
        for note in notes:
            path = note.source.replace("\\", "/")
            self.by_path[path] = note
            name = path.rsplit("/", 1)[-1]
            self.by_name.setdefault(name.casefold(), note)
            self.by_name.setdefault(name.rsplit(".", 1)[0].casefold(), note)
        # Titles and aliases another note already claimed: [[name]] leads to the first (Sphinx's term registry
        # warns the same way, naming both places). (name as written, note registered first, the other note)
        self.clashes: list[tuple[str, Note, Note]] = []
        claimed: dict[str, Note] = {}
        for note in notes:
            aliases = note.extra.get("aliases") or []  # Obsidian: [[alias]] links to the note
            for name in (note.title, *(str(a) for a in ([aliases] if isinstance(aliases, str) else aliases))):
                first = claimed.setdefault(name.casefold(), note)
                if first is not note and first.dialect != "broken" and note.dialect != "broken":
                    self.clashes.append((name, first, note))
                self.by_name.setdefault(name.casefold(), note)

    def anchor_in(self, note: Note, heading: str) -> str | None:
        """The anchor of ``heading`` (an anchor or a heading text) in ``note``, if it has one."""
        wanted = heading.strip()
        slug = None
        for section in note.sections:
            if wanted in (section.anchor, section.title):
                return section.anchor
            if slug is None:
                slug = toc_slugify(wanted, "-")
            if slug == section.anchor:
                return section.anchor
        return None

    def resolve(self, note: Note, url: str, wiki: bool = False) -> Target | None:
        """Target of an internal link written in ``note``; None for external links and other pages' URLs."""
        # Memoized: the check stage, backlinks and the note's page each ask for every link.
        key = (note.slug, url, wiki)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(note, url, wiki)
        return self._resolved[key]

    def _resolve(self, note: Note, url: str, wiki: bool) -> Target | None:
        if not wiki and (_URL_SCHEME.match(url) or url.startswith(("//", "/", "@"))):
            return None
        path, _, fragment = url.partition("#")
        if not path:
            anchor = self.anchor_in(note, fragment) if fragment else None
            return Target("anchor", note.slug, anchor) if anchor else Target(
                "missing", message=f"link to '#{fragment}': this note has no such heading", code="link/anchor")
        if wiki:
            target = self.by_name.get(path.strip().casefold())
        else:
            base = note.source.rsplit("/", 1)[0] if "/" in note.source else ""
            joined = posixpath.normpath(posixpath.join(base, path.replace("%20", " ")))
            target = self.by_path.get(joined)
            name = joined.rsplit("/", 1)[-1]
            if target is None and name in self.attachments:
                return Target("attachment", attachment=name)
        if target is None:
            if wiki and path.strip() in self.attachments:
                return Target("attachment", attachment=path.strip())
            return Target("missing", message=f"link to '{url}': no note or attachment has that name", code="link/broken")
        if fragment:
            anchor = self.anchor_in(target, fragment)
            if anchor is None:
                return Target("missing", message=f"link to '{url}': '{target.source}' has no heading '{fragment}'",
                              code="link/anchor")
            return Target("note", target.slug, anchor)
        return Target("note", target.slug)


def backlinks(site_links: Iterable[Link], index: NoteIndex, notes: Iterable[Note]) -> dict[str, list[Link]]:
    """Target note slug → the links from other notes that lead to it (derived, never stored)."""
    by_slug = {n.slug: n for n in notes}
    found: dict[str, list[Link]] = {}
    for link in site_links:
        if link.is_external or link.note_slug not in by_slug:
            continue
        target = index.resolve(by_slug[link.note_slug], link.url, link.wiki)
        if target and target.kind == "note" and target.note_slug != link.note_slug:
            found.setdefault(target.note_slug, []).append(link)
    return found
