"""Plain-text essays (a .txt file with no Markdown) turned into Markdown that shows them as written."""
from __future__ import annotations

import re

from ..load import RawNote

_MARKDOWN_SIGNS = re.compile(r"^(#{1,6} |[-*+] |\d+\. |> |```|~~~|\|)|\[[^\]]+\]\(|\*\*[^*]+\*\*", re.M)


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
