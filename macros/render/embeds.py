"""Embedded notes (``![[Note]]``, ``![[Note#Heading]]``): the other note's text (that section only, for a heading),
one level deep, in a marked box that links to the source. Headings inside become bold lines, so the page's own
headings and their anchors stay as the note's sections say."""
from __future__ import annotations

from ..enrich import Target, heading_anchor
from ..model import Note
from ..normalize import note_markdown
from .markdown import md_text

EMBED_ADMONITION = "sg-embed"  # the box's CSS class (an admonition type: Material styles it like "quote")


def embedded_text(target_note: Note, target: Target) -> str:
    """The Markdown an embed of ``target`` shows: the note's body without its title, or one heading's section
    (with its sub-sections); headings written as bold lines."""
    scan = note_markdown(target_note)
    text = scan.text
    headings = list(scan.headings)
    start, end = 0, len(text)
    if target.anchor:
        used: set[str] = set()
        at = next((i for i, h in enumerate(headings) if heading_anchor(h.text, used) == target.anchor), None)
        if at is None:
            return ""
        level = headings[at].level
        start = headings[at].end
        end = next((h.start for h in headings[at + 1:] if h.level <= level), len(text))
    elif headings and headings[0].level == 1 and headings[0].start == 0:
        start = headings[0].end  # the note's own title is the box's title
    out, pos = [], start
    for heading in headings:
        if start <= heading.start and heading.end <= end:
            out.append(text[pos:heading.start])
            out.append(f"**{heading.text}**")
            pos = heading.end
    out.append(text[pos:end])
    return "".join(out).strip("\n")


def embed_box(title: str, href: str, body: str) -> str:
    """An admonition-like box titled "From <title>", its first line a link to the source, then ``body``."""
    lines = [f'!!! {EMBED_ADMONITION} "From {title.replace(chr(34), chr(39))}"', "",
             f"    [{md_text(title)}]({href})", ""]
    lines += [("    " + line) if line.strip() else "" for line in body.split("\n")]
    return "\n" + "\n".join(lines) + "\n"
