"""Enrich stage, assets: every file of the notes folder registered first (``attachments.asset_files``), then each
image or file reference of a note resolved the way the note's tool does it (Obsidian's rule): relative to the note,
then from the notes folder's top, then by file name anywhere in the folder: the note's own folder first, then the
shortest path (the first by path order among equals). A bare name several files share outside the note's folder
is ambiguous: the check stage reports it, naming every candidate. Nothing outside the notes folder is ever looked up.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..paths import ATTACHMENT_DIR, asset_page, attachment_page

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_UNSAFE_SEGMENT = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class AssetTarget:
    """Where an image or file reference leads: ``path`` (relative to the notes folder), or "" with ``refused``
    saying why nothing was looked up; ``others``: candidates as near as ``path`` (an ambiguous name)."""

    path: str = ""
    others: tuple[str, ...] = ()
    refused: str = ""


def reference_path(ref: str) -> str | None:
    """A reference as a path (percent-decoded, "/"-separated, no "#fragment"), or None for an absolute path, a
    URL or a NUL byte: those are never looked up."""
    path = unquote(ref.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/").strip()
    if not path or "\x00" in path or path.startswith("/") or _SCHEME.match(path):
        return None
    return path


def _published_name(path: str, taken: set[str]) -> str:
    """A safe, unique docs path for the asset at ``path``: each folder and file name slugged."""
    parts = [_UNSAFE_SEGMENT.sub("-", part).strip("-.").lower() or "file" for part in path.split("/")]
    stem, dot, suffix = parts[-1].rpartition(".")
    name = "/".join(parts)
    number = 1
    while name in taken:
        number += 1
        name = "/".join([*parts[:-1], f"{stem}-{number}{dot}{suffix}" if dot else f"{parts[-1]}-{number}"])
    taken.add(name)
    return name


class AssetIndex:
    """The asset files of one notes folder, by path and by file name (case-insensitive, as Obsidian)."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        self.files = dict(files)
        self.by_folded: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for path in sorted(self.files):
            self.by_folded.setdefault(path.casefold(), path)
            self.by_name.setdefault(path.rsplit("/", 1)[-1].casefold(), []).append(path)
        taken: set[str] = set()
        self.pages = {path: self._page(path, taken) for path in sorted(self.files)}

    @staticmethod
    def _page(path: str, taken: set[str]) -> str:
        folder, _, name = path.rpartition("/")
        if folder == ATTACHMENT_DIR:  # the legacy attachments folder keeps its URLs
            return attachment_page(name)
        return asset_page(_published_name(path, taken))

    def _exact(self, path: str) -> str | None:
        return path if path in self.files else self.by_folded.get(path.casefold())

    def resolve(self, note_folder: str, ref: str) -> AssetTarget:
        """Target of ``ref`` written in a note of ``note_folder`` (relative to the notes folder, "" at its top)."""
        path = reference_path(ref)
        if path is None:
            return AssetTarget(refused="an absolute path or URL is not a file of the notes folder")
        joined = posixpath.normpath(posixpath.join(note_folder, path))
        if joined == ".." or joined.startswith("../"):
            return AssetTarget(refused="it leads out of the notes folder")
        found = self._exact(joined) or self._exact(posixpath.normpath(path).lstrip("./"))
        if found:
            return AssetTarget(found)
        wanted = "/" + posixpath.normpath(path).lstrip("./").casefold()
        candidates = self.by_name.get(joined.rsplit("/", 1)[-1].casefold(), [])
        if "/" in wanted[1:]:  # "images/x.png": the files whose path ends so
            candidates = [c for c in candidates if ("/" + c.casefold()).endswith(wanted)] or candidates
        if not candidates:
            return AssetTarget()
        here = [c for c in candidates if c.rpartition("/")[0] == note_folder]
        if here:
            return AssetTarget(here[0])
        # The shortest path wins (the first by path order among equals); the others are named in a finding.
        ranked = sorted(candidates, key=lambda c: (c.count("/"), c))
        return AssetTarget(ranked[0], tuple(ranked[1:]))

    def page(self, path: str) -> str:
        """The docs path the asset at ``path`` is published at."""
        return self.pages[path]
