"""Enrich stage, links: every link, image and [[wikilink]] a note writes, with its line and section, and the
service mentions the matcher found, placed the same way.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..model import Exam, Link, Mention, Note
from .sections import _body_lines, heading_plain_text, section_at_line, section_lines, split_sections

# A link is "[label](url)" or an image "![label](url)". The patterns start at the "[" (the "!" is looked
# at by ``bang_matches``): a pattern that starts with an optional "!" is tried at every position of the
# text, one that starts with "[" lets the regex engine skip ahead to the next "[".
_INLINE_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^()\s>]+(?:\([^()\s]*\))?[^()\s>]*)>?(?:\s+(\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+(\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*$", re.M)
_INLINE_CODE = re.compile(r"(`+).+?\1")


def bang_matches(pattern: re.Pattern[str], text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """("!" or "", match) for each match of ``"(!?)" + pattern.pattern`` in ``text``, as ``finditer`` finds
    them; the whole match starts ``len(bang)`` before ``match.start()``. Same matches: ``pattern`` starts
    with "[", so a "!" can only belong to the match right after it, unless the previous match ends there."""
    end = 0
    for match in pattern.finditer(text):
        start = match.start()
        yield ("!" if start > end and text[start - 1] == "!" else ""), match
        end = match.end()


# A URL in the text, not right after a word character or "(<[\"'=/" (those are in links). Written as "h" then
# a look-behind over that "h", not a look-behind first: the search then jumps from "h" to "h" (~15x faster).
_BARE_URL = re.compile(r"h(?<![\w(<\[\"'=/]h)ttps?://[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?]")


def _blank_inline_code(line: str) -> str:
    """``line`` with its `code spans` blanked out (same length), so no link is found inside them."""
    return _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line


def _line_links(prose: str) -> list[tuple[str, str, str, bool, str]]:
    """(url, label, title, is_image, context) of each link on a line (its code spans blanked), in
    ``collect_links``' order: inline links, autolinks, bare URLs, a reference definition."""
    found = []
    taken: list[tuple[int, int]] = []
    # Each pattern below needs a piece of text ("](", "<", "://", "]:") most lines lack: skip its search then.
    inline = list(bang_matches(_INLINE_LINK, prose)) if "](" in prose else []
    starts = [match.start() - len(bang) for bang, match in inline] + [len(prose)]
    for position, (bang, match) in enumerate(inline):
        taken.append((starts[position], match.end()))
        # The text after the link, up to the next link on the line (or its end).
        context = prose[match.end():starts[position + 1]].strip(" -–—:")
        context = context if any(ch.isalnum() for ch in context) else ""
        found.append((match.group(2), heading_plain_text(match.group(1)), (match.group(3) or "")[1:-1], bool(bang),
                      context[:120]))
    if "<" in prose:
        for match in _AUTOLINK.finditer(prose):
            taken.append(match.span())
            found.append((match.group(1), match.group(1), "", False, ""))
    if "://" in prose:
        for match in _BARE_URL.finditer(prose):
            if not any(start <= match.start() < end for start, end in taken):
                found.append((match.group(0), match.group(0), "", False, ""))
    ref = _REF_DEF.match(prose) if "]:" in prose else None
    if ref:
        found.append((ref.group(2), ref.group(1), (ref.group(3) or "")[1:-1], False, ""))
    return found


def collect_links(note: Note) -> list[Link]:
    """Every link and image a note writes (inline, autolink, bare URL, reference definition), with line and section."""
    lines, in_code = _body_lines(note.body)
    starts = section_lines(note)
    offset = 0
    links: list[Link] = []
    for index, line in enumerate(lines):
        line_offset, offset = offset, offset + len(line) + 1
        if in_code[index] or not ("](" in line or "<" in line or "://" in line or "]:" in line):
            continue  # most lines hold no link: every pattern of _line_links needs one of these
        found = _line_links(_blank_inline_code(line))
        if not found:
            continue
        source_line = note.line_at(line_offset)
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


# [[Note]], [[Note#Heading|label]]; an embed is "![[file.png]]" (see ``bang_matches``).
_WIKILINK_AFTER_BANG = re.compile(r"\[\[([^\[\]|#]*)(?:#([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]")


def collect_wikilinks(note: Note) -> list[Link]:
    """``[[Note]]``, ``[[Note#Heading|label]]`` and ``![[file.png]]`` (Obsidian), as links."""
    links: list[Link] = []
    if "[[" not in note.body:
        return links
    lines, in_code = _body_lines(note.body)
    starts = section_lines(note)
    offset = 0
    for index, line in enumerate(lines):
        line_offset, offset = offset, offset + len(line) + 1
        if in_code[index] or "[[" not in line:
            continue
        for bang, match in bang_matches(_WIKILINK_AFTER_BANG, _blank_inline_code(line)):
            target = match.group(1) + (f"#{match.group(2)}" if match.group(2) else "")
            source_line = note.line_at(line_offset)
            section = section_at_line(note, source_line, starts)
            links.append(Link(target, match.group(3) or match.group(1) or match.group(2) or "", "", note.slug,
                              section.anchor if section else "", source_line, is_image=bool(bang), wiki=True))
    return links

