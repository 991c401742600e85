"""Enrich stage, links: every link, image and [[wikilink]] a note writes, with its line and section, and the
service mentions the matcher found, placed the same way.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

from ..markdown_scan import LinkSpan, MarkdownScan
from ..model import Exam, Link, Mention, Note
from ..normalize import note_markdown
from .sections import heading_plain_text, section_at_line, section_lines, split_sections


_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def image_sources(scan: MarkdownScan) -> list[tuple[int, int, str]]:
    """(start, end, value as written) of the ``src`` of each ``<img>`` in the raw HTML the scan found."""
    found = []
    for span in scan.html:
        for match in _IMG_SRC.finditer(scan.text, span.start, span.end):
            group = next(g for g in (1, 2, 3) if match.group(g) is not None)
            found.append((match.start(group), match.end(group), match.group(group)))
    return found


def line_of_offset(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _is_web(url: str) -> bool:
    return url[:8].lower().startswith(("http://", "https://"))


def _context_after(text: str, end: int, stop: int) -> str:
    """The text after a link up to ``stop`` (the next link on its line, or the line's end), e.g. "(8 hours)"."""
    context = text[end:stop].strip(" -–—:")
    return context[:120] if any(ch.isalnum() for ch in context) else ""


def _links_by_line(scan: MarkdownScan) -> dict[int, tuple[int, list[tuple[str, str, str, bool, str]]]]:
    """Body line → (an offset on it, (url, label, title, is_image, context) of each link written on it), in
    ``collect_links``' order: inline links and images, autolinks, bare URLs, a reference definition."""
    text = scan.text
    inline: dict[int, list[LinkSpan]] = {}
    later: dict[int, list[tuple[int, tuple[str, str, str, bool, str]]]] = {}
    offsets: dict[int, int] = {}
    for link in scan.links:
        if link.kind in ("link", "image"):
            inline.setdefault(link.line, []).append(link)
            offsets.setdefault(link.line, link.start)
        elif link.kind == "autolink" and _is_web(link.target):
            offsets.setdefault(link.line, link.start)
            later.setdefault(link.line, []).append((0, (link.target, link.target, "", False, "")))
    for url in scan.urls:
        if url.kind == "url":
            address = text[url.start:url.end]
            offsets.setdefault(url.line, url.start)
            later.setdefault(url.line, []).append((1, (address, address, "", False, "")))
    if "<img" in text or "<IMG" in text:  # an image in raw HTML is a reference to a file too
        for start, _end, source in image_sources(scan):
            if not _is_web(source):
                offsets.setdefault(line_of_offset(text, start), start)
                later.setdefault(line_of_offset(text, start), []).append((1, (html.unescape(source), "", "", True, "")))
    for definition in scan.definitions:
        offsets.setdefault(definition.line, definition.start)
        later.setdefault(definition.line, []).append((2, (definition.target, definition.label, definition.title, False, "")))
    found: dict[int, tuple[int, list[tuple[str, str, str, bool, str]]]] = {}
    for line in sorted(inline.keys() | later.keys()):
        links = inline.get(line, [])
        row = []
        for position, link in enumerate(links):
            line_end = text.find("\n", link.end)
            stop = links[position + 1].start if position + 1 < len(links) else (len(text) if line_end < 0 else line_end)
            row.append((link.target, heading_plain_text(link.label), link.title, link.kind == "image",
                        _context_after(text, link.end, stop)))
        row += [item for _order, item in sorted(later.get(line, []), key=lambda pair: pair[0])]
        found[line] = (offsets[line], row)
    return found


def collect_links(note: Note) -> list[Link]:
    """Every link and image a note writes (inline, autolink, bare URL, reference definition), with line and section,
    as the note's scan (``note_markdown``) found them: nothing in code."""
    scan = note_markdown(note)
    starts = section_lines(note)
    links: list[Link] = []
    for offset, found in _links_by_line(scan).values():
        source_line = note.line_at(offset)
        section = section_at_line(note, source_line, starts)
        anchor = section.anchor if section else ""
        links += [Link(url, label, title, note.slug, anchor, source_line, is_image=is_image, context=context)
                  for url, label, title, is_image, context in found]
    return links


def enrich_notes(notes: list[Note], exam: Exam) -> list[Link]:
    """Fill sections of every note; return all links of all notes."""
    links: list[Link] = []
    for note in notes:
        links.extend(enrich_note(note, exam))
    return links


def enrich_note(note: Note, exam: Exam) -> list[Link]:
    """Fill the sections of one note; return its links (none for a broken note)."""
    if note.dialect == "broken":
        return []
    note.sections = split_sections(note, exam)
    return collect_links(note) + collect_wikilinks(note)

def note_mentions(note: Note, found: Iterable) -> list[Mention]:  # noqa: ANN001 - mentions.Found
    """The matcher's finds in one note's body as mentions, with section and source line."""
    mentions = []
    starts = section_lines(note)
    for hit in found:
        line = note.line_at(hit.start)
        section = section_at_line(note, line, starts)
        mentions.append(Mention(hit.service_key, note.slug, section.anchor if section else "", line, hit.text))
    return mentions


def collect_wikilinks(note: Note) -> list[Link]:
    """``[[Note]]``, ``[[Note#Heading|label]]`` and ``![[file.png]]`` (Obsidian), as links."""
    links: list[Link] = []
    scan = note_markdown(note)
    starts = section_lines(note)
    for link in scan.links:
        if link.kind not in ("wikilink", "embed"):
            continue
        source_line = note.line_at(link.start)
        section = section_at_line(note, source_line, starts)
        url = link.target + (f"#{link.anchor}" if link.anchor else "")
        links.append(Link(url, link.label or link.anchor, "", note.slug, section.anchor if section else "", source_line,
                          is_image=link.kind == "embed", wiki=True))
    return links
