"""Enrich stage: pure functions over all notes.

``split_sections`` fills ``Note.sections`` (with the exam domains each section speaks to),
``collect_links`` lists the links every note writes. Backlinks and domain listings are
derived from these on demand, never stored twice.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import html
import posixpath
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import unique as toc_unique

from .model import Domain, Exam, Link, Mention, Note, Section
from .normalize import setext_level

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
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
    named = _exam_memo(exam)[1]  # headings repeat from note to note
    if heading not in named:
        if len(named) >= 65536:
            named.clear()
        named[heading] = _domains_named_in(heading, exam)
    return named[heading]


def _domains_named_in(heading: str, exam: Exam) -> tuple[int, ...]:
    text = heading_plain_text(heading)
    found: list[int] = []
    for match in _DOMAIN_IN_TEXT.finditer(text):
        number = int(match.group(1))
        if exam.domain(number) and number not in found:
            found.append(number)
    if found:
        return tuple(found)
    lowered = text.casefold()
    for number, pattern in _exam_memo(exam)[0]:
        if pattern.search(lowered):
            found.append(number)
    return tuple(found)


# The last exam asked about: its keyword patterns, and the domains each heading seen names.
_KEYWORDS: list[tuple[Exam, list[tuple[int, re.Pattern[str]]], dict[str, tuple[int, ...]]]] = []


def _exam_memo(exam: Exam) -> tuple[list[tuple[int, re.Pattern[str]]], dict[str, tuple[int, ...]]]:
    """One compiled pattern per domain (its name or any keyword, as whole words) and the headings' domains
    found so far, both for the last exam asked about (compiled once per exam)."""
    if not _KEYWORDS or _KEYWORDS[0][0] is not exam:
        patterns = [(domain.number, re.compile(r"(?<![\w-])(?:" + "|".join(
            re.escape(keyword.casefold()) for keyword in (domain.name, *domain.keywords)) + r")(?![\w-])"))
            for domain in exam.domains]
        _KEYWORDS[:] = [(exam, patterns, {})]
    return _KEYWORDS[0][1], _KEYWORDS[0][2]


def pinned_domains(text: str, exam: Exam) -> tuple[int, ...]:
    """Domains pinned by a ``<!-- domain: 2 -->`` comment in a section's text."""
    if "<!--" not in text:  # most sections pin nothing (and the import below costs more than this test)
        return ()
    from .normalize import resolve_domain  # same rules as front matter

    found: list[int] = []
    for match in _DOMAIN_PIN.finditer(text):
        # "2, 3", "2 3", "domain 2 domain 3", "Modeling, Data Engineering": commas always separate.
        for item in re.split(r"\s*[,;]\s*|\s+(?=domain\b)|(?<=\d)\s+(?=\d)", match.group(1), flags=re.I):
            number = resolve_domain(item.strip(), exam)
            if number is not None and number not in found:
                found.append(number)
    return tuple(found)


def _outside_code(lines: list[str]) -> Iterator[tuple[int, str, bool]]:
    """(index, line, in_code) for each line, tracking fenced code blocks."""
    fence = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)[0]
            if fence is None:
                fence = marker
                yield index, line, True
                continue
            if fence == marker:
                fence = None
                yield index, line, True
                continue
        yield index, line, fence is not None


class _Lines(NamedTuple):
    lines: tuple[str, ...]
    in_code: tuple[bool, ...]  # per line, as ``_outside_code`` says


@functools.lru_cache(maxsize=8)  # sections, links, wikilinks and lead-ins of one note ask one after another
def _body_lines(body: str) -> _Lines:
    """A note body cut into lines once, with which of them are fenced code."""
    lines = tuple(body.split("\n"))
    if "```" in body or "~~~" in body:
        in_code = tuple(code for _, _, code in _outside_code(lines))
    else:  # no line can open a fence: none is code
        in_code = (False,) * len(lines)
    return _Lines(lines, in_code)


# The start of a line that may start a section: an ATX heading or a "**Domain N**" lead-in (group 1), or a
# setext underline (its heading is the line above). Searched for in "\n" + body: a pattern starting with
# "\n" is found much faster than one starting with "^", and finding these skips the prose lines in C.
_SECTION_CANDIDATE = re.compile(r"\n(?:( {0,3}#|\*\*Domain)| {0,3}(?:=+|-+)[ \t]*$)", re.M)


