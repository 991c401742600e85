"""Which characters of a Markdown text mention finding may read, from the note's one scan
(``macros.markdown_scan``): the skipped regions are listed in ``macros.mentions``' docstring."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from ..markdown_scan import MarkdownScan

# Inline HTML elements whose content is no prose either: a link would nest (<a>) or show as code.
_OPAQUE_OPEN = re.compile(r"<(a|code|kbd|samp|pre|script|style|textarea)\b", re.I)
_SKIPPED_LINKS = frozenset({"link", "image", "reference", "autolink"})  # [[wikilinks]] are prose: their text shows


class Found(NamedTuple):
    """One service mention in a Markdown text (a named tuple: notes have dozens, made in a tight loop)."""

    service_key: str
    start: int  # character offsets into the given text
    end: int
    text: str  # spelling as written


@dataclass
class Prose:
    """``mask``: one byte per character, 1 where it is not prose; ``headings``: where each heading starts
    (sections lie between them); ``blocks``: (start, end) of each paragraph or list block (no blank line inside)."""

    mask: bytearray
    headings: list[int]
    blocks: list[tuple[int, int]]


def _mark(mask: bytearray, start: int, end: int, value: bytes) -> None:
    if end > start:
        mask[start:end] = value * (end - start)


def prose_of(scan: MarkdownScan) -> Prose:
    """The prose of one scanned text (see the module docstring)."""
    text = scan.text
    mask = bytearray(b"\x01") * len(text)
    for start, end in scan.runs:
        _mark(mask, start, end, b"\x00")
    for span in (*scan.code, *scan.masked, *scan.urls, *scan.definitions):
        _mark(mask, span.start, span.end, b"\x01")
    run_ends = [end for _start, end in scan.runs]
    for span in scan.html:
        end = span.end
        opener = _OPAQUE_OPEN.match(text, span.start, span.end) if span.kind == "html_inline" else None
        if opener is not None and not text.endswith("/>", span.start, span.end):
            # <a …>…</a>, <code>…</code>: the content up to the closing tag, within the paragraph
            limit = run_ends[min(bisect_right(run_ends, span.start), len(run_ends) - 1)] if run_ends else len(text)
            close = re.compile(rf"</{opener.group(1)}\s*>", re.I).search(text, span.end, max(limit, span.end))
            end = close.end() if close else end
        _mark(mask, span.start, end, b"\x01")
    for link in scan.links:
        if link.kind in _SKIPPED_LINKS:
            _mark(mask, link.start, link.end, b"\x01")
    headings = []
    for heading in scan.headings:
        _mark(mask, heading.start, heading.end, b"\x01")
        headings.append(heading.start)
    heading_ends = [heading.end for heading in scan.headings]
    blocks: list[tuple[int, int]] = []
    for start, end in scan.runs:
        at = bisect_right(heading_ends, start)
        if at < len(headings) and headings[at] <= start:
            continue  # a heading's text: never prose, and it ends the block before it
        if blocks and blocks[-1][1] + 1 == start:
            blocks[-1] = (blocks[-1][0], end)  # the next item of one list, the next line of one paragraph
        else:
            blocks.append((start, end))
    return Prose(mask, headings, blocks)
