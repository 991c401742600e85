"""Enrich stage, sections: a note's headings (and "**Domain N**" lead-ins), each with the domains it pins;
fills ``Note.sections``. Which domains and tasks a section speaks to is ``macros.assign``'s answer, put on the
sections by the pipeline; the per-domain views here (note groups, a domain's sections) read it.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import html
import re
from collections.abc import Iterable

from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import unique as toc_unique

from ..model import Domain, Exam, Note, Section, note_order
from ..markdown_scan import Heading, MarkdownScan
from ..normalize import note_markdown, resolve_domain

# A paragraph that opens with "**Domain 2**" starts a part of the note about that domain.
_DOMAIN_LEAD_IN = re.compile(r"^\*\*Domain\s+(\d+)\b[^*]*\*\*")
_DOMAIN_PIN = re.compile(r"<!--\s*domains?\s*:\s*([^>]*?)\s*-->", re.I)
_ATTR_LIST = re.compile(r"\s*(?<!\\)\{:?[^}]*\}\s*$")  # an escaped "\{" is text, not an attribute list


_PLAIN_TEXT = [(re.compile(pattern), repl) for pattern, repl in (
    (r"!?\[([^\]]*)\]\([^)]*\)", r"\1"), (r"`([^`]*)`", r"\1"), (r"(\*\*|__)(.+?)\1", r"\2"),
    (r"(?<!\w)([*_])(.+?)\1(?!\w)", r"\2"), (r"\\(.)", r"\1"), (r"<[^>]+>", ""))]
_EXPLICIT_ID = re.compile(r"(?<!\\)\{[^}]*#([\w-]+)[^}]*\}\s*$")


@functools.lru_cache(maxsize=65536)  # headings repeat (anchor and domains of one heading, rebuilds under serve)
def heading_plain_text(markdown: str) -> str:
    """The text a reader sees in a heading (what the TOC slugifies)."""
    text = _ATTR_LIST.sub("", markdown)
    for pattern, repl in _PLAIN_TEXT:
        text = pattern.sub(repl, text)
    # Entities ("&amp;" in an essay heading) are one character to the reader and to the TOC's slug.
    return html.unescape(text).strip()


def heading_anchor(markdown: str, used: set[str]) -> str:
    """The id Python-Markdown's TOC gives a heading (unique within the page)."""
    explicit = _EXPLICIT_ID.search(markdown) if "{" in markdown else None  # a quick test first: most have none
    anchor = explicit.group(1) if explicit else _heading_slug(markdown)
    return toc_unique(anchor or "section", used)


@functools.lru_cache(maxsize=65536)
def _heading_slug(markdown: str) -> str:
    return toc_slugify(heading_plain_text(markdown), "-")


def pinned_domains(text: str, exam: Exam) -> tuple[int, ...]:
    """Domains pinned by a ``<!-- domain: 2 -->`` comment in a section's text."""
    if "<!--" not in text:  # most sections pin nothing
        return ()
    found: list[int] = []
    for match in _DOMAIN_PIN.finditer(text):
        # "2, 3", "2 3", "domain 2 domain 3", "Modeling, Data Engineering": commas always separate.
        for item in re.split(r"\s*[,;]\s*|\s+(?=domain\b)|(?<=\d)\s+(?=\d)", match.group(1), flags=re.I):
            number = resolve_domain(item.strip(), exam)  # same rules as front matter
            if number is not None and number not in found:
                found.append(number)
    return tuple(found)



# A "**Domain N**" lead-in at the start of a line; searched for in "\n" + body (faster than "^" with re.M).
_LEAD_IN_CANDIDATE = re.compile(r"\n\*\*Domain")


def _lead_in_starts(body: str, scan: MarkdownScan) -> list[tuple[int, int]]:
    """(offset, line index) of each prose line of ``body`` that starts with "**Domain" after a blank line."""
    found: list[tuple[int, int]] = []
    index, offset = 0, 0
    for match in _LEAD_IN_CANDIDATE.finditer("\n" + body):
        start = match.start()
        index += body.count("\n", offset, start)
        offset = start
        before = body[body.rfind("\n", 0, start - 1) + 1:start - 1] if start else ""
        if not before.strip() and not scan.in_code_or_html(start):
            found.append((start, index))
    return found


@dataclasses.dataclass
class _Open:
    title: str
    anchor: str
    level: int
    line_index: int
    lead_in: bool = False
    underlined: bool = False  # a setext heading: its text is followed by a "===" / "---" line


