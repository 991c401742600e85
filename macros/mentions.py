"""Find, link and check AWS service mentions in Markdown text.

Pure functions over Markdown text (no MkDocs import). One ``ServiceMatcher`` is built
per build from the glossary catalog and then used on every note.

How a mention is found
----------------------
* **One pass for all services.** A single Aho–Corasick automaton (pyahocorasick) holds
  every spelling of every service (name, aliases, former names, misspellings), keyed in
  lower case. One scan of the lower-cased text (line breaks, tabs and no-break spaces
  read as spaces, so a spelling may wrap) yields every candidate; linear filters
  then keep whole words only (the characters either side are not letters, digits or
  ``_``), and overlaps are resolved **longest match first, leftmost first among equals**:
  "Amazon Kinesis Data Firehose" is one mention, not "Kinesis" + "Firehose", and
  "SageMaker Neo" is Neo, not SageMaker.
* **Case rule.** A spelling with a "brand word" (a word with a capital after its first
  letter: SageMaker, DynamoDB, CloudWatch, S3, EMR, AWS Glue) matches in any
  capitalisation ("Sagemaker" is SageMaker, not a misspelling). Any other spelling of
  several words (Ground Truth, Data Pipeline, Amazon Comprehend) matches in any
  capitalisation *except all lower case* (unless the catalog itself writes it in lower
  case, like "multi-model endpoints"), so "ground truth" or "data pipeline" in a sentence
  is never a mention; a single plain word (Glue, Lambda, Polly, Comprehend) matches only
  exactly as the catalog writes it, so "glue code" and "comprehend" never are.
* **Context rule** for a service's ``needs_context`` words (ordinary English such as
  Glue, Lambda, Lex, Neo, Forecast, Translate, Ground Truth): a match written all in
  lower case never counts; otherwise a match counts only if (a) it directly follows
  "AWS ", "Amazon " or "SageMaker " (with AWS/Amazon, the mention then includes that
  word), or (b) an unambiguous mention of the same service (a spelling not in
  ``needs_context``) comes earlier in the same text, or (c) it sits in a list of
  services: the mention before or after it, of another service, lies within
  ``LIST_WINDOW`` characters with no sentence end or blank line between them ("such as
  Poly, Lex, Comprehend, and Transcribe"), or (d) its service's parent (a service whose
  name or spelling the service's name extends: "Amazon SageMaker" for "Amazon SageMaker
  Ground Truth", "Amazon Rekognition" for "… Custom Labels") is mentioned earlier in the
  same paragraph or list block (no blank line between), as in a sub-bullet "Ground Truth
  for data labeling" under "**Amazon SageMaker:**".
* **Skipped regions** (never found, never linked): YAML front matter at the very top,
  fenced (```/~~~) and indented code blocks, inline code, whole links and images
  (``[label](url "title")``, ``![alt](src)``, ``[label][ref]``, ``[label][]``, ``[label]``
  when ``[label]:`` is defined) and link reference definitions, autolinks ``<https://…>``,
  bare URLs (``https://…``, ``www.…``) and e-mail addresses, raw HTML tags with their
  attributes (and the content of inline ``<a>``, ``<code>``, ``<kbd>``, ``<pre>`` …
  elements, where a link would nest or show as code), HTML comments and HTML blocks, headings (ATX and setext), and the title
  lines of admonitions/content tabs (``!!! note "…"``, ``??? …``, ``=== "…"``). Tables,
  list items and block quotes are prose.

``suspects`` reports, in prose only:

* "unknown": "Amazon X …"/"AWS X …" (one to four capitalised words, up to punctuation, a
  lower-case word, a line end or a known mention) whose X is not part of a mention and
  which does not start with a ``NOT_SERVICES`` phrase, e.g. "Amazon Bedrock";
* "misspelling": one to four capitalised words, one space apart, not part of a mention,
  within one edit (Damerau–Levenshtein) of a catalog spelling, or with a difflib ratio
  ≥ 0.85 for five letters or more, compared case-insensitively; the spelling "Amazon X"/
  "AWS X" is also tried as "X". Not checked: single words shorter than four letters or
  all capitals (acronyms), runs made only of ``COMMON_WORDS``, a case variant of a
  spelling, and an inflection ("Translates", "Pipeline" for "Pipelines"). The
  suggestion is the canonical name of the service whose spelling is nearest.
"""
from __future__ import annotations

import bisect
import difflib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

import ahocorasick

from .model import Catalog, Service

__all__ = [
    "Found",
    "Suspect",
    "ServiceMatcher",
    "NOT_SERVICES",
    "COMMON_WORDS",
    "LIST_WINDOW",
    "skipped_mask",
    "heading_starts",
]

LIST_WINDOW = 40  # characters between two mentions that still make a list (context rule c)

