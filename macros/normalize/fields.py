"""Front-matter fields of every dialect read into canonical ``Note`` fields, with problems naming file, line
and field (normalize stage)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dateutil import parser as date_parser

from ..fuzzy import close_match, one_edit_match
from ..load import RawNote
from ..model import Exam, Problem

# Canonical field -> front-matter keys that mean it, in order of preference.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "description": ("description", "summary", "excerpt", "subtitle"),
    "tags": ("tags", "tag", "keywords"),
    "domains": ("domains", "domain", "exam_domains"),
    "created": ("created", "dateCreated", "date_created", "created_at", "creation_date", "date"),
    "updated": ("modified", "updated", "lastmod", "last_modified", "last_updated", "dateModified",
                "date_modified", "updated_at", "date"),
    "draft": ("draft",),
    "published": ("published",),
    "studied": ("studied", "study_start_date", "started"),
    "status": ("status",),
    "attachments": ("attachments",),
}
KNOWN_KEYS = {key for keys in FIELD_ALIASES.values() for key in keys}
# Keys of other tools one letter away from a known key: never a typo of it.
OTHER_TOOLS_KEYS = frozenset({"starred"})  # Notable's favourite flag (not "started")

_ISO_DATE = re.compile(r"[ \t]*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?[ \t]*\Z")


class _FieldReader:
    """Reads canonical fields from one front matter, recording problems with file, line and field."""

    def __init__(self, raw: RawNote, exam: Exam) -> None:
        self.raw = raw
        self.data = raw.front_matter or {}
        self.exam = exam
        self.problems: list[Problem] = []
        self.used: set[str] = set()
        # Hugo reads front-matter keys case-insensitively ("Title", "lastMod"), and so do other tools'
        # exports; an exact match wins over one that differs only in case.
        self.folded: dict[str, str] = {}
        for key in self.data:
            if key.casefold() not in self.folded or key.casefold() == key:
                self.folded[key.casefold()] = key

    def key_for(self, canonical: str, exclude: str | None = None) -> str | None:
        for alias in FIELD_ALIASES[canonical]:
            key = alias if alias in self.data else self.folded.get(alias.casefold())
            if key is not None and key != exclude:
                return key
        return None

    def problem(self, key: str, message: str, code: str = "field/invalid") -> None:
        line = self.raw.front_matter_lines.get(key, self.raw.body_line - 1 if self.raw.front_matter else 1)
        self.problems.append(Problem(self.raw.shown, line, message, "error", key, code=code))

    def text(self, canonical: str) -> str:
        key = self.key_for(canonical)
        if key is None:
            return ""
        self.used.add(key)
        value = self.data[key]
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            self.problem(key, f"'{key}' must be text, got a {type(value).__name__}")
            return ""
        return str(value).strip()

    def tags(self) -> tuple[str, ...]:
        key = self.key_for("tags")
        if key is None:
            return ()
        self.used.add(key)
        value = self.data[key]
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            # "a, b" (Quartz, Notion) or "a b" (Jekyll): both are lists of tags.
            items = value.split(",") if "," in value else value.split()
        elif isinstance(value, list) and all(v is None or isinstance(v, (str, int, float)) for v in value):
            items = [str(v) for v in value if v is not None]  # "[a, ]" has an empty item
        else:
            # A bare number ("tags: 5") is the schema's example of a wrong type: almost always a slip.
            self.problem(key, f"'{key}' must be a list of words such as [sagemaker, glue] or a comma-separated text, "
                              f"got {value!r}" + (f' (write [\"{value}\"] for a tag named {value})'
                                                  if isinstance(value, (int, float)) and not isinstance(value, bool) else ""))
            return ()
        seen: dict[str, None] = {}
        for item in items:
            tag = item.strip().lstrip("#").strip()
            if tag:
                seen.setdefault(tag, None)
        return tuple(seen)

    def date(self, canonical: str, exclude: str | None = None) -> tuple[dt.date | None, str | None]:
        key = self.key_for(canonical, exclude)
        if key is None:
            return None, None
        self.used.add(key)
        value = self.data[key]
        if value is None or value == "":
            return None, key
        if isinstance(value, dt.datetime):
            return value.date(), key
        if isinstance(value, dt.date):
            return value, key
        if isinstance(value, str):
            if _ISO_DATE.match(value):  # the usual "2024-03-05T10:00:00.000Z": no need for dateutil's parser
                try:
                    return dt.datetime.fromisoformat(value.strip()).date(), key
                except ValueError:
                    pass  # "2024-02-30", "…T25:00": dateutil's parser decides, as for any other text
            try:
                return date_parser.parse(value).date(), key
            except (ValueError, OverflowError):
                pass
        self.problem(key, f"'{key}' is not a date: {value!r}; write it as YYYY-MM-DD, e.g. 2024-03-05")
        return None, key

    def flag(self, canonical: str) -> bool | None:
        key = self.key_for(canonical)
        if key is None:
            return None
        self.used.add(key)
        value = self.data[key]
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"true", "yes", "false", "no"}:
            return value.strip().lower() in {"true", "yes"}
        self.problem(key, f"'{key}' must be true or false, got {value!r}")
        return None

    def domains(self) -> tuple[int, ...]:
        key = self.key_for("domains")
        if key is None:
            return ()
        self.used.add(key)
        value = self.data[key]
        values = value if isinstance(value, list) else [value]
        found: list[int] = []
        for item in values:
            number = resolve_domain(item, self.exam)
            if number is None:
                accepted = ", ".join(f"{d.number} ({d.name})" for d in self.exam.domains)
                guess = close_match(str(item), [d.name for d in self.exam.domains]) if isinstance(item, str) else None
                hint = f" (did you mean '{guess}'?)" if guess else ""
                self.problem(key, f"unknown domain {item!r} in '{key}'{hint}; accepted: {accepted}",
                             "field/unknown-domain")
            elif number not in found:
                found.append(number)
        return tuple(found)

    def close_keys(self) -> None:
        """An unknown key close to a known one is most likely a typo ("tittle:"): a finding at its line. The key
        stays in "About this note", as every unknown key does."""
        for key in self.data:
            if (key in self.used or not isinstance(key, str) or key.casefold() in self.folded_known
                    or key.casefold() in OTHER_TOOLS_KEYS):
                continue
            guess = one_edit_match(key, KNOWN_KEYS)
            if guess is not None:
                line = self.raw.front_matter_lines.get(key, 1)
                self.problems.append(Problem(self.raw.shown, line, f"unknown front-matter key '{key}' (did you mean "
                                             f"'{guess}'?): it is shown in \"About this note\", not used",
                                             "finding", key, code="field/unknown-key"))

    folded_known = frozenset(k.casefold() for k in KNOWN_KEYS)

    def texts(self, canonical: str) -> tuple[str, ...]:
        key = self.key_for(canonical)
        if key is None:
            return ()
        self.used.add(key)
        value = self.data[key]
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list):
            return tuple(str(v) for v in value)
        self.problem(key, f"'{key}' must be a list of file names, got {value!r}")
        return ()


def resolve_domain(value: Any, exam: Exam) -> int | None:
    """A domain given as 2, "2", "Domain 2", "domain-2" or its name (any case) → its number."""
    if isinstance(value, bool):
        return None
    text = str(value).strip().casefold()
    match = re.fullmatch(r"(?:domain[\s_-]*)?(\d+)", text)
    if match:
        number = int(match.group(1))
        return number if exam.domain(number) else None
    for domain in exam.domains:
        if text in {domain.name.casefold(), domain.slug, domain.title.casefold()}:
            return domain.number
    return None
