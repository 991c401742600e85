"""Obsidian callouts (``> [!warning] Title``, foldable ``[!tip]-`` / ``[!tip]+``; also GitHub's alerts) → Material
admonitions (``!!! warning "Title"``, ``??? tip``, ``???+ tip``), nested callouts and lists or code inside kept
(normalize stage).

Done here rather than by a MkDocs plugin (mkdocs-callouts) so that the one reading of the note
(``markdown_scan``) decides what is a callout: a ``> [!note]`` inside a code block stays code.
"""
from __future__ import annotations

import html
import re

from ..markdown_scan import scan_markdown
from .edits import Edit, apply_edits
from .markdown_fixes import widen_nested_lists

# Obsidian's callout types and their aliases → the Material admonition type that looks the same.
CALLOUT_TYPES: dict[str, str] = {
    "note": "note",
    "abstract": "abstract", "summary": "abstract", "tldr": "abstract",
    "info": "info", "todo": "info",
    "tip": "tip", "hint": "tip", "important": "tip",
    "success": "success", "check": "success", "done": "success",
    "question": "question", "help": "question", "faq": "question",
    "warning": "warning", "caution": "warning", "attention": "warning",
    "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote", "cite": "quote",
}
# The first line of a callout: indentation, the quote marks, [!type], the fold sign, the title.
_CALLOUT_LINE = re.compile(r"^(?P<indent>[ ]{0,3})>[ ]?\[!(?P<type>[^\]\s]+)\](?P<fold>[+-]?)[ \t]*(?P<title>.*)$")
_BLOCK_START = re.compile(r"^\s*(?:[-*+][ \t]|\d+[.)][ \t]|#|```|~~~|\||<|!!!|\?\?\?)")


def admonition_line(indent: str, callout_type: str, fold: str, title: str) -> str:
    """The admonition's first line for a callout's type, fold sign and title (escaped: a title is text)."""
    kind = CALLOUT_TYPES.get(callout_type.lower(), "note")  # Obsidian shows an unknown type as a note
    shown = title.strip() or callout_type[:1].upper() + callout_type[1:].lower()
    marker = {"-": "???", "+": "???+"}.get(fold, "!!!")
    return f'{indent}{marker} {kind} "{html.escape(shown)}"'


def convert_callouts(body: str, depth: int = 0) -> tuple[str, list[int]]:
    """``body`` with every callout made an admonition, and the input line of each output line."""
    scan = scan_markdown(body)
    if not scan.callouts:
        return body, list(range(body.count("\n") + 1))
    lines = body.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    edits: list[Edit] = []
    done_to = -1  # the last line a converted callout covered: a callout nested in it is converted with it
    for span in scan.callouts:
        first = span.line - 1
        match = _CALLOUT_LINE.match(lines[first])
        if first <= done_to or match is None or depth > 16:
            continue  # nested in one already converted, quoted deeper than one level, or absurdly deep
        indent = match.group("indent")
        last = first
        while last + 1 < len(lines):
            nxt = lines[last + 1]
            if nxt.startswith(indent + ">"):
                last += 1
            elif nxt.strip() and lines[last].strip() != ">" and not _BLOCK_START.match(nxt):
                last += 1  # a lazy continuation line of the callout's last paragraph
            else:
                break
        inner_lines = [_unquote(line, indent) for line in lines[first + 1:last + 1]]
        inner, _ = convert_callouts(widen_nested_lists("\n".join(inner_lines)), depth + 1)
        head = admonition_line(indent, match.group("type"), match.group("fold"), match.group("title"))
        # Line for line (the inner conversion keeps the line count: only prefixes change), so the line map holds.
        converted = [head] + [indent + "    " + line if line.strip() else "" for line in inner.split("\n")]
        edits += [Edit(starts[k], starts[k] + len(lines[k]), converted[k - first]) for k in range(first, last + 1)]
        done_to = last
    return apply_edits(body, edits)


def _unquote(line: str, indent: str) -> str:
    """A callout line without its indentation and one quote level (a lazy continuation line as it is)."""
    if not line.startswith(indent + ">"):
        return line.strip()
    rest = line[len(indent) + 1:]
    return rest[1:] if rest.startswith(" ") else rest
