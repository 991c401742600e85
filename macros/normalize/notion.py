"""Notion's "Markdown & CSV" export (normalize stage): a page file is ``Title <32 hex id>.md``; the page's
properties follow its ``# Title`` as ``Name: value`` lines (``Created: March 3, 2024 4:12 PM``, ``Tags: a, b``,
``Status: Done``). They are read into fields and taken out of the body."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

NOTION_ID = re.compile(r"\s+[0-9a-f]{32}$")
_PROPERTY = re.compile(r"^([A-Z][\w .&/()-]{0,39}):[ \t]+(\S.*)$")
_DATE_FORMATS = ("%B %d, %Y %I:%M %p", "%B %d, %Y")


@dataclass
class NotionPage:
    """What the property lines of a page said, and which body lines they were (indexes, removed)."""

    created: dt.date | None = None
    updated: dt.date | None = None
    tags: tuple[str, ...] = ()
    status: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    removed: range = range(0)


def is_notion_page(path: Path) -> bool:
    return bool(NOTION_ID.search(path.stem))


def _date(text: str) -> dt.date | None:
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def read_properties(body: str) -> NotionPage:
    """The property lines right under the page's ``# Title`` (after one blank line), up to a blank line."""
    lines = body.split("\n")
    page = NotionPage()
    if not lines or not lines[0].startswith("# ") or len(lines) < 3 or lines[1].strip():
        return page
    end = 2
    while end < len(lines) and (match := _PROPERTY.match(lines[end])):
        name, value = match.group(1).strip(), match.group(2).strip()
        key = name.casefold()
        if key in ("created", "created time", "date created"):
            page.created = _date(value)
        elif key in ("last edited time", "updated", "last edited"):
            page.updated = _date(value)
        elif key in ("tags", "tag", "multi-select"):
            page.tags = tuple(tag.strip() for tag in value.split(",") if tag.strip())
        elif key == "status":
            page.status = value
        else:
            page.extra[name] = value
        end += 1
    if end == 2 or (end < len(lines) and lines[end].strip()):
        return NotionPage()  # no property block, or prose that merely starts with "Word: ": left as written
    page.removed = range(2, min(end + 1, len(lines)))  # the properties and the blank line after them
    return page