#: "Amazon …"/"AWS …" phrases that are not services. A phrase is left alone when its
#: words start with one of these (compared case-insensitively), e.g. "AWS Certified
#: Machine Learning – Specialty", "AWS ML services", "AWS Cloud".
NOT_SERVICES: tuple[str, ...] = (
    "Amazon Web Services",  # the company
    "AWS Certified",  # certification titles
    "AWS Certificated",  # seed 003 misspells "Certified" in the exam title
    "AWS Certification",
    "AWS Cloud",
    "AWS Console",  # the web console, not a service of the exam
    "AWS Official Study Guide",  # a book
    "AWS Documentation",
    "AWS Exam Readiness",  # training courses
    "AWS SkillBuilder",
    "AWS Skill Builder",
    "AWS Training",
    "AWS Experience",  # a résumé line
    "AWS ML",  # "AWS ML services", "AWS ML Specialty"
    "AWS AI",  # "AWS AI services"
    "AWS Machine Learning",  # "AWS Machine Learning Specialty", "… Services"
    "AWS Services",  # a title-case "AWS services"
)

#: Capitalised ordinary English words never reported as misspellings (sentence starts
#: and headings are full of them; several are one letter away from a service word).
COMMON_WORDS: frozenset[str] = frozenset(
    """
    a an the this that these those there then they their them when while with what where
    which who why how also and but for from into like many more most some such each
    other once only our your its new now let lets not use used using note see may can
    will data model models training learning machine service services amazon aws
    cloud exam domain study guide part step steps best key core text image images
    batch stream streams streaming store stores table tables query queries
    """.split()
)

