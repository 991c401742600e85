"""Normalize stage: ``RawNote`` → ``Note``, whatever the dialect.

Fills every ``Note`` field except ``sections`` (see ``enrich``). Front-matter keys of the
known dialects (blog, wiki.js, Notable, Obsidian, Jekyll, Hugo, entity notes, Notion
exports) are mapped through ``FIELD_ALIASES``; keys it does not know are kept in
``Note.extra`` and shown on the note's page. Plain-text essays become Markdown.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from dateutil import parser as date_parser

from .catalog import slugify
from .fuzzy import close_match, one_edit_match
from .load import RawNote
from .model import RESERVED_NOTE_SLUGS, Exam, Note, Problem

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

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ISO_DATE = re.compile(r"[ \t]*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?[ \t]*\Z")
_NOTION_ID = re.compile(r"\s+[0-9a-f]{32}$")
_JEKYLL_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_MARKDOWN_SIGNS = re.compile(r"^(#{1,6} |[-*+] |\d+\. |> |```|~~~|\|)|\[[^\]]+\]\(|\*\*[^*]+\*\*", re.M)


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


def note_slug(path: Path, taken: set[str]) -> str:
    """Stable URL part from the file name; a clash (a.md beside a.txt) adds the extension, a generated page's
    name (``index``) a number."""
    slug = slugify(path.stem) or "note"
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
    return re.sub(r"[-_]+", " ", stem).strip() or path.stem, date


_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
# Lines that are something else than paragraph text, so a "---" under them is not a setext underline.
_NOT_PARAGRAPH = re.compile(r"^(?: {4}|\t| {0,3}(?:[-*+][ \t]|\d+[.)][ \t]|>|#|\||<|```|~~~|\[\^?[^\]]*\]:))")


def setext_level(lines: list[str], index: int) -> int:
    """1 or 2 when ``lines[index]`` is the text of a setext heading (a line over "===" or "---"), else 0.

    Only a one-line paragraph counts, the way notes write them; a "---" after a blank line is a rule.
    """
    if index + 1 >= len(lines) or not lines[index].strip() or (index > 0 and lines[index - 1].strip()):
        return 0
    underline = _SETEXT_UNDERLINE.match(lines[index + 1])
    if not underline or _NOT_PARAGRAPH.match(lines[index]):
        return 0
    return 1 if underline.group(1)[0] == "=" else 2


def first_heading(body: str) -> tuple[str | None, int]:
    """The first H1 (ATX or setext) outside code blocks and its line index in ``body`` (or None, -1)."""
    fence = None
    lines = body.split("\n")
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)[0]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence:
            continue
        heading = _ATX_HEADING.match(line)
        if heading and len(heading.group(1)) == 1:
            return heading.group(2).strip(), index
        if setext_level(lines, index) == 1:
            return line.strip(), index
    return None, -1


def is_plain_text(raw: RawNote) -> bool:
    """An essay: a .txt file with no front matter and no Markdown syntax at all."""
    return raw.path.suffix.lower() == ".txt" and raw.front_matter is None and not _MARKDOWN_SIGNS.search(raw.body)


# Inline syntax of Markdown and of the enabled pymdownx extensions (~~del~~, ^^ins^^, ==mark==, ++key++).
# Python-Markdown honours a backslash before these; "<", ">" and "&" need entities ("\\<" shows the backslash).
_ESSAY_ESCAPE = re.compile(r"([\\`*_\[\]{}|~^=+])")
_ESSAY_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Block syntax at the start of a line: heading, list, admonition (!!!), details (???), ordered list ("1." / "1)").
_LINE_START_ESCAPE = re.compile(r"^(\s*)(?:([#!-])|(\d+)([.)])|\?)")


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)}\\{match.group(2)}"
    if match.group(3):
        return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"
    return f"{match.group(1)}&#63;"


def _escape_plain(line: str) -> str:
    """Escape Markdown syntax so a plain-text line renders exactly as written."""
    line = re.sub(r"[&<>]", lambda m: _ESSAY_ENTITIES[m.group(0)], line)
    return _LINE_START_ESCAPE.sub(_escape_line_start, _ESSAY_ESCAPE.sub(r"\\\1", line))


def is_essay_heading(line: str) -> bool:
    """Short lines without a final full stop are an essay's headings."""
    text = line.strip()
    return 0 < len(text) <= 90 and text[-1] not in ".!?:;,…\"'”)" and len(text.split()) <= 12


