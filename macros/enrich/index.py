"""Enrich stage, note index: register every note's path, file name, title, aliases (and, through ``AssetIndex``,
every asset file) first, then resolve relative links, [[wikilinks]] and embeds against them (mkdocs-autorefs'
register-then-resolve). Wikilinks resolve as Obsidian does: by path (``[[folder/Note]]``, ``[[Note.md]]``) or by
file name, case-insensitive; a name several notes share leads to the one in the linking note's folder, else the
one with the shortest path (the first by path order among equals), and is reported as ambiguous, naming them all.
"""
from __future__ import annotations

import dataclasses
import difflib
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from markdown.extensions.toc import slugify as toc_slugify

from ..model import Link, Note
from .assets import AssetIndex

NOTE_EXTENSIONS = (".md", ".markdown", ".txt")


@dataclasses.dataclass(frozen=True)
class Target:
    """Where an internal link of a note leads."""

    kind: str  # "note", "attachment" (an asset file), "anchor" (same page), "missing"
    note_slug: str = ""
    anchor: str = ""
    attachment: str = ""  # for "attachment": the file's path relative to the notes folder
    message: str = ""
    code: str = ""  # for "missing": link/broken (no such note or attachment) or link/anchor (no such heading)
    others: tuple[str, ...] = ()  # as near as the target (an ambiguous name): note sources or asset paths
    heading: str = ""  # the heading as the reader sees it, for a link to a heading of another note


_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _without_extension(path: str) -> str:
    stem, dot, suffix = path.rpartition(".")
    return stem if dot and "." + suffix.lower() in NOTE_EXTENSIONS and "/" not in suffix else path


class NoteIndex:
    """Finds notes by path, file name (with or without extension), title or alias, and assets by path or name."""

    def __init__(self, notes: Iterable[Note], notes_dir: str, attachments: set[str],
                 assets: AssetIndex | None = None, shown_folder: str | None = None) -> None:
        notes = list(notes)
        self.notes_dir = notes_dir
        self.attachments = attachments
        self.assets = assets if assets is not None else AssetIndex({f"attachments/{name}": Path(name) for name in attachments})
        prefix = (shown_folder if shown_folder is not None else notes_dir.replace("\\", "/")).rstrip("/") + "/"
        self.shown_prefix = prefix  # the notes folder as note sources show it, with a final "/"
        self._resolved: dict[tuple[str, str, bool], Target | None] = {}
        self.by_path: dict[str, Note] = {}
        self.relative: dict[str, str] = {}  # note slug -> its path relative to the notes folder
        self.by_relative: dict[str, Note] = {}  # relative path, folded, with and without extension
        self.by_stem: dict[str, list[Note]] = {}  # file name without extension, folded
        self.by_name: dict[str, Note] = {}  # titles and aliases, folded (and file names, for older callers)
        for note in notes:
            path = note.source.replace("\\", "/")
            self.by_path[path] = note
            relative = path[len(prefix):] if path.startswith(prefix) else path
            self.relative[note.slug] = relative
            for key in (relative.casefold(), _without_extension(relative).casefold()):
                self.by_relative.setdefault(key, note)
            name = relative.rsplit("/", 1)[-1]
            self.by_stem.setdefault(_without_extension(name).casefold(), []).append(note)
            self.by_name.setdefault(name.casefold(), note)
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
        self.names = sorted({*(_without_extension(r.rsplit("/", 1)[-1]) for r in self.relative.values()),
                             *(note.title for note in notes), *(p.rsplit("/", 1)[-1] for p in self.assets.files)})

    def folder_of(self, note: Note) -> str:
        relative = self.relative.get(note.slug, note.source)
        return relative.rpartition("/")[0]

    def anchor_in(self, note: Note, heading: str) -> str | None:
        """The anchor of ``heading`` (an anchor or a heading text) in ``note``, if it has one."""
        wanted = heading.strip()
        slug = None
        for section in note.sections:
            if wanted in (section.anchor, section.title) or wanted.casefold() == section.title.casefold():
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

    def suggestion(self, name: str) -> str:
        """The note or file name nearest ``name`` (" (did you mean 'x'?)"), or ""."""
        wanted = name.rsplit("/", 1)[-1].strip()
        near = difflib.get_close_matches(wanted, self.names, n=1, cutoff=0.75) if wanted else []
        if not near:
            folded = {n.casefold(): n for n in self.names}
            near = [folded[m] for m in difflib.get_close_matches(wanted.casefold(), list(folded), n=1, cutoff=0.75)]
        return f" (did you mean '{near[0]}'?)" if near else ""

    def _missing(self, url: str, name: str) -> Target:
        return Target("missing", message=f"link to '{url}': no note or attachment has that name{self.suggestion(name)}",
                      code="link/broken")

    def _note_by_wiki_name(self, note: Note, name: str) -> tuple[Note | None, tuple[str, ...]]:
        """The note ``[[name]]`` leads to, with the other notes as near (ambiguous) as it."""
        wanted = _without_extension(name.strip().replace("\\", "/")).casefold()
        if "/" in wanted:
            exact = self.by_relative.get(wanted.lstrip("/"))
            if exact is not None:
                return exact, ()
            base = wanted.rsplit("/", 1)[-1]
            candidates = [n for n in self.by_stem.get(base, [])
                          if ("/" + _without_extension(self.relative[n.slug]).casefold()).endswith("/" + wanted.lstrip("/"))]
        else:
            candidates = self.by_stem.get(wanted, [])
        if not candidates:
            return self.by_name.get(name.strip().casefold()), ()
        if len(candidates) == 1:
            return candidates[0], ()
        folder = self.folder_of(note)
        here = [c for c in candidates if self.folder_of(c) == folder]
        if here:
            return here[0], ()
        ranked = sorted(candidates, key=lambda c: (self.relative[c.slug].count("/"), self.relative[c.slug]))
        return ranked[0], tuple(c.source for c in ranked[1:])

    def _resolve(self, note: Note, url: str, wiki: bool) -> Target | None:
        if not wiki and (_URL_SCHEME.match(url) or url.startswith(("//", "/", "@"))):
            return None
        path, _, fragment = url.partition("#")
        if not path:
            anchor = self.anchor_in(note, fragment) if fragment else None
            return Target("anchor", note.slug, anchor) if anchor else Target(
                "missing", message=f"link to '#{fragment}': this note has no such heading", code="link/anchor")
        others: tuple[str, ...] = ()
        if wiki:
            target, others = self._note_by_wiki_name(note, path)
            if target is None:
                asset = self.assets.resolve(self.folder_of(note), path.strip())
                if asset.path:
                    return Target("attachment", attachment=asset.path, others=asset.others)
                return self._missing(url, path)
        else:
            decoded = unquote(path)
            joined = posixpath.normpath(posixpath.join(self.folder_of(note), decoded))
            target = self.by_relative.get(joined.casefold())
            if target is None:
                asset = self.assets.resolve(self.folder_of(note), path)
                if asset.path and not decoded.lower().endswith(NOTE_EXTENSIONS):
                    return Target("attachment", attachment=asset.path, others=asset.others)
                return self._missing(url, decoded)
        if fragment:
            anchor = self.anchor_in(target, fragment)
            if anchor is None:
                return Target("missing", message=f"link to '{url}': '{target.source}' has no heading '{fragment}'",
                              code="link/anchor")
            heading = next((s.title for s in target.sections if s.anchor == anchor), fragment)
            return Target("note", target.slug, anchor, others=others, heading=heading)
        return Target("note", target.slug, others=others)


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