def _lower_same_length(text: str) -> str:
    """``text.lower()``, but never changing the length (offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _spaced(text: str) -> str:
    """``text`` with line breaks, tabs and no-break spaces read as spaces (a spelling's space
    matches them too); three ``replace`` calls are several times faster than ``translate``."""
    return text.replace("\n", " ").replace("\t", " ").replace("\u00a0", " ")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _has_brand_word(spelling: str) -> bool:
    return any(any(c.isupper() for c in word[1:]) for word in spelling.split())


# Case rules, one per spelling (see the module docstring).
_ANY_CASE, _NOT_ALL_LOWER, _EXACT = 0, 1, 2


def _case_rule(spelling: str) -> int:
    if _has_brand_word(spelling):
        return _ANY_CASE
    if len(spelling.split()) > 1:
        return _NOT_ALL_LOWER
    return _EXACT


def _case_ok(rule: int, spelling: str, written: str) -> bool:
    if rule == _ANY_CASE:
        return True
    if rule == _NOT_ALL_LOWER:  # all lower case only where the catalog writes it so
        return written == spelling or any(c.isupper() for c in written)
    return written == spelling


# --------------------------------------------------------------------------- tokenizer

_FRONT_OPEN = re.compile(r"\ufeff?---[ \t]*\r?$")
_FRONT_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*\r?$")
_QUOTE = re.compile(r"(?:[ ]{0,3}>[ ]?)*")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*$")
_HR = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_CONTAINER = re.compile(r"[ \t]*(?:!!!|\?\?\?\+?|===\+?)[ \t]+\S")  # admonition, details, tab
_BLOCK_MARKERS = frozenset("#>-*+_=<[!?~`")  # first characters of block constructs (digits too: lists)
_REF_DEF = re.compile(r"[ ]{0,3}\[(?!\^)((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*\S")
_HTML_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul"
)
_HTML_RAW_START = re.compile(r"[ ]{0,3}<(script|pre|style|textarea)(?:[\s>]|$)", re.I)
_HTML_BLOCK_START = re.compile(rf"[ ]{{0,3}}</?(?:{_HTML_BLOCK_TAGS})(?:[\s>]|/>|$)", re.I)
_ATTR = r"(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)"
_HTML_TAG = re.compile(
    rf"<[A-Za-z][A-Za-z0-9-]*{_ATTR}*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>",
    re.S,
)
_HTML_TAG_LINE = re.compile(rf"[ ]{{0,3}}(?:<[A-Za-z][A-Za-z0-9-]*{_ATTR}*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$")
_OPEN_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
_OPAQUE_TAGS = frozenset({"a", "code", "kbd", "samp", "pre", "script", "style", "textarea"})
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>")
# Every alternative of the searched patterns below starts with a literal character (no
# "`+", "!?", "[...]" or look-behind up front), so that ``re`` skips ahead to the next
# possible first character in C instead of trying each alternative at every offset:
# several times faster. A look-behind that must hold before a match is written after its
# first characters, reaching back over them.
_INLINE = re.compile(
    r"\\[\s\S]"  # backslash escape
    r"|``*"  # code span opener (`+)
    r"|<"  # autolink, raw HTML, comment
    r"|!\[|\["  # image or link
    r"|://|www\.(?<![\w.+/-]www\.)|@"  # bare URL or e-mail address, found by its middle
)
_URL_REST = re.compile(r"[^\s<>]*")
_SCHEME_BACK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,31}\Z")
_EMAIL_LOCAL_BACK = re.compile(r"[\w.+-]+\Z")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _norm_label(label: str) -> str:
    return " ".join(label.split()).casefold()


class _Scanner:
    """Split Markdown into prose and skipped regions; remember where headings start."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mask = bytearray(len(text))  # 1 = not prose
        self.headings: list[int] = []  # offsets of the first character of each heading
        self.ref_labels: set[str] = set()
        self._found: dict[str, tuple[int | None, int | None]] = {}  # see _next
        self.runs: list[tuple[int, int]] = []  # paragraph runs (consecutive prose lines)
        self._blocks()
        for start, end in self.runs:
            self._inline(start, end)

    def skip(self, start: int, end: int) -> None:
        if end > start:
            self.mask[start:end] = b"\x01" * (end - start)

    # ---- block level, line by line
    def _blocks(self) -> None:
        text = self.text
        lines: list[tuple[int, int]] = []  # (start, end without "\n")
        pos = 0
        for part in text.split("\n"):
            lines.append((pos, pos + len(part)))
            pos += len(part) + 1
        i = 0
        if lines and _FRONT_OPEN.match(text, lines[0][0], lines[0][1]):
            for j in range(1, len(lines)):
                if _FRONT_CLOSE.match(text, lines[j][0], lines[j][1]):
                    self.skip(0, lines[j][1])
                    i = j + 1
                    break
        fence: tuple[str, int] | None = None
        html_end: str | None = None  # "" = ends at a blank line
        para: list[tuple[int, int]] = []
        in_container = False  # inside a list item, admonition or tab: indented lines are prose
        prev_blank = True

        def flush() -> None:
            if para:
                self.runs.append((para[0][0], para[-1][1]))
                para.clear()

        for start, end in lines[i:]:
            if fence is None and html_end is None:
                # Fast paths for the commonest lines: blank, an ordinary paragraph line and a
                # bullet item. A paragraph line starts with a character no block construct can
                # start with (every block pattern above allows only blanks before its marker),
                # so none is tried. "- x" (x not blank, nor a marker of a rule "- - -") can
                # only be a list item.
                if start == end:
                    flush()
                    prev_blank = True
                    continue
                c = text[start]
                if c not in _BLOCK_MARKERS and not c.isspace() and not c.isdecimal():  # \d is isdecimal
                    if prev_blank:
                        in_container = False  # not indented after a blank line (see below)
                    prev_blank = False
                    para.append((start, end))
                    continue
                if (
                    c in "-*+"
                    and end - start > 2
                    and text[start + 1] == " "
                    and (c2 := text[start + 2]) not in "-*_"
                    and not c2.isspace()
                ):
                    in_container = True
                    prev_blank = False
                    para.append((start, end))
                    continue
            line = text[start:end].rstrip("\r")
            if fence is not None:
                self.skip(start, end)
                m = _FENCE.match(line)
                if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] and not m.group(2).strip():
                    fence = None
                continue
            if html_end is not None:
                if html_end == "" and not line.strip():
                    html_end = None
                    prev_blank = True
                    continue
                self.skip(start, end)
                if html_end and html_end in line.lower():
                    html_end = None
                continue
            q = _QUOTE.match(line).end()
            body = line[q:]
            if not body.strip():
                flush()
                prev_blank = True
                continue
            expanded = body.expandtabs(4)
            indent = len(expanded) - len(expanded.lstrip(" "))
            was_blank, prev_blank = prev_blank, False
            if indent >= 4 and not in_container and not para:
                self.skip(start, end)  # indented code block
                continue
            m = _FENCE.match(body)
            if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                flush()
                fence = (m.group(1)[0], len(m.group(1)))
                self.skip(start, end)
                continue
            if _ATX.match(body):
                flush()
                self.headings.append(start)
                self.skip(start, end)
                continue
            if _SETEXT.match(body) and para and not in_container:
                first = para[0][0]
                self.headings.append(first)
                self.skip(first, end)
                para.clear()
                continue
            if _HR.match(body):
                flush()
                self.skip(start, end)
                continue
            if body.lstrip().startswith("<"):
                stripped = body.lstrip()
                end_mark: str | None = None
                if stripped.startswith("<!--"):
                    end_mark = "-->"
                elif (raw := _HTML_RAW_START.match(body)) is not None:
                    end_mark = f"</{raw.group(1).lower()}>"
                elif stripped.startswith("<?"):
                    end_mark = "?>"
                elif stripped.startswith("<![CDATA["):
                    end_mark = "]]>"
                elif stripped.startswith("<!") and stripped[2:3].isalpha():
                    end_mark = ">"
                elif _HTML_BLOCK_START.match(body) or (not para and _HTML_TAG_LINE.match(body)):
                    end_mark = ""
                if end_mark is not None:
                    flush()
                    self.skip(start, end)
                    first_line_rest = stripped[4:] if end_mark == "-->" else stripped[1:]
                    if end_mark and end_mark in first_line_rest.lower():
                        continue
                    html_end = end_mark
                    continue
            if d := _REF_DEF.match(body):  # even inside a paragraph, as Python-Markdown reads it
                flush()
                self.ref_labels.add(_norm_label(d.group(1)))
                self.skip(start, end)
                continue
            if _CONTAINER.match(body):
                flush()
                in_container = True
                self.skip(start, end)  # admonition/tab title line
                continue
            if _LIST_ITEM.match(body):
                in_container = True
            elif indent == 0 and was_blank:
                in_container = False
            para.append((start, end))
        flush()  # an unclosed fence or HTML block was skipped to the end

    # ---- inline level, one paragraph run at a time
    # Every search below either moves ``pos`` forward past what it read or remembers that
    # nothing is left to find (``_next``), so a run is scanned in linear time.
    def _inline(self, start: int, limit: int) -> None:
        text = self.text
        self._no_closer: set[int] = set()  # backtick run lengths with no closer left in this run
        self._close_of: dict[int, int] = self._match_brackets(start, limit) if text.find("[", start, limit) >= 0 else {}
        self._no_closer = set()  # the bracket pass read code spans on its own; start afresh
        pos = start
        while pos < limit:
            m = _INLINE.search(text, pos, limit)
            if m is None:
                return
            tok = m.group(0)
            at = m.start()
            end: int | None
            if tok[0] == "\\":
                end = None
            elif tok[0] == "`":
                end = self._code_span(at, len(tok), limit)
            elif tok == "<":
                end = self._angle(at, limit)
            elif tok in ("[", "!["):
                end = self._link(at + len(tok) - 1, limit)
            else:  # bare URL or e-mail address: look back for its start
                at, end = self._bare(tok, at, m.end(), pos, limit)
            if end is None:
                pos = m.end()
            else:
                self.skip(at, end)
                pos = end

    def _bare(self, tok: str, at: int, after: int, pos: int, limit: int) -> tuple[int, int | None]:
        """Span of the bare URL or e-mail address whose "://", "www." or "@" is at ``at``."""
        text = self.text
        back = max(pos, at - 64)
        if tok == "@":
            local = _EMAIL_LOCAL_BACK.search(text, back, at)
            domain = _EMAIL_DOMAIN.match(text, after, limit)
            if local is None or domain is None or (local.start() > 0 and text[local.start() - 1] in "\\/"):
                return at, None
            return local.start(), domain.end()
        if tok == "://":
            scheme = _SCHEME_BACK.search(text, back, at)
            if scheme is None or (scheme.start() > 0 and _is_word_char(text[scheme.start() - 1])):
                return at, None
            at = scheme.start()
        return at, _URL_REST.match(text, after, limit).end()

    def _code_span(self, at: int, n: int, limit: int) -> int | None:
        """End of the code span opened by ``n`` backticks at ``at``, or None."""
        if n in self._no_closer:
            return None
        c = re.compile(rf"(?<!`)`{{{n}}}(?!`)").search(self.text, at + n, limit)
        if c is None:
            self._no_closer.add(n)
            return None
        return c.end()

    def _next(self, what: str, pattern: re.Pattern[str], pos: int) -> int | None:
        """End of the first match of ``pattern`` at or after ``pos`` (remembered per ``what``)."""
        cached = self._found.get(what)
        if cached is not None and (cached[0] is None or cached[0] >= pos):
            return cached[1] if cached[0] is not None else None
        m = pattern.search(self.text, pos)
        self._found[what] = (m.start(), m.end()) if m else (None, None)
        return m.end() if m else None

    def _angle(self, at: int, limit: int) -> int | None:
        """End of the autolink, HTML comment or raw HTML tag at ``at``, or None."""
        text = self.text
        if text.startswith("<!--", at):
            return self._next("-->", _COMMENT_END, at + 4)
        m = _AUTOLINK.match(text, at, limit) or _HTML_TAG.match(text, at, limit)
        if m is None:
            return None
        name = _OPEN_TAG_NAME.match(m.group(0))
        if name and name.group(1).lower() in _OPAQUE_TAGS and not m.group(0).endswith("/>"):
            tag = name.group(1).lower()
            close = self._next(f"</{tag}", _CLOSE_TAG[tag], m.end())
            if close is not None and close <= limit:
                return close  # <a …>…</a>, <code>…</code>: the content is not linkable
        return m.end()

    def _match_brackets(self, start: int, limit: int) -> dict[int, int]:
        """``[`` offset -> offset of its ``]``, for one run (escapes and code spans skipped)."""
        text = self.text
        close_of: dict[int, int] = {}
        stack: list[int] = []
        pos = start
        while True:
            m = _BRACKETS.search(text, pos, limit)
            if m is None:
                return close_of
            c = m.group(0)
            pos = m.end()
            if c[0] == "\\":
                continue
            if c[0] == "`":
                end = self._code_span(m.start(), len(c), limit)
                pos = end if end is not None else pos
            elif c == "[":
                stack.append(m.start())
            elif stack:
                close_of[stack.pop()] = m.start()

    def _link(self, open_at: int, limit: int) -> int | None:
        """End of the link or image whose ``[`` is at ``open_at``, or None."""
        text = self.text
        close = self._close_of.get(open_at)
        if close is None:
            return None
        after = close + 1
        if after < limit and text[after] == "(":
            end = self._link_tail(after, min(limit, after + _MAX_DESTINATION))
            if end is not None:
                return end
        if after < limit and text[after] == "[":
            ref_close = self._close_of.get(after)
            if ref_close is not None:
                return ref_close + 1  # [label][ref] / [label][]
        if self.ref_labels and _norm_label(text[open_at + 1 : close]) in self.ref_labels:
            return after  # shortcut reference [label]
        return None

    def _link_tail(self, paren: int, limit: int) -> int | None:
        """End of ``(destination "title")`` starting at ``paren``, or None."""
        m = _LINK_TAIL.match(self.text, paren, limit)
        return m.end() if m else None


