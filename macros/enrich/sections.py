"""Enrich stage, sections: a note's headings (and "**Domain N**" lead-ins), each with the exam domains it
speaks to; fills ``Note.sections``. Also the per-domain views derived from sections (primary domain,
note groups, a domain's sections).
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import html
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import unique as toc_unique

from ..model import Domain, Exam, Note, Section, note_order
from ..markdown_scan import Heading, MarkdownScan
from ..normalize import note_markdown, resolve_domain

_DOMAIN_IN_TEXT = re.compile(r"\bdomain\s*(\d+)\b", re.I)
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


def domains_named_in(heading: str, exam: Exam) -> tuple[int, ...]:
    """Domains a heading names: "Domain N", or one of a domain's keywords as whole words."""
    return _heading_domains(exam.domains)(heading)


class _HeadingDomains:
    """One compiled pattern per domain (its name or any keyword, as whole words), and the domains each
    heading seen so far names: headings repeat from note to note."""

    def __init__(self, domains: tuple[Domain, ...]) -> None:
        self.numbers = {domain.number for domain in domains}
        self.patterns = [(domain.number, re.compile(r"(?<![\w-])(?:" + "|".join(
            re.escape(keyword.casefold()) for keyword in (domain.name, *domain.keywords)) + r")(?![\w-])"))
            for domain in domains]
        self.named: dict[str, tuple[int, ...]] = {}

    def __call__(self, heading: str) -> tuple[int, ...]:
        if heading not in self.named:
            if len(self.named) >= 65536:
                self.named.clear()
            self.named[heading] = self._domains_named_in(heading)
        return self.named[heading]

    def _domains_named_in(self, heading: str) -> tuple[int, ...]:
        text = heading_plain_text(heading)
        found: list[int] = []
        for match in _DOMAIN_IN_TEXT.finditer(text):
            number = int(match.group(1))
            if number in self.numbers and number not in found:
                found.append(number)
        if found:
            return tuple(found)
        lowered = text.casefold()
        for number, pattern in self.patterns:
            if pattern.search(lowered):
                found.append(number)
        return tuple(found)


@functools.lru_cache(maxsize=8)  # keyed on the exam's (frozen) domains: compiled once per outline
def _heading_domains(domains: tuple[Domain, ...]) -> _HeadingDomains:
    return _HeadingDomains(domains)


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
    own_domains: tuple[int, ...]
    lead_in: bool = False
    underlined: bool = False  # a setext heading: its text is followed by a "===" / "---" line


def split_sections(note: Note, exam: Exam) -> tuple[Section, ...]:
    """Headings (and "**Domain N**" lead-in paragraphs) of a note, each with its domains.

    A section speaks to a domain when its heading names it, when it pins it with
    ``<!-- domain: N -->``, or when its enclosing section does; sections that match
    nothing fall back to the domains the note pins in its front matter.
    """
    scan = note_markdown(note)
    lines = note.body.split("\n")
    named_in = _heading_domains(exam.domains)
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
                                index, named_in(heading.text), underlined=underlined))
            offsets[index] = offset
            continue
        index = heading
        lead = _DOMAIN_LEAD_IN.match(lines[index])
        if lead and exam.domain(int(lead.group(1))):
            parent_level = next((s.level for s in reversed(starts) if not s.lead_in), 1)
            title = heading_plain_text(lead.group(0))
            starts.append(_Open(title, toc_unique(toc_slugify(title, "-") or "domain", used), parent_level + 1, index,
                                (int(lead.group(1)),), lead_in=True))
            offsets[index] = offset
    sections: list[Section] = []
    stack: list[tuple[int, str, tuple[int, ...]]] = []  # (level, anchor, effective domains)
    for position, start in enumerate(starts):
        end = starts[position + 1].line_index if position + 1 < len(starts) else len(lines)
        first_body = start.line_index if start.lead_in else start.line_index + (2 if start.underlined else 1)
        body = "\n".join(lines[first_body:end]).strip("\n")
        while stack and stack[-1][0] >= start.level:
            stack.pop()
        if start.lead_in:  # a lead-in part ends where the next one starts; it never nests another
            while stack and stack[-1][1].startswith("__lead__"):
                stack.pop()
        inherited = stack[-1][2] if stack else ()
        domains = pinned_domains(body, exam) or start.own_domains or inherited
        parent = stack[-1][1].removeprefix("__lead__") if stack else None
        sections.append(
            Section(
                note_slug=note.slug,
                title=start.title,
                anchor=start.anchor,
                level=start.level,
                line=note.line_at(offsets[start.line_index]),
                body=body,
                domains=domains or note.domains,
                parent=parent,
            )
        )
        stack.append((start.level, ("__lead__" if start.lead_in else "") + start.anchor, domains))
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
    """The exam domain a note is filed under: the first its front matter pins, else the one most of
    its sections' text speaks to (ties: the lower number); None when no section speaks to any."""
    if note.domains:
        return note.domains[0]
    weight: dict[int, int] = {}
    for section in note.sections:
        for number in section.domains:
            weight[number] = weight.get(number, 0) + len(section.body) + 1
    return min(weight, key=lambda number: (-weight[number], number)) if weight else None


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
    """Every note section that speaks to ``domain``, in note order."""
    return [(note, section) for note in notes for section in note.sections if domain.number in section.domains]


def section_lines(note: Note) -> list[int]:
    """The source line of each of a note's sections, for ``section_at_line``."""
    return [section.line for section in note.sections]


def section_at_line(note: Note, line: int, lines: list[int] | None = None) -> Section | None:
    """The innermost section whose heading is at or above ``line``; ``lines``: ``section_lines(note)``,
    computed once by a caller that asks line after line of one note."""
    lines = section_lines(note) if lines is None else lines
    end = bisect.bisect_right(lines, line)  # sections are in document order: lines never go down
    return note.sections[end - 1] if end else None
