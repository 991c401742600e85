"""Markdown fixes every note gets: headings found, nested lists widened, template tags and pathological
constructs made harmless, outside code (normalize stage)."""
from __future__ import annotations

import re
from collections.abc import Callable

from .. import limits
from ..markdown_scan import MarkdownScan, scan_markdown

def first_heading(scan: MarkdownScan) -> tuple[str | None, int]:
    """The first H1 (ATX or setext) of a scanned body and its line index (or None, -1)."""
    heading = next((h for h in scan.headings if h.level == 1), None)
    return (heading.text, heading.line - 1) if heading else (None, -1)


def _line_starts(body: str) -> list[int]:
    starts, pos = [], 0
    for line in body.split("\n"):
        starts.append(pos)
        pos += len(line) + 1
    return starts


_LIST_ITEM = re.compile(r"^( +)([-*+]|\d+[.)])[ \t]")


# Searched for in "\n" + body: a pattern starting with "\n" is found much faster than one starting with "^".
_NESTED_ITEM = re.compile(r"\n +(?:[-*+]|\d+[.)])[ \t]")


def widen_nested_lists(body: str) -> str:
    """Nested list items indented by two spaces (CommonMark) get four, as Python-Markdown needs."""
    if not _NESTED_ITEM.search("\n" + body):
        return body  # no indented list item (most notes): skip the line-by-line pass
    scan = scan_markdown(body)
    out = []
    unit = None
    for line, start in zip(body.split("\n"), _line_starts(body)):
        item = _LIST_ITEM.match(line) if not scan.in_rendered_code(start) else None
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


def map_prose(body: str, transform: Callable[[str, int, bool], str]) -> str:
    """``transform(piece, line index, piece starts the line)`` applied to each piece of ``body`` that is not code
    (fenced or indented code blocks, code spans: ``scan_markdown`` decides); one line in, one line out."""
    code = scan_markdown(body).code
    out = []
    at_code = 0  # first code span that may reach the current line
    for index, (line, start) in enumerate(zip(body.split("\n"), _line_starts(body))):
        if not line.strip():
            out.append(line)
            continue
        end = start + len(line)
        while at_code < len(code) and code[at_code].end <= start:
            at_code += 1
        pieces, pos, next_code = [], start, at_code
        while next_code < len(code) and code[next_code].start < end:
            span = code[next_code]
            if span.start > pos:
                pieces.append(transform(body[pos:span.start], index, pos == start))
            pieces.append(body[max(pos, span.start):min(end, span.end)] if span.end > pos else "")
            pos = max(pos, min(end, span.end))
            next_code += 1
        if pos < end or pos == start:
            pieces.append(transform(body[pos:end], index, pos == start))
        out.append("".join(pieces))
    return "\n".join(out)


def protect_template_tags(body: str) -> str:
    """Escape template tags outside code so Markdown shows them as written (one line in, one line out)."""
    if "{%" not in body and "{#" not in body:
        return body  # nothing to escape (most notes): skip the line-by-line pass
    return map_prose(body, lambda piece, _index, _start: _TEMPLATE_TAG.sub(r"\\{", piece))


def tame_markdown(body: str) -> tuple[str, dict[int, str]]:
    """``body`` with Python-Markdown's pathological cases defused (``limits.MarkdownTamer``): the new body and,
    per line index, what was changed there."""
    if not limits.may_need_taming(body):
        return body, {}  # (nearly every note) two passes over the lines would cost more than the rest of normalize
    tamer = limits.MarkdownTamer()
    if body.count("[") > limits.MAX_OPENERS_PER_LINE:
        map_prose(body, tamer.count)
        tamer.decide()
    tamed = map_prose(body, tamer.tame)
    return tamed, tamer.changes


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
