"""Tool syntax (Obsidian, wiki.js, Notable, GitHub) rewritten to the Markdown MkDocs renders, so a note shows as
its author saw it (normalize stage).

Callouts become admonitions (``callouts``); ``%%comments%%`` are removed (never published, never indexed);
``$math$`` becomes MathML (``mathml``); embedded players become links (``iframes``); inline ``#tags`` become
page tags (the text keeps them, escaped so a line ``#card`` is no heading); single line breaks become hard
breaks where the author's tool shows them. Code is never touched: ``markdown_scan`` says where it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..markdown_scan import MarkdownScan, scan_markdown
from .callouts import convert_callouts
from .edits import Edit, apply_edits, compose
from .iframes import embed_replacement, find_embeds
from .mathml import MathError, code_span, latex_to_mathml, split_math

# Tools whose editors show a single line break as a line break (Obsidian unless "strict line breaks" is on).
HARD_BREAK_DIALECTS = frozenset({"obsidian", "wiki.js", "notable", "notion"})


@dataclass
class SyntaxFinding:
    """Something a rewrite changed or could not show, at a 0-based line of the input body."""

    index: int
    message: str
    code: str


@dataclass
class ToolSyntax:
    """A body rewritten by ``rewrite_tool_syntax``."""

    body: str
    origins: list[int]  # 0-based input line of each output line
    tags: tuple[str, ...] = ()  # inline #tags, in order of appearance
    findings: list[SyntaxFinding] = field(default_factory=list)


def rewrite_tool_syntax(body: str, hard_breaks: bool) -> ToolSyntax:
    """``body`` with callouts, comments, math, embedded players and tags rewritten; with ``hard_breaks``, single
    line breaks inside paragraphs kept as line breaks."""
    if not _MAY_HAVE_SYNTAX.search(body) and not (hard_breaks and "\n" in body.strip()):
        return ToolSyntax(body, list(range(body.count("\n") + 1)))  # plain Markdown (most notes): nothing to do
    body, origins = convert_callouts(body) if "[!" in body else (body, list(range(body.count("\n") + 1)))
    scan = scan_markdown(body)
    edits, tags, findings = _span_edits(scan)
    body, inner = apply_edits(body, edits)
    for finding in findings:
        finding.index = origins[min(finding.index, len(origins) - 1)]
    origins = compose(origins, inner)
    if hard_breaks:
        body = keep_line_breaks(body)
    return ToolSyntax(body, origins, tags, findings)


_MAY_HAVE_SYNTAX = re.compile(r"\[!|%%|\$|\\\(|\\\[|#[^\W\d]|<(?:iframe|video|embed|object|audio)\b", re.I)


def _span_edits(scan: MarkdownScan) -> tuple[list[Edit], tuple[str, ...], list[SyntaxFinding]]:
    text = scan.text
    edits: list[Edit] = []
    findings: list[SyntaxFinding] = []
    for span in scan.masked:
        if span.kind == "comment":
            edits.append(Edit(span.start, span.end, ""))  # an author's private note: never published
            continue
        written = text[span.start:span.end]
        parts = split_math(written)
        if parts is None:
            continue
        latex, display = parts
        try:
            edits.append(Edit(span.start, span.end, latex_to_mathml(latex, display)))
        except MathError as exc:
            edits.append(Edit(span.start, span.end, code_span(written)))
            findings.append(SyntaxFinding(span.line - 1, f"the formula {written[:60]!r} cannot be drawn ({exc}): "
                                                         "shown as code", "math/malformed"))
    for span in scan.html:
        if span.kind == "html_comment":
            continue
        for match in find_embeds(text[span.start:] if span.kind == "html_inline" else text[span.start:span.end]):
            if match.start() > 0 and span.kind == "html_inline":
                break  # an inline tag: only the element that opens at this tag
            start = span.start + match.start()
            replacement, message = embed_replacement(match.group(0))
            edits.append(Edit(start, span.start + match.end(), replacement))
            findings.append(SyntaxFinding(text.count("\n", 0, start), message, "html/embed-removed"))
    heading_lines = {h.line for h in scan.headings}
    tags: dict[str, None] = {}
    for span in scan.tags:
        if span.line in heading_lines or _inside_link(scan, span.start):
            continue
        tags.setdefault(text[span.start + 1:span.end].rstrip("/"), None)
        edits.append(Edit(span.start, span.start, "\\"))  # "\#card": the tag shows as written, never a heading
    return edits, tuple(tag for tag in tags if tag), findings


def _inside_link(scan: MarkdownScan, offset: int) -> bool:
    return any(link.start <= offset < link.end for link in scan.links)


# Lines that start a block of their own: a hard break before them would change nothing or break the structure.
_STARTS_BLOCK = re.compile(r"^\s*(?:[-*+][ \t]|\d+[.)][ \t]|>|#|`{3}|~{3}|\||!!!|\?\?\?|\{:|\[[^\]]*\]:|<|\$\$|"
                           r"(?:[-*_][ \t]*){3,}$|=+[ \t]*$)")
_OPENS_CONTAINER = re.compile(r"^\s*(?:!!!|\?\?\?)")  # an admonition's title line: its body follows
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$")
_BLOCK_KINDS = ("fence", "indented", "html_block", "math", "comment")


def keep_line_breaks(body: str) -> str:
    """Each soft line break inside a paragraph made a hard break (two trailing blanks, Python-Markdown's own),
    never in code, HTML blocks, headings, tables, or before a line that starts a block. One line in, one out."""
    if "\n" not in body.strip():
        return body
    scan = scan_markdown(body)
    lines = body.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    blocked: set[int] = {h.line - 1 for h in scan.headings}
    for span in (*scan.code, *scan.html, *scan.masked):
        first, last = span.line - 1, span.line - 1 + scan.text.count("\n", span.start, span.end)
        if span.kind in _BLOCK_KINDS:
            blocked.update(range(first, last + 1))
        elif last > first:
            blocked.update(range(first, last))  # an inline span over a line end: the break is inside it
    in_table = False
    for index in range(len(lines) - 1):
        line, nxt = lines[index], lines[index + 1]
        if not line.strip():
            in_table = False
            continue
        in_table = in_table or bool(_TABLE_RULE.match(line) or _TABLE_RULE.match(nxt))
        if (in_table or not nxt.strip() or index in blocked or index + 1 in blocked or _STARTS_BLOCK.match(nxt)
                or _OPENS_CONTAINER.match(line)
                or line.endswith(("  ", "\\", "<br>", "<br/>", "<br />"))):
            continue
        lines[index] = line + "  "
    return "\n".join(lines)


@lru_cache(maxsize=256)
def obsidian_vault(folder: Path) -> Path | None:
    """The Obsidian vault ``folder`` is in (the nearest folder with a ``.obsidian/`` folder), or None."""
    for candidate in (folder, *folder.parents):
        try:
            if (candidate / ".obsidian").is_dir():
                return candidate
        except OSError:
            return None
    return None