def essay_to_markdown(body: str) -> tuple[str, list[int], str]:
    """Plain text → (Markdown, source line of each Markdown line, title). First line is the title."""
    lines = body.split("\n")
    out: list[str] = []
    source_lines: list[int] = []
    title = ""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if not title:
            title = line.strip()
            text = f"# {_escape_plain(title)}"
        elif is_essay_heading(line):
            text = f"## {_escape_plain(line.strip())}"
        else:
            text = _escape_plain(line.strip())
        if out:
            out.append("")
            source_lines.append(number)
        out.append(text)
        source_lines.append(number)
    return "\n".join(out) + "\n", source_lines, title


_LIST_ITEM = re.compile(r"^( +)([-*+]|\d+[.)])[ \t]")


# Searched for in "\n" + body: a pattern starting with "\n" is found much faster than one starting with "^".
_NESTED_ITEM = re.compile(r"\n +(?:[-*+]|\d+[.)])[ \t]")


def widen_nested_lists(body: str) -> str:
    """Nested list items indented by two spaces (CommonMark) get four, as Python-Markdown needs."""
    if not _NESTED_ITEM.search("\n" + body):
        return body  # no indented list item (most notes): skip the line-by-line pass
    out = []
    fence = None
    unit = None
    for line in body.split("\n"):
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)[0]
            fence = None if fence == marker else (fence or marker)
        elif not fence:
            item = _LIST_ITEM.match(line)
            if item:
                indent = len(item.group(1))
                unit = unit or (2 if indent in (2, 6) else None)
                if unit == 2 and indent % 2 == 0:
                    line = " " * (indent * 2) + line[indent:]
        out.append(line)
    return "\n".join(out)


# A Liquid/Jinja tag ("{% raw %}") or Jinja comment ("{# x #}") at the end of a heading, table cell or
# paragraph looks like an attribute list to attr_list, which then drops it from the page. Escaped, it
# is plain text. Deliberate attribute lists ("{: .class}", "{#id}") are left alone.
_TEMPLATE_TAG = re.compile(r"(?<!\\)\{(?=%|#[^}\n]*#\})")
_CODE_SPAN = re.compile(r"(`+).*?(?<!`)\1(?!`)")
_LIST_START = re.compile(r"^ {0,3}([-*+]|\d+[.)])[ \t]")


