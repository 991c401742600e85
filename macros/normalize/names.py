"""Names from file names: a note's slug (its URL part) and a readable title (normalize stage)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from ..catalog import slugify
from ..model import RESERVED_NOTE_SLUGS, printable

_NOTION_ID = re.compile(r"\s+[0-9a-f]{32}$")
_JEKYLL_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")


def _name_slug(name: str) -> str:
    return slugify(_NOTION_ID.sub("", name))


def shared_names(paths: Iterable[Path]) -> frozenset[str]:
    """The file-name slugs notes in different folders share (two ``Overview.md``): ``note_slug`` gives
    each of them a slug from its folder too, so neither takes the bare name."""
    folders: dict[str, set[Path]] = {}
    for path in paths:
        folders.setdefault(_name_slug(path.stem) or "note", set()).add(path.parent)
    return frozenset(name for name, found in folders.items() if len(found) > 1)  # a.md beside a.txt: one folder


def note_slug(path: Path, taken: set[str], shared: frozenset[str] = frozenset()) -> str:
    """Stable URL part from the file name (a Notion id left out); a name several notes share is prefixed with the
    note's folder ("eda-overview"); a clash left (a.md beside a.txt) adds the extension, a generated page's name
    (``index``) a number."""
    slug = _name_slug(path.stem) or "note"
    if slug in shared and _name_slug(path.parent.name):
        slug = f"{_name_slug(path.parent.name)}-{slug}"
    if slug in RESERVED_NOTE_SLUGS:
        slug += "-2"
    if slug in taken:
        slug = f"{slug}-{path.suffix.lstrip('.').lower()}"
    while slug in taken:
        slug += "-1"
    taken.add(slug)
    return slug


def title_from_file_name(path: Path) -> tuple[str, dt.date | None]:
    """A readable title from a file name: Notion's id suffix and Jekyll's date prefix removed."""
    stem = _NOTION_ID.sub("", path.stem)
    date = None
    match = _JEKYLL_DATE.match(stem)
    if match:
        stem = match.group(2)
        date = dt.date.fromisoformat(match.group(1))
    return printable(re.sub(r"[-_]+", " ", stem).strip() or path.stem), date