_BRACKETS = re.compile(r"\\[\s\S]|``*|\[|\]")  # literal first characters: see _INLINE
_COMMENT_END = re.compile(r"-->")
_CLOSE_TAG = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in _OPAQUE_TAGS}
_MAX_DESTINATION = 4000  # longest "(destination "title")" looked for, so scanning stays linear
_LINK_TAIL = re.compile(
    r"""\(\s*"""
    r"""(?:<(?:[^<>\n\\]|\\.)*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"""  # destination
    r"""(?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?"""  # title
    r"""\s*\)""",
    re.S,
)


def skipped_mask(markdown: str) -> bytearray:
    """One byte per character of ``markdown``: 1 where it is not prose (see module doc)."""
    return _Scanner(markdown).mask


def heading_starts(markdown: str) -> list[int]:
    """Offsets where headings (ATX and setext) start; sections lie between them."""
    return _Scanner(markdown).headings


# --------------------------------------------------------------------------- matcher


class Found(NamedTuple):
    """One service mention in a Markdown text (a named tuple: notes have dozens, made in a tight loop)."""

    service_key: str
    start: int  # character offsets into the given text
    end: int
    text: str  # spelling as written


@dataclass(frozen=True)
class Suspect:
    """A phrase that looks like a service but is not in the catalog, or a misspelling."""

    start: int
    end: int
    text: str
    kind: Literal["unknown", "misspelling"]
    suggestion: str | None  # canonical name of the likely intended service, for misspellings