def split_sections(note: Note, exam: Exam) -> tuple[Section, ...]:
    """Headings (and "**Domain N**" lead-in paragraphs) of a note, each with the domains it pins
    (``<!-- domain: N -->``). The domains and tasks each section speaks to are assigned later, from all the
    evidence (``macros.assign``, wired by the pipeline): a heading naming a domain is one piece of it.
    """
    scan = note_markdown(note)
    lines = note.body.split("\n")
    used: set[str] = set()
    starts: list[_Open] = []
    # Headings as the scanner reads them (Python-Markdown's rules), and lead-in paragraphs, in text order.
    candidates = sorted([(h.start, h) for h in scan.headings] + _lead_in_starts(note.body, scan), key=lambda c: c[0])
    offsets: dict[int, int] = {}  # line index -> character offset in the body of each section's first line
    for offset, heading in candidates:
        if isinstance(heading, Heading):
            # Titles are kept as the reader sees them (every page that shows one escapes it as text):
            # "Using `boto3`", "Q\&A" or "Heading {#id}" in the source would show their syntax otherwise.
            index = heading.line - 1
            underlined = "\n" in note.body[heading.start:heading.end]  # setext: text, then a "===" / "---" line
            starts.append(_Open(heading_plain_text(heading.text), heading_anchor(heading.text, used), heading.level,
                                index, underlined=underlined))
            offsets[index] = offset
            continue
        index = heading
        lead = _DOMAIN_LEAD_IN.match(lines[index])
        if lead and exam.domain(int(lead.group(1))):
            parent_level = next((s.level for s in reversed(starts) if not s.lead_in), 1)
            title = heading_plain_text(lead.group(0))
            starts.append(_Open(title, toc_unique(toc_slugify(title, "-") or "domain", used), parent_level + 1, index,
                                lead_in=True))
            offsets[index] = offset
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []  # (level, anchor) of the enclosing sections
    for position, start in enumerate(starts):
        end = starts[position + 1].line_index if position + 1 < len(starts) else len(lines)
        first_body = start.line_index if start.lead_in else start.line_index + (2 if start.underlined else 1)
        body = "\n".join(lines[first_body:end]).strip("\n")
        while stack and stack[-1][0] >= start.level:
            stack.pop()
        if start.lead_in:  # a lead-in part ends where the next one starts; it never nests another
            while stack and stack[-1][1].startswith("__lead__"):
                stack.pop()
        parent = stack[-1][1].removeprefix("__lead__") if stack else None
        sections.append(
            Section(
                note_slug=note.slug,
                title=start.title,
                anchor=start.anchor,
                level=start.level,
                line=note.line_at(offsets[start.line_index]),
                body=body,
                domains=pinned_domains(body, exam),
                parent=parent,
            )
        )
        stack.append((start.level, ("__lead__" if start.lead_in else "") + start.anchor))
    return tuple(sections)


def lead_in_anchors(note: Note) -> dict[int, str]:
    """Line index in ``note.body`` of each "**Domain N**" lead-in paragraph → its anchor."""
    by_title: dict[str, list[str]] = {}  # a note may repeat a lead-in ("**Domain 1**" twice): anchors in order
    for section in note.sections:
        if _DOMAIN_LEAD_IN.match(section.body.split("\n", 1)[0] if section.body else ""):
            by_title.setdefault(section.body.split("\n", 1)[0], []).append(section.anchor)
    found: dict[int, str] = {}
    if not by_title:
        return found
    lines = note.body.split("\n")
    for _offset, index in _lead_in_starts(note.body, note_markdown(note)):
        line = lines[index]
        if by_title.get(line):
            found[index] = by_title[line].pop(0)
    return found


def primary_domain(note: Note) -> int | None:
    """The exam domain a note is filed under: its assigned primary domain (``Note.placement``), else the first
    its front matter pins (a note the pipeline has not placed)."""
    if note.placement is not None:
        return note.placement.primary
    return note.domains[0] if note.domains else None


def group_by_domain(notes: Iterable[Note], exam: Exam) -> list[tuple[Domain | None, list[Note]]]:
    """Notes filed under their primary domain, in exam order, then those under none (``None``, "Other");
    each note in exactly one group, by title within it; empty groups are left out."""
    groups: dict[int | None, list[Note]] = {domain.number: [] for domain in exam.domains}
    groups[None] = []
    for note in notes:
        number = primary_domain(note)
        groups[number if number in groups else None].append(note)
    ordered: list[tuple[Domain | None, list[Note]]] = [(domain, groups[domain.number]) for domain in exam.domains]
    ordered.append((None, groups[None]))
    return [(domain, sorted(members, key=note_order)) for domain, members in ordered if members]


def sections_for_domain(notes: Iterable[Note], domain: Domain) -> list[tuple[Note, Section]]:
    """Every note section that speaks to ``domain``, strongest first (``Section.strength``; ties in note order)."""
    found = [(note, section) for note in notes for section in note.sections if domain.number in section.domains]
    return sorted(found, key=lambda item: -item[1].strength(domain.number))  # stable: note order within a tie


def section_lines(note: Note) -> list[int]:
    """The source line of each of a note's sections, for ``section_at_line``."""
    return [section.line for section in note.sections]


def section_at_line(note: Note, line: int, lines: list[int] | None = None) -> Section | None:
    """The innermost section whose heading is at or above ``line``; ``lines``: ``section_lines(note)``,
    computed once by a caller that asks line after line of one note."""
    lines = section_lines(note) if lines is None else lines
    end = bisect.bisect_right(lines, line)  # sections are in document order: lines never go down
    return note.sections[end - 1] if end else None
