"""Normalize stage: ``RawNote`` → ``Note``, whatever the dialect.

Fills every ``Note`` field except ``sections`` (see ``enrich``). Front-matter keys of the
known dialects (blog, wiki.js, Notable, Obsidian, Jekyll, Hugo, entity notes, Notion
exports) are mapped through ``FIELD_ALIASES``; keys it does not know are kept in
``Note.extra`` and shown on the note's page. Plain-text essays become Markdown.
"""
from __future__ import annotations

import re

from ..catalog import slugify
from ..discover import vault_settings
from ..load import RawNote
from ..markdown_scan import MarkdownScan, scan_markdown
from ..model import RESERVED_NOTE_SLUGS, Exam, Note, Problem
from .essay import _escape_plain, essay_to_markdown, is_essay_heading, is_plain_text
from .fields import FIELD_ALIASES, KNOWN_KEYS, _FieldReader, resolve_domain
from .markdown_fixes import (_strip_inline_markdown, first_heading, map_prose, protect_template_tags, tame_markdown,
                             widen_nested_lists)
from .notion import is_notion_page, read_properties
from .names import note_slug, shared_names, title_from_file_name
from .obsidian import HARD_BREAK_DIALECTS, obsidian_vault, rewrite_tool_syntax

__all__ = ["FIELD_ALIASES", "KNOWN_KEYS", "detect_dialect", "essay_to_markdown", "first_heading", "is_essay_heading",
           "is_plain_text", "map_prose", "normalize_note", "normalize_notes", "note_markdown", "note_slug", "shared_names",
           "protect_template_tags", "resolve_domain", "tame_markdown", "title_from_file_name", "widen_nested_lists"]


def normalize_note(raw: RawNote, exam: Exam, taken_slugs: set[str], shared: frozenset[str] = frozenset()) -> Note:
    """One ``Note`` from one ``RawNote``; a broken file becomes a note that shows its raw text; ``shared``: the
    file names several notes of the folder share (``shared_names``)."""
    slug = note_slug(raw.path, taken_slugs, shared)
    if slugify(raw.path.stem) in RESERVED_NOTE_SLUGS:
        raw.problems.append(Problem(raw.shown, None, f"the file name '{slugify(raw.path.stem)}' is the name of a "
                                    f"generated page under notes/: the note is published at notes/{slug}/ instead; "
                                    "rename the file to choose its URL", "info",  # a vault's Index.md is no mistake
                                    code="note/reserved-slug"))
    name_title, name_date = title_from_file_name(raw.path)
    if raw.broken:
        return Note(
            source=raw.shown, slug=slug, title=name_title, dialect="broken", body="", body_line=1,
            raw_text=raw.text, problems=tuple(raw.problems),
        )
    reader = _FieldReader(raw, exam)
    problems = list(raw.problems)
    inline_tags: tuple[str, ...] = ()
    scan: MarkdownScan | None = None
    notion = read_properties(raw.body.lstrip("\n")) if is_notion_page(raw.path) else None
    if is_plain_text(raw):
        body, source_lines, title = essay_to_markdown(raw.body)
        dialect = "essay"
    else:
        stripped = raw.body.lstrip("\n")
        first_line = raw.body_line + raw.body[: len(raw.body) - len(stripped)].count("\n")
        kept = list(range(stripped.count("\n") + 1))  # line index in ``stripped`` of each line kept
        if notion is not None and notion.removed:
            lines = stripped.split("\n")
            kept = [i for i in kept if i not in notion.removed]
            stripped = "\n".join(lines[i] for i in kept)
        dialect = detect_dialect(raw)
        syntax = rewrite_tool_syntax(widen_nested_lists(stripped), _shows_line_breaks(raw, dialect))
        body, changes = tame_markdown(protect_template_tags(syntax.body))
        problems += [Problem(raw.shown, first_line + kept[syntax.origins[index]], message, "error", code="note/limit")
                     for index, message in changes.items()]
        problems += [Problem(raw.shown, first_line + kept[finding.index], finding.message, "finding", code=finding.code)
                     for finding in syntax.findings]
        source_lines = [first_line + kept[origin] for origin in syntax.origins]
        inline_tags = syntax.tags
        title = " ".join(reader.text("title").split())  # a folded YAML title ("title: >") is one line
        first, _, rest = body.partition("\n")
        if title and not first.startswith("#") and not rest.lstrip(" ").startswith("="):
            heading, heading_index = None, -1  # its first line is no H1: the title goes on top, the body is read once
        else:
            scan = scan_markdown(body)
            heading, heading_index = first_heading(scan)
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
            scan = None  # read again below, with its title
            source_lines = [first_line, first_line, *source_lines]
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
        tags=tuple(dict.fromkeys((*reader.tags(), *inline_tags))),  # front matter's first, then the text's #tags
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
    if notion is not None and notion.removed:  # a Notion page's property lines, where front matter said nothing
        note.created, note.updated = note.created or notion.created, note.updated or notion.updated
        note.tags, note.status = note.tags or notion.tags, note.status or notion.status
        note.extra = {**notion.extra, **note.extra}
    note.source_lines = tuple(source_lines)
    note.problems = tuple(problems + reader.problems)
    note.markdown = scan if scan is not None and scan.text is body else scan_markdown(body)
    return note


_NOTION_FILE = re.compile(r" [0-9a-f]{32}$")
_OBSIDIAN_SYNTAX = re.compile(r"\[\[[^\[\]\n]+\]\]|^>[ ]?\[![\w-]+\]", re.M)


def _shows_line_breaks(raw: RawNote, dialect: str) -> bool:
    """Whether the note's tool shows a single line break as one (Obsidian: unless "Strict line breaks" is on)."""
    if dialect not in HARD_BREAK_DIALECTS:
        return False
    vault = obsidian_vault(raw.path.parent.absolute()) if dialect == "obsidian" else None
    return not (vault and vault_settings(vault).get("strictLineBreaks") is True)


def note_markdown(note: Note) -> MarkdownScan:
    """The one reading of ``note.body`` (scanned by ``normalize_note``; scanned here for a note built otherwise)."""
    scan = note.markdown
    if scan is None or scan.text is not note.body:
        scan = note.markdown = scan_markdown(note.body)
    return scan


def detect_dialect(raw: RawNote) -> str:
    """Name the tool a note comes from: the folder (an Obsidian vault, a Notion export's file names), else the keys
    its front matter uses, else Obsidian syntax in the text (shown on the page; decides how line breaks show)."""
    if obsidian_vault(raw.path.parent.absolute()) is not None:
        return "obsidian"
    if _NOTION_FILE.search(raw.path.stem):
        return "notion"
    by_keys = _dialect_by_keys(raw)
    if by_keys == "markdown" and _OBSIDIAN_SYNTAX.search(raw.body):
        return "obsidian"
    return by_keys


def _dialect_by_keys(raw: RawNote) -> str:
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


def normalize_notes(raws: list[RawNote], exam: Exam) -> list[Note]:
    """All notes, slugs unique across the folder."""
    taken: set[str] = set()
    shared = shared_names(raw.path for raw in raws)
    return [normalize_note(raw, exam, taken, shared) for raw in raws]