@dataclass(frozen=True)
class _Spelling:
    text: str
    service: int  # index into ServiceMatcher._services
    rule: int
    needs_context: bool


_PREFIX_BEFORE = re.compile(r"(?:(?<!\w)(AWS|Amazon)|(?<!\w)(?i:sagemaker))[ \t\u00a0]+\Z")
_SENTENCE_BREAK = re.compile(r"[.!?](?:\s|$)|\n[ \t>]*\n")
_PHRASE = re.compile(  # (?<![\w-])(?:Amazon|AWS)…, with a literal first character (see _INLINE)
    r"A(?<![\w-]A)(?:mazon|WS)(?:[ \t\u00a0]+[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![\w-])){1,4}"
)
_NON_SPACE = re.compile(r"\S+")
# A run of capitalised words (?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*, one space or no-break space
# apart (the look-behind comes after the first character: see _INLINE). A word alone is
# matched only from four characters on: a shorter one is never checked ("For", "In").
_CAPITALISED_RUN = re.compile(
    r"[A-Z](?<![A-Za-z0-9][A-Z])(?:[A-Za-z0-9]*(?:[ \u00a0][A-Z][A-Za-z0-9]*)+|[A-Za-z0-9]{3,})"
)
_INFLECTIONS = ("s", "es", "d", "ed", "r", "er", "ing")


