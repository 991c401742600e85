"""Markdown fixes every note gets: headings found, nested lists widened, template tags and pathological
constructs made harmless, outside code (normalize stage)."""
from __future__ import annotations

import re
from collections.abc import Callable

from .. import limits

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
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


def map_prose(body: str, transform: Callable[[str, int, bool], str]) -> str:
    """``transform(piece, line index, piece starts the line)`` applied to each piece of ``body`` that is not code
    (fenced or indented code blocks, code spans); one line in, one line out."""
    out = []
    fence = None
    blank_before = True
    in_list = False
    in_indented_code = False
    for index, line in enumerate(body.split("\n")):
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
        out.append(line if in_indented_code else _map_outside_code_spans(line, index, transform))
    return "\n".join(out)


def _map_outside_code_spans(line: str, index: int, transform: Callable[[str, int, bool], str]) -> str:
    if "`" not in line:
        return transform(line, index, True)
    parts = []
    last = 0
    for match in _CODE_SPAN.finditer(line):
        parts.append(transform(line[last:match.start()], index, last == 0))
        parts.append(match.group(0))
        last = match.end()
    parts.append(transform(line[last:], index, last == 0))
    return "".join(parts)


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