def _section_candidates(body: str) -> list[tuple[int, int]]:
    """(line index, character offset) of the lines ``split_sections`` must look at, in order: a superset
    of the lines that can start a section."""
    found: list[tuple[int, int]] = []
    index, offset = 0, 0  # line index of body[offset]
    for match in _SECTION_CANDIDATE.finditer("\n" + body):
        start = match.start()  # where the line starts in body
        index += body.count("\n", offset, start)
        offset = start
        if match.group(1):
            found.append((index, start))
        elif index > 0 and (not found or found[-1][0] != index - 1):  # setext_level asks about the line above
            found.append((index - 1, body.rfind("\n", 0, start - 1) + 1))
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
    lines, in_code = _body_lines(note.body)
    used: set[str] = set()
    starts: list[_Open] = []
    candidates = _section_candidates(note.body)
    for index, _offset in candidates:
        if in_code[index]:
            continue
        line = lines[index]
        # Titles are kept as the reader sees them (every page that shows one escapes it as text):
        # "Using `boto3`", "Q\&A" or "Heading {#id}" in the source would show their syntax otherwise.
        heading = _ATX_HEADING.match(line)
        if heading:
            text = heading.group(2)
            starts.append(_Open(heading_plain_text(text), heading_anchor(text, used), len(heading.group(1)), index,
                                domains_named_in(text, exam)))
            continue
        level = setext_level(lines, index)
        if level:
            text = line.strip()
            starts.append(_Open(heading_plain_text(text), heading_anchor(text, used), level, index,
                                domains_named_in(text, exam), underlined=True))
            continue
        lead = _DOMAIN_LEAD_IN.match(line)
        if lead and (index == 0 or not lines[index - 1].strip()) and exam.domain(int(lead.group(1))):
            parent_level = next((s.level for s in reversed(starts) if not s.lead_in), 1)
            title = heading_plain_text(lead.group(0))
            starts.append(_Open(title, toc_unique(toc_slugify(title, "-") or "domain", used), parent_level + 1, index,
                                (int(lead.group(1)),), lead_in=True))
    offsets = dict(candidates)  # character offset in the body of each section's first line
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
    lines, in_code = _body_lines(note.body)
    for index, _offset in _section_candidates(note.body):  # a lead-in line is one of them
        line = lines[index]
        if not in_code[index] and by_title.get(line) and (index == 0 or not lines[index - 1].strip()):
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
    return [(domain, sorted(members, key=lambda n: (n.title.casefold(), n.slug))) for domain, members in ordered if members]


def sections_for_domain(notes: Iterable[Note], domain: Domain) -> list[tuple[Note, Section]]:
    """Every note section that speaks to ``domain``, in note order."""
    return [(note, section) for note in notes for section in note.sections if domain.number in section.domains]


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
        section = section_at_line(note, source_line)
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


def section_at_line(note: Note, line: int) -> Section | None:
    """The innermost section whose heading is at or above ``line``."""
    if not _SECTION_LINES or _SECTION_LINES[0] is not note.sections:  # callers ask line after line of one note
        _SECTION_LINES[:] = [note.sections, [section.line for section in note.sections]]
    end = bisect.bisect_right(_SECTION_LINES[1], line)  # sections are in document order: lines never go down
    return note.sections[end - 1] if end else None


_SECTION_LINES: list = []  # (sections of the last note asked about, their lines)


def note_mentions(note: Note, found: Iterable) -> list[Mention]:  # noqa: ANN001 - mentions.Found
    """The matcher's finds in one note's body as mentions, with section and source line."""
    mentions = []
    for hit in found:
        line = note.line_at(hit.start)
        section = section_at_line(note, line)
        mentions.append(Mention(hit.service_key, note.slug, section.anchor if section else "", line, hit.text))
    return mentions


# [[Note]], [[Note#Heading|label]]; an embed is "![[file.png]]" (see ``bang_matches``).
_WIKILINK_AFTER_BANG = re.compile(r"\[\[([^\[\]|#]*)(?:#([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]")


@dataclasses.dataclass(frozen=True)
class Target:
    """Where an internal link of a note leads."""

    kind: str  # "note", "attachment", "anchor" (same page), "missing"
    note_slug: str = ""
    anchor: str = ""
    attachment: str = ""
    message: str = ""


_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