def _within_one_edit(a: str, b: str) -> bool:
    """Optimal-string-alignment (Damerau–Levenshtein) distance of ``a`` and ``b`` ≤ 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]  # insertion


class ServiceMatcher:
    """Finds catalog services in Markdown with one Aho–Corasick automaton (see module doc)."""

    def __init__(self, catalog: Catalog) -> None:
        self._services: tuple[Service, ...] = tuple(catalog.services)
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        by_key: dict[str, list[_Spelling]] = {}
        for index, service in enumerate(self._services):
            context_words = set(service.needs_context)
            for spelling in dict.fromkeys(service.names):
                spelling = " ".join(spelling.split())
                if not spelling:
                    continue
                key = _lower_same_length(spelling)
                by_key.setdefault(key, []).append(
                    _Spelling(spelling, index, _case_rule(spelling), spelling in context_words)
                )
        for key, spellings in by_key.items():
            self._automaton.add_word(key, (len(key), tuple(spellings)))
        if by_key:
            self._automaton.make_automaton()
        self._empty = not by_key
        # For link_found: service key -> (service, its link title), built once, not per note.
        self._by_key = {s.key: (s, _title(s.summary)) for s in self._services}
        # A service's "parents": services whose name or spelling its name extends
        # (Amazon SageMaker Ground Truth -> Amazon SageMaker AI, via "Amazon SageMaker").
        self._parents: list[set[int]] = []
        for service in self._services:
            name = service.name.casefold()
            self._parents.append({
                other
                for other, parent in enumerate(self._services)
                if parent is not service
                and any(name.startswith(n.casefold() + " ") for n in parent.names)
            })
        self._folded_spellings = {key.casefold() for key in by_key}
        # Misspelling targets, bucketed by (first letter, length); acronyms are left out.
        # ``_maybe`` holds every (first letter, length) within one of a bucket.
        self._targets: dict[tuple[str, int], list[tuple[str, int]]] = {}
        self._near_cache: dict[str, str | None] = {}
        self._target_forms: set[str] = set()
        self._max_words = min(4, max((len(k.split()) for k in by_key), default=1))
        for key, spellings in by_key.items():
            service = spellings[0].service
            forms = {key.casefold()}
            for prefix in ("amazon ", "aws "):
                if key.startswith(prefix):
                    forms.add(key[len(prefix) :].casefold())
            self._target_forms |= forms
            for form in forms:
                original = spellings[0].text
                if len(form) < 4 or (original.isupper() and " " not in original):
                    continue
                bucket = self._targets.setdefault((form[0], len(form)), [])
                if all(f != form for f, _ in bucket):
                    bucket.append((form, service))
        self._maybe = {(c, n + d) for c, n in self._targets for d in (-1, 0, 1)}

    # ---- find
    def find(self, markdown: str) -> list[Found]:
        """All mentions in ``markdown``, in text order (skipped regions excluded)."""
        return self._find(markdown, _Scanner(markdown))

    def _find(self, text: str, scan: _Scanner) -> list[Found]:
        if self._empty or not text:
            return []
        mask = scan.mask
        n = len(text)
        spaced = _spaced(text)  # once for the text, not per candidate
        # (-length, start, end, spelling): sorts longest first, leftmost among equals. No two
        # candidates share a span (one automaton key per span), so spellings are never compared.
        candidates: list[tuple[int, int, int, _Spelling]] = []
        for last, (length, spellings) in self._automaton.iter(_spaced(_lower_same_length(text))):
            start, end = last - length + 1, last + 1
            # _is_word_char, inlined: this loop sees every spelling inside every word ("rds" in "words").
            if start > 0 and ((c := text[start - 1]).isalnum() or c == "_"):
                continue
            if end < n and ((c := text[end]).isalnum() or c == "_"):
                continue
            if mask.find(1, start, end) >= 0:
                continue
            written = spaced[start:end]
            for spelling in spellings:
                if _case_ok(spelling.rule, spelling.text, written):
                    candidates.append((start - end, start, end, spelling))
                    break
        # Longest first, leftmost among equals; a candidate overlapping a kept one is dropped.
        candidates.sort()
        taken = bytearray(n)
        kept: list[tuple[int, int, _Spelling]] = []
        for _length, start, end, spelling in candidates:
            if taken.find(1, start, end) < 0:
                taken[start:end] = b"\x01" * (end - start)
                kept.append((start, end, spelling))
        kept.sort()  # by start: kept spans never overlap, so starts differ
        return self._apply_context(text, scan, kept)

    def _apply_context(self, text: str, scan: _Scanner, kept: list[tuple[int, int, _Spelling]]) -> list[Found]:
        first_plain: dict[int, int] = {}
        for start, _end, spelling in kept:
            if not spelling.needs_context:
                first_plain.setdefault(spelling.service, start)
        run_starts = [run[0] for run in scan.runs]
        seen_in_run: defaultdict[int, set[int]] = defaultdict(set)  # paragraph run -> services mentioned so far
        found: list[Found] = []
        for index, (start, end, spelling) in enumerate(kept):
            service = spelling.service
            seen = seen_in_run[bisect.bisect_right(run_starts, start) - 1]
            if spelling.needs_context:
                written = text[start:end]
                if written == written.lower():
                    continue  # never in lower case
                before = _PREFIX_BEFORE.search(text, max(0, start - 16), start)
                if before is not None:  # (a)
                    if before.group(1) and scan.mask.find(1, before.start(), start) < 0:
                        start = before.start()  # "AWS Glue" is the mention
                    first_plain.setdefault(service, start)
                elif not (
                    first_plain.get(service, start) < start  # (b)
                    or self._in_list(text, kept, index)  # (c)
                    or (self._parents[service] & seen)  # (d)
                ):
                    continue
            seen.add(service)
            found.append(Found(self._services[service].key, start, end, text[start:end]))
        return found

    @staticmethod
    def _in_list(text: str, kept: list[tuple[int, int, _Spelling]], index: int) -> bool:
        start, end, spelling = kept[index]
        for other in (index - 1, index + 1):
            if not 0 <= other < len(kept):
                continue
            o_start, o_end, o_spelling = kept[other]
            if o_spelling.service == spelling.service:
                continue
            gap = (o_end, start) if other < index else (end, o_start)
            if gap[1] - gap[0] <= LIST_WINDOW and not _SENTENCE_BREAK.search(text, gap[0], gap[1]):
                return True
        return False

    # ---- link
    def link(self, markdown: str, href: Callable[[Service], str]) -> str:
        """Link the first mention of each service in each section (see module doc)."""
        scan = _Scanner(markdown)
        return self.link_found(markdown, self._find(markdown, scan), scan.headings, href)

    def link_found(self, markdown: str, found: list[Found], headings: list[int], href: Callable[[Service], str]) -> str:
        """``link`` from an earlier scan of the same ``markdown`` (its ``find`` and heading offsets)."""
        by_key = self._by_key
        done: set[tuple[int, str]] = set()
        out: list[str] = []
        pos = 0
        for mention in found:
            section = bisect.bisect_right(headings, mention.start)
            if (section, mention.service_key) in done:
                continue
            if mention.start > 0 and markdown[mention.start - 1] in "!\\":
                continue  # "[" after "!" would make an image, after "\" a literal
            done.add((section, mention.service_key))
            service, title = by_key[mention.service_key]
            out.append(markdown[pos : mention.start])
            out.append(f"[{mention.text}]({_destination(href(service))} \"{title}\")")
            pos = mention.end
        out.append(markdown[pos:])
        return "".join(out)

    # ---- suspects
    def find_and_suspects(self, markdown: str) -> tuple[list[Found], list[Suspect], list[int]]:
        """``find``, ``suspects`` and the heading offsets (for ``link_found``) of one text from a single scan:
        the pipeline needs all three for every note."""
        scan = _Scanner(markdown)
        found = self._find(markdown, scan)
        return found, self._suspects(markdown, scan, found), scan.headings

    def suspects(self, markdown: str) -> list[Suspect]:
        """Phrases that look like services but are not in the catalog, and misspellings."""
        scan = _Scanner(markdown)
        return self._suspects(markdown, scan, self._find(markdown, scan))

    def _suspects(self, markdown: str, scan: _Scanner, found: list[Found]) -> list[Suspect]:
        # 1 = not prose, or (part of) a mention or of a suspect found so far: every check
        # below asks "neither", so one array serves for both.
        blocked = bytearray(scan.mask)
        for f in found:
            blocked[f.start : f.end] = b"\x01" * (f.end - f.start)
        result = self._misspellings(markdown, blocked)
        for s in result:
            blocked[s.start : s.end] = b"\x01" * (s.end - s.start)
        for m in _PHRASE.finditer(markdown):
            if blocked[m.start()]:
                continue  # "Amazon"/"AWS" itself is blocked (most often: it starts a mention): no word kept
            spans = [(w.start(), w.end()) for w in _NON_SPACE.finditer(markdown, m.start(), m.end())]
            keep = 0  # words kept: "Amazon"/"AWS" and the capitalised words up to a mention or code
            for start, end in spans:
                if blocked.find(1, start, end) >= 0:
                    break
                keep += 1
            if keep < 2:
                continue  # the word after "Amazon"/"AWS" is (part of) a known mention
            start, end = m.start(), spans[keep - 1][1]
            if _stop_listed([markdown[a:b] for a, b in spans[:keep]]):
                continue
            result.append(Suspect(start, end, markdown[start:end], "unknown", None))
        result.sort(key=lambda s: s.start)
        return result

    def _misspellings(self, text: str, blocked: bytearray) -> list[Suspect]:
        """Runs of capitalised words (longest first, up to ``_max_words``) near a spelling,
        leaving out the words ``blocked`` marks (not prose, or part of a mention)."""
        maybe = self._maybe
        result: list[Suspect] = []
        # One match per maximal run of capitalised words one space apart. A blocked word
        # breaks the run: the words on either side of it are not one space apart, so each
        # piece ("segment") is checked on its own.
        for m in _CAPITALISED_RUN.finditer(text):
            start, end = m.span()
            phrase = m.group(0)
            if phrase.isalnum():  # one word, the commonest case: decided before any mask check
                if (
                    (phrase[0].lower(), end - start) in maybe
                    and blocked.find(1, start, end) < 0
                    and (hit := self._misspelt([phrase])) is not None
                ):
                    result.append(Suspect(start, end, phrase, "misspelling", hit))
                continue
            if blocked.find(0, start, end) < 0:
                continue  # all blocked (a mention, most often)
            words = _word_spans(start, phrase.split())  # str.split() splits at no-break spaces too
            if blocked.find(1, start, end) < 0:
                self._misspelt_in(text, words, result)
                continue
            segment: list[tuple[int, int, str]] = []
            for word in words:
                if blocked.find(1, word[0], word[1]) < 0:
                    segment.append(word)
                elif segment:
                    self._misspelt_in(text, segment, result)
                    segment = []
            if segment:
                self._misspelt_in(text, segment, result)
        return result

    def _misspelt_in(self, text: str, words: list[tuple[int, int, str]], result: list[Suspect]) -> None:
        """Append the misspellings in ``words``, capitalised words one space apart, to ``result``."""
        maybe = self._maybe
        i = 0
        while i < len(words):
            run = words[i : i + self._max_words]  # words[i] and the words right after it
            first = run[0][2][0].lower()
            for size in range(len(run), 0, -1):
                start, end = run[0][0], run[size - 1][1]
                if (first, end - start) not in maybe:
                    continue  # no spelling of about this length starts with this letter
                hit = self._misspelt([w[2] for w in run[:size]])
                if hit is not None:
                    result.append(Suspect(start, end, text[start:end], "misspelling", hit))
                    i += size
                    break
            else:
                i += 1

    def _misspelt(self, part: list[str]) -> str | None:
        """The suggestion for the capitalised words ``part`` (one space apart), or None."""
        if len(part) == 1 and (part[0].isupper() or len(part[0]) < 4):
            return None  # acronyms and short words: one letter off is another word
        if all(p.casefold() in COMMON_WORDS for p in part):
            return None
        return self._near(" ".join(part))

    def _near(self, phrase: str) -> str | None:
        """Name of the service a near-miss ``phrase`` most likely means, or None (cached)."""
        folded = phrase.casefold()
        try:
            return self._near_cache[folded]
        except KeyError:
            pass
        if len(self._near_cache) > 50_000:
            self._near_cache.clear()
        result = self._near_cache[folded] = self._near_uncached(folded)
        return result

    def _near_uncached(self, folded: str) -> str | None:
        if folded in self._folded_spellings:
            return None  # a spelling written in another case: not a misspelling
        if folded in self._target_forms or any(
            (folded.endswith(suffix) and folded[: -len(suffix)] in self._target_forms)
            or folded + suffix in self._target_forms
            for suffix in _INFLECTIONS
        ):
            return None  # a known form, or an inflection ("Translates", "Pipeline" of "Pipelines")
        best: tuple[float, int] | None = None
        for target_len in (len(folded), len(folded) - 1, len(folded) + 1):
            for target, service in self._targets.get((folded[0], target_len), ()):
                close = _within_one_edit(folded, target)
                if not close and len(folded) < 5:
                    continue
                matcher = difflib.SequenceMatcher(None, folded, target)
                if not close and matcher.quick_ratio() < 0.85:
                    continue
                ratio = matcher.ratio()
                if close or ratio >= 0.85:
                    if best is None or ratio > best[0]:
                        best = (ratio, service)
        return None if best is None else self._services[best[1]].name


def _word_spans(start: int, words: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of each of ``words``, written one character apart from ``start`` on."""
    spans = []
    for word in words:
        spans.append((start, start + len(word), word))
        start += len(word) + 1
    return spans


def _stop_listed(words: list[str]) -> bool:
    folded = tuple(w.casefold() for w in words[:_NOT_SERVICES_LONGEST])
    return any(folded[:n] in _NOT_SERVICES_WORDS for n in range(2, len(folded) + 1))


_NOT_SERVICES_WORDS = {tuple(w.casefold() for w in p.split()) for p in NOT_SERVICES}
_NOT_SERVICES_LONGEST = max(len(p) for p in _NOT_SERVICES_WORDS)


def _title(summary: str) -> str:
    """A Markdown link title (inside double quotes) for ``summary``.

    Python-Markdown keeps backslashes in link titles literally, so nothing is escaped:
    double quotes become single ones and ``|`` (a table cell border) becomes ``/``.
    """
    return " ".join(summary.split()).replace('"', "'").replace("|", "/")


_NEEDS_ANGLES = re.compile(r"[\s()<>]")  # \s is str.isspace()


def _destination(href: str) -> str:
    if _NEEDS_ANGLES.search(href):
        return "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    return href
