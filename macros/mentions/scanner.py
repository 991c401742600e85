"""The Markdown tokenizer of mention finding: which characters of a text are prose (skipped regions are
listed in ``macros.mentions``' docstring), where headings start, and the ``Found`` mention type."""
from __future__ import annotations

import re
from typing import NamedTuple


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"



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



class Found(NamedTuple):
    """One service mention in a Markdown text (a named tuple: notes have dozens, made in a tight loop)."""

    service_key: str
    start: int  # character offsets into the given text
    end: int
    text: str  # spelling as written
