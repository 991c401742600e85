"""Rewrites of a note's body as lists of edits, with the line map kept (normalize stage).

A rewrite may add or remove lines (a multi-line ``%%comment%%`` disappears, a ``$$`` block becomes one
line); ``apply_edits`` says, for every line of the result, which line of the input it came from, so
problems and mentions still name the source file's line (``Note.source_lines``).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, list[int]]:
    """``text`` with ``edits`` applied (overlapping ones after the first are ignored), and the 0-based input line
    of each output line. A line an edit creates belongs to the input line where the edit starts."""
    out: list[str] = []
    origins = [0]
    pos = 0
    line = 0  # input line at ``pos``
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < pos:
            continue
        kept = text[pos:edit.start]
        for _ in range(kept.count("\n")):
            line += 1
            origins.append(line)
        out.append(kept)
        origins.extend([line] * edit.replacement.count("\n"))
        out.append(edit.replacement)
        line += text.count("\n", edit.start, edit.end)
        pos = edit.end
    rest = text[pos:]
    for _ in range(rest.count("\n")):
        line += 1
        origins.append(line)
    out.append(rest)
    return "".join(out), origins


def compose(outer: list[int], inner: list[int]) -> list[int]:
    """The line map of two rewrites in a row: ``inner`` maps the second's output to its input (the first's output)."""
    return [outer[min(index, len(outer) - 1)] for index in inner]