class NoteIndex:
    """Finds notes by file name (with or without extension) or title, for relative links and [[wikilinks]]."""

    def __init__(self, notes: Iterable[Note], notes_dir: str, attachments: set[str]) -> None:
        self.notes_dir = notes_dir
        self.attachments = attachments
        self._resolved: dict[tuple[str, str, bool], Target | None] = {}
        self.by_path: dict[str, Note] = {}
        self.by_name: dict[str, Note] = {}
        for note in notes:
            path = note.source.replace("\\", "/")
            self.by_path[path] = note
            name = path.rsplit("/", 1)[-1]
            self.by_name.setdefault(name.casefold(), note)
            self.by_name.setdefault(name.rsplit(".", 1)[0].casefold(), note)
        for note in notes:
            self.by_name.setdefault(note.title.casefold(), note)
            aliases = note.extra.get("aliases") or []  # Obsidian: [[alias]] links to the note
            for alias in [aliases] if isinstance(aliases, str) else aliases:
                self.by_name.setdefault(str(alias).casefold(), note)

    def anchor_in(self, note: Note, heading: str) -> str | None:
        """The anchor of ``heading`` (an anchor or a heading text) in ``note``, if it has one."""
        wanted = heading.strip()
        slug = None
        for section in note.sections:
            if wanted in (section.anchor, section.title):
                return section.anchor
            if slug is None:
                slug = toc_slugify(wanted, "-")
            if slug == section.anchor:
                return section.anchor
        return None

    def resolve(self, note: Note, url: str, wiki: bool = False) -> Target | None:
        """Target of an internal link written in ``note``; None for external links and other pages' URLs."""
        # Memoized: the check stage, backlinks and the note's page each ask for every link.
        key = (note.slug, url, wiki)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(note, url, wiki)
        return self._resolved[key]

    def _resolve(self, note: Note, url: str, wiki: bool) -> Target | None:
        if not wiki and (_URL_SCHEME.match(url) or url.startswith(("//", "/", "@"))):
            return None
        path, _, fragment = url.partition("#")
        if not path:
            anchor = self.anchor_in(note, fragment) if fragment else None
            return Target("anchor", note.slug, anchor) if anchor else Target(
                "missing", message=f"link to '#{fragment}': this note has no such heading")
        if wiki:
            target = self.by_name.get(path.strip().casefold())
        else:
            base = note.source.rsplit("/", 1)[0] if "/" in note.source else ""
            joined = posixpath.normpath(posixpath.join(base, path.replace("%20", " ")))
            target = self.by_path.get(joined)
            name = joined.rsplit("/", 1)[-1]
            if target is None and name in self.attachments:
                return Target("attachment", attachment=name)
        if target is None:
            if wiki and path.strip() in self.attachments:
                return Target("attachment", attachment=path.strip())
            return Target("missing", message=f"link to '{url}': no note or attachment has that name")
        if fragment:
            anchor = self.anchor_in(target, fragment)
            if anchor is None:
                return Target("missing", message=f"link to '{url}': '{target.source}' has no heading '{fragment}'")
            return Target("note", target.slug, anchor)
        return Target("note", target.slug)


def collect_wikilinks(note: Note) -> list[Link]:
    """``[[Note]]``, ``[[Note#Heading|label]]`` and ``![[file.png]]`` (Obsidian), as links."""
    links: list[Link] = []
    if "[[" not in note.body:
        return links
    lines, in_code = _body_lines(note.body)
    offset = 0
    for index, line in enumerate(lines):
        line_offset, offset = offset, offset + len(line) + 1
        if in_code[index] or "[[" not in line:
            continue
        for bang, match in bang_matches(_WIKILINK_AFTER_BANG, _blank_inline_code(line)):
            target = match.group(1) + (f"#{match.group(2)}" if match.group(2) else "")
            source_line = note.line_at(line_offset)
            section = section_at_line(note, source_line)
            links.append(Link(target, match.group(3) or match.group(1) or match.group(2) or "", "", note.slug,
                              section.anchor if section else "", source_line, is_image=bool(bang), wiki=True))
    return links


def backlinks(site_links: Iterable[Link], index: NoteIndex, notes: Iterable[Note]) -> dict[str, list[Link]]:
    """Target note slug → the links from other notes that lead to it (derived, never stored)."""
    by_slug = {n.slug: n for n in notes}
    found: dict[str, list[Link]] = {}
    for link in site_links:
        if link.is_external or link.note_slug not in by_slug:
            continue
        target = index.resolve(by_slug[link.note_slug], link.url, link.wiki)
        if target and target.kind == "note" and target.note_slug != link.note_slug:
            found.setdefault(target.note_slug, []).append(link)
    return found