def _escape_tags_in_prose(line: str) -> str:
    parts = []
    last = 0
    for match in _CODE_SPAN.finditer(line):
        parts.append(_TEMPLATE_TAG.sub(r"\\{", line[last:match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_TEMPLATE_TAG.sub(r"\\{", line[last:]))
    return "".join(parts)


def protect_template_tags(body: str) -> str:
    """Escape template tags outside code so Markdown shows them as written (one line in, one line out)."""
    if "{%" not in body and "{#" not in body:
        return body  # nothing to escape (most notes): skip the line-by-line pass
    out = []
    fence = None
    blank_before = True
    in_list = False
    in_indented_code = False
    for line in body.split("\n"):
        match = _FENCE.match(line)
        if match and not in_indented_code:
            marker = match.group(1)[0]
            fence = None if fence == marker else (fence or marker)
            out.append(line)
            continue
        if fence:
            out.append(line)
            continue
        if not line.strip():
            blank_before = True
            out.append(line)
            continue
        indented = line.startswith(("    ", "\t"))
        if not indented:
            in_list = bool(_LIST_START.match(line)) or (in_list and not blank_before)
            in_indented_code = False
        elif not in_list and (blank_before or in_indented_code):
            in_indented_code = True
        blank_before = False
        out.append(line if in_indented_code else _escape_tags_in_prose(line))
    return "\n".join(out)


def normalize_note(raw: RawNote, exam: Exam, taken_slugs: set[str]) -> Note:
    """One ``Note`` from one ``RawNote``; a broken file becomes a note that shows its raw text."""
    slug = note_slug(raw.path, taken_slugs)
    if slugify(raw.path.stem) in RESERVED_NOTE_SLUGS:
        raw.problems.append(Problem(raw.shown, None, f"the file name '{slugify(raw.path.stem)}' is the name of a "
                                    f"generated page under notes/: the note is published at notes/{slug}/ instead; "
                                    "rename the file to choose its URL", "finding",
                                    code="note/reserved-slug"))
    name_title, name_date = title_from_file_name(raw.path)
    if raw.broken:
        return Note(
            source=raw.shown, slug=slug, title=name_title, dialect="broken", body="", body_line=1,
            raw_text=raw.text, problems=tuple(raw.problems),
        )
    reader = _FieldReader(raw, exam)
    problems = list(raw.problems)
    if is_plain_text(raw):
        body, source_lines, title = essay_to_markdown(raw.body)
        dialect = "essay"
    else:
        stripped = raw.body.lstrip("\n")
        first_line = raw.body_line + raw.body[: len(raw.body) - len(stripped)].count("\n")
        body = protect_template_tags(widen_nested_lists(stripped))
        source_lines = [first_line + i for i in range(body.count("\n") + 1)]
        title = " ".join(reader.text("title").split())  # a folded YAML title ("title: >") is one line
        heading, heading_index = first_heading(body)
        if not title and heading:
            title = _strip_inline_markdown(heading)
        if not title:
            # The schema requires a title. The page still gets one (the file name, as Obsidian would
            # show it), so nothing is lost, but the contributor is told to write a real one.
            title_key = reader.key_for("title")
            if title_key and (reader.data[title_key] is None or isinstance(reader.data[title_key], str)):
                reader.problem(title_key, f"'{title_key}' is empty and the note has no '# Heading': write its title, "
                                          f"e.g. {title_key}: Amazon SageMaker Autopilot", "note/no-title")
            elif not title_key:
                line = 1 if raw.front_matter is None else 2
                reader.problems.append(Problem(raw.shown, line, "the note has no title: add 'title:' to its front "
                                               "matter or start it with '# A heading' (the page is titled "
                                               f"'{name_title}' after the file name meanwhile)", "error", "title",
                                               code="note/no-title"))
            title = name_title
        if heading_index != 0:  # every page starts with its title as H1 (front matter text is data: escaped)
            body = f"# {_escape_plain(title)}\n\n{body}"
            source_lines = [first_line, first_line, *source_lines]
        dialect = detect_dialect(raw)
    created, created_key = reader.date("created")
    updated, _ = reader.date("updated", exclude=created_key)
    created = created or name_date
    studied, _ = reader.date("studied")
    draft = reader.flag("draft")
    published = reader.flag("published")
    note = Note(
        source=raw.shown,
        slug=slug,
        title=title,
        dialect=dialect,
        body=body,
        body_line=raw.body_line,
        description=reader.text("description"),
        tags=reader.tags(),
        domains=reader.domains(),
        created=created,
        updated=updated,
        studied=studied,
        draft=bool(draft) or published is False,
        status=reader.text("status"),
        attachments=reader.texts("attachments"),
        raw_text=raw.text,
    )
    reader.close_keys()
    note.extra = {k: v for k, v in (raw.front_matter or {}).items() if k not in reader.used}
    note.source_lines = tuple(source_lines)
    note.problems = tuple(problems + reader.problems)
    return note


def detect_dialect(raw: RawNote) -> str:
    """Name the tool a note comes from, by the keys its front matter uses (shown on the page)."""
    keys = set(raw.front_matter or {})
    if raw.front_matter is None:
        return "markdown"
    if raw.front_matter_format == "toml":
        return "hugo"
    if "entity_id" in keys or "progress_percentage" in keys:
        return "entity"
    if {"dateCreated", "editor"} & keys or "published" in keys:
        return "wiki.js"
    if "attachments" in keys or ("created" in keys and "modified" in keys):
        return "notable"
    if {"aliases", "cssclasses", "cssclass"} & keys:
        return "obsidian"
    if {"layout", "permalink"} & keys:
        return "jekyll"
    if "lastmod" in keys:
        return "hugo"
    if "date" in keys or "draft" in keys:
        return "blog"
    return "markdown"


_INLINE = [
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<!\w)([*_])(.+?)\1(?!\w)"), r"\2"),
    (re.compile(r"\\(.)"), r"\1"),
]


def _strip_inline_markdown(text: str) -> str:
    """Heading Markdown → plain text (links, code, emphasis, escapes)."""
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return text.strip()


def normalize_notes(raws: list[RawNote], exam: Exam) -> list[Note]:
    """All notes, slugs unique across the folder."""
    taken: set[str] = set()
    return [normalize_note(raw, exam, taken) for raw in raws]
