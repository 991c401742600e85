"""ONE reading of a note's Markdown: code, raw HTML, links, URLs, headings and Obsidian syntax.

Every stage asks this module what is code, HTML, a link or a heading instead of guessing with a
regex of its own. It follows Python-Markdown with the extensions of ``mkdocs.yml`` (what the site
renders), not CommonMark; ``tests/test_markdown_scan_differential.py`` holds it to that.

Imports only the standard library (and nothing of the pipeline), so every stage may use it.
"""
from __future__ import annotations

from macros.markdown_scan.blocks import scan_blocks
from macros.markdown_scan.inline import Inline, line_finder, scan_run
from macros.markdown_scan.spans import CODE_KINDS, HTML_KINDS, MASK_KINDS, Heading, LinkSpan, MarkdownScan, Span

__all__ = ["CODE_KINDS", "HTML_KINDS", "MASK_KINDS", "Heading", "LinkSpan", "MarkdownScan", "Span", "scan_markdown"]


def _in_order(spans: list) -> tuple:  # noqa: ANN001 - Span or LinkSpan
    return tuple(sorted(spans, key=lambda s: (s.start, s.end)))


def scan_markdown(text: str) -> MarkdownScan:
    """Scan a note's Markdown body (front matter already removed) once."""
    lines = text.split("\n")
    starts = [0] * len(lines)
    pos = 0
    for i, line in enumerate(lines):
        starts[i] = pos
        pos += len(line) + 1
    blocks = scan_blocks(text, lines, starts)
    definitions: dict[str, LinkSpan] = {}
    for definition in blocks.definitions:
        definitions.setdefault(definition.ref, definition)  # the first definition wins, as in Python-Markdown
    inline = Inline()
    line_of = line_finder(starts)
    for a, b in blocks.runs:
        if b > a:
            scan_run(text, a, b, definitions, line_of, inline)
    return MarkdownScan(
        text=text,
        code=_in_order(blocks.code + inline.code),
        html=_in_order(blocks.html + inline.html),
        links=_in_order(inline.links),
        definitions=tuple(blocks.definitions),
        urls=_in_order(inline.urls),
        headings=tuple(blocks.headings),
        masked=_in_order(blocks.masked + inline.masked),
        callouts=tuple(blocks.callouts),
        tags=tuple(inline.tags),
        runs=tuple(blocks.runs),
    )
