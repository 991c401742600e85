"""Inline level, one prose run at a time, in Python-Markdown's order of precedence.

Code spans first (Python-Markdown's own pairing rule, ported), then LaTeX's ``\\(math\\)`` and ``\\[math\\]``,
backslash escapes, Obsidian
``%%comments%%`` and ``$math$``, HTML comments, ``[[wikilinks]]``, Markdown links and images, then
autolinks and inline HTML, and last bare URLs and ``#tags``. What one step claims is blanked out
(same length, so offsets hold) before the next step looks.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from macros.markdown_scan.blocks import norm_ref
from macros.markdown_scan.spans import LinkSpan, Span

_TICKS = re.compile(r"\\[\\`]|`+")
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()>#+\-.!<$%|]")
_OBSIDIAN_COMMENT = re.compile(r"%%.*?%%", re.S)
_MATH = re.compile(r"\$\$.+?\$\$|\$(?=[^\s$])[^$]*?(?<=[^\s$\\])\$(?!\d)", re.S)
# LaTeX's own delimiters: \(x\) inline; \[x\] only alone on its lines (else "\[1\]" is an escaped bracket).
_LATEX_MATH = re.compile(r"\\\((?=\S).*?(?<=\S)\\\)|(?:(?<=\n)|^)[ \t]*\\\[.+?\\\][ \t]*(?=\n|$)", re.S)
_HTML_COMMENT = re.compile(r"<!--(?:(?!<!--|-->).)*-->", re.S)
_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n|#^]*)((?:[#^][^\[\]\n|]*)?)(?:\|([^\[\]\n]*))?\]\]")
_OPEN = re.compile(r"!?\[")
_BRACKET = re.compile(r"[\[\]]")
_REF_AFTER = re.compile(r"\s?\[([^\]]*)\]")
_TITLE = re.compile(r"""\s+(["'])(.*)\1\s*\Z""", re.S)
_PAREN = re.compile(r"[()]")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>|<([^<> !]+@[^@<> ]+)>")
_HTML_TAG = re.compile(  # Python-Markdown's HTML_RE (tags, processing instructions, CDATA)
    r"""<(?:/?[a-zA-Z][^\s"'<>@]*(?:\s+[^\s"'=<>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>]+))?)*\s*/?"""
    r"""|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>""",
    re.S,
)
# Any scheme: "s3://bucket/key" in prose is a path, not a mention of S3; only http(s) ones are links.
_URL = re.compile(r"(?<![\w/.:@+-])[A-Za-z][A-Za-z0-9+.-]{0,31}://[^\s<>\"'`\x00]+")
_WWW = re.compile(r"(?<![\w.+/-])www\.[^\s<>\"'`\x00]+")
_EMAIL = re.compile(r"(?<![\\/\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_TAG = re.compile(r"(?<![^\s(\x00])#([\w/-]*[^\W\d][\w/-]*)")
_URL_TRAIL = ".,;:!?*_~'\""
FILL = "\x00"


@dataclass
class Inline:
    code: list[Span] = field(default_factory=list)
    html: list[Span] = field(default_factory=list)
    masked: list[Span] = field(default_factory=list)
    links: list[LinkSpan] = field(default_factory=list)
    urls: list[Span] = field(default_factory=list)
    tags: list[Span] = field(default_factory=list)


def _blank(work: str, regions: list[tuple[int, int]]) -> str:
    """``work`` with each (start, end) region (relative offsets) filled with FILL."""
    if not regions:
        return work
    parts, pos = [], 0
    for start, end in sorted(regions):
        if start < pos:
            start = pos
        parts.append(work[pos:start])
        parts.append(FILL * max(0, end - start))
        pos = max(pos, end)
    parts.append(work[pos:])
    return "".join(parts)


def code_spans(seg: str) -> list[tuple[int, int]]:
    """Code spans of one paragraph, paired as Python-Markdown's BacktickInlineProcessor pairs them."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while (m := _TICKS.search(seg, pos)) is not None:
        if m.group(0)[0] == "\\":  # an escaped backslash or backtick opens nothing
            pos = m.end()
            continue
        opener = len(m.group(0))
        longest, longest_end, close = 0, -1, -1
        for run in _TICKS.finditer(seg, m.end()):
            length = len(run.group(0))
            if run.group(0)[0] == "\\":
                if run.group(0) == "\\`":  # only "\" is escaped here: the tick still counts
                    length = 1
                else:
                    continue
            if length == opener:
                close = run.end()
                break
            if length > longest:
                longest, longest_end = length, run.end()
        if close < 0 and 0 < longest < opener:
            close = longest_end  # the opener's last `longest` ticks pair with the longest run
        if close < 0:
            pos = m.end()
            continue
        spans.append((m.start(), close))
        pos = close
    return spans


def _destination(work: str, at: int) -> tuple[int, str, str] | None:
    """``(end, url, title)`` of the ``(...)`` destination opening at ``work[at] == "("``."""
    depth, pos = 0, at
    while (p := _PAREN.search(work, pos)) is not None:
        depth += 1 if p.group(0) == "(" else -1
        pos = p.end()
        if depth == 0:
            inside = work[at + 1:pos - 1]
            title = ""
            if (t := _TITLE.search(inside)) is not None:
                title, inside = t.group(2), inside[:t.start()]
            url = inside.strip()
            if url.startswith("<") and url.endswith(">"):
                url = url[1:-1]
            return pos, url, title
    return None


def _label_end(work: str, at: int) -> int:
    """Offset after the ``]`` closing the ``[`` at ``at`` (nested brackets count), or -1."""
    depth = 0
    for b in _BRACKET.finditer(work, at):
        depth += 1 if b.group(0) == "[" else -1
        if depth == 0:
            return b.end()
    return -1


def scan_run(text: str, a: int, b: int, definitions: dict[str, LinkSpan], line_of: Callable[[int], int],
             out: Inline) -> None:
    """Read the prose run ``text[a:b]`` into ``out``."""
    work = text[a:b]
    if "`" in work:
        spans = code_spans(work)
        out.code.extend(Span("inline", a + s, a + e, line_of(a + s)) for s, e in spans)
        work = _blank(work, spans)
    if "\\(" in work or "\\[" in work:
        found = [(m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t")), m.end() - len(m.group(0))
                  + len(m.group(0).rstrip(" \t"))) for m in _LATEX_MATH.finditer(work)]
        out.masked.extend(Span("math", a + s, a + e, line_of(a + s)) for s, e in found)
        work = _blank(work, found)
    if "\\" in work:
        work = _ESCAPE.sub(lambda m: FILL * 2, work)
    for marker, pattern, kind in (("%%", _OBSIDIAN_COMMENT, "comment"), ("$", _MATH, "math")):
        if marker in work:
            found = [(m.start(), m.end()) for m in pattern.finditer(work)]
            out.masked.extend(Span(kind, a + s, a + e, line_of(a + s)) for s, e in found)
            work = _blank(work, found)
    if "<!--" in work:
        found = [(m.start(), m.end()) for m in _HTML_COMMENT.finditer(work)]
        out.html.extend(Span("html_comment", a + s, a + e, line_of(a + s)) for s, e in found)
        work = _blank(work, found)
    linked: list[tuple[int, int]] = []
    if "[" in work:
        work = _wikilinks(work, text, a, line_of, out, linked)
        work = _links(work, text, a, definitions, line_of, out, linked)
    if "<" in work:
        found = []
        for m in _AUTOLINK.finditer(work):
            target = m.group(1) or f"mailto:{m.group(2)}"
            out.links.append(LinkSpan("autolink", a + m.start(), a + m.end(), line_of(a + m.start()), target))
            found.append((m.start(), m.end()))
        work = _blank(work, found)
        found = [(m.start(), m.end()) for m in _HTML_TAG.finditer(work)]
        out.html.extend(Span("html_inline", a + s, a + e, line_of(a + s)) for s, e in found)
        work = _blank(work, found + linked)
    elif linked:
        work = _blank(work, linked)
    for marker, pattern in (("://", _URL), ("www.", _WWW), ("@", _EMAIL)):
        if marker in work:
            work = _bare_urls(work, a, pattern, line_of, out)
    if "#" in work:
        out.tags.extend(Span("tag", a + m.start(), a + m.end(), line_of(a + m.start())) for m in _TAG.finditer(work))


def _bare_urls(work: str, a: int, pattern: re.Pattern[str], line_of: Callable[[int], int], out: Inline) -> str:
    """Bare URLs ("url": http(s); "uri": another scheme), "www." addresses and e-mail addresses of a run."""
    for m in pattern.finditer(work):
        url = m.group(0).rstrip(_URL_TRAIL)
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1].rstrip(_URL_TRAIL)
        if pattern is _URL:
            kind = "url" if url[:8].lower().startswith(("http://", "https://")) else "uri"
        else:
            kind = "www" if pattern is _WWW else "email"
        out.urls.append(Span(kind, a + m.start(), a + m.start() + len(url), line_of(a + m.start())))
        work = work[:m.start()] + FILL * len(url) + work[m.start() + len(url):]
    return work


def _wikilinks(work: str, text: str, a: int, line_of: Callable[[int], int], out: Inline, linked: list[tuple[int, int]]) -> str:
    if "[[" not in work:
        return work
    found = []
    for m in _WIKILINK.finditer(work):
        kind = "embed" if m.group(1) else "wikilink"
        target, anchor, label = m.group(2).strip(), m.group(3)[1:].strip(), (m.group(4) or "").strip()
        if FILL in target or FILL in anchor:  # an escaped "\|" (a wikilink in a table cell): Obsidian's separator
            written = text[a + m.start() + len(m.group(1)) + 2:a + m.end() - 2]
            head, _, label = written.partition("\\|") if "|" not in written.split("\\|", 1)[0] else written.partition("|")
            target, _, anchor = head.partition("#")
            target, anchor, label = target.strip(), anchor.strip(), label.strip()
        out.links.append(LinkSpan(kind, a + m.start(), a + m.end(), line_of(a + m.start()), target,
                                  label or target, anchor))
        found.append((m.start(), m.end()))
    linked.extend(found)
    return _blank(work, found)


def _links(work: str, text: str, a: int, definitions: dict[str, LinkSpan], line_of: Callable[[int], int],
           out: Inline, linked: list[tuple[int, int]]) -> str:
    """Markdown links, images and references; their destinations are blanked, their labels read on."""
    consumed: list[tuple[int, int]] = []  # destinations and reference parts, blanked afterwards
    pos = outer_label_end = 0
    while (m := _OPEN.search(work, pos)) is not None:
        at = m.end() - 1  # the "["
        pos = at + 1
        if consumed and consumed[-1][0] <= at < consumed[-1][1]:
            pos = consumed[-1][1]
            continue
        image = m.group(0) == "!["
        if not image and at < outer_label_end:
            continue  # no link inside a link's label (Python-Markdown excludes <a> in <a>); images may be
        close = _label_end(work, at)
        if close < 0:
            continue
        label = text[a + at + 1:a + close - 1]
        kind, url, title, ref, end = "", "", "", "", close
        if work.startswith("(", close) and (dest := _destination(work, close)) is not None:
            end, url, title = dest
            kind = "image" if image else "link"
        else:
            r = _REF_AFTER.match(work, close)
            ref = norm_ref(r.group(1) if r and r.group(1).strip() else label)
            if r is not None:
                end = r.end()
            if ref in definitions and "\n\n" not in ref:
                url, title, kind = definitions[ref].target, definitions[ref].title, "reference"
                label = "!" + label if image else label
            elif r is not None and r.group(1).strip():
                continue  # "[a][undefined]": text, as Python-Markdown leaves it
        if not kind:
            continue
        start = a + m.start()
        out.links.append(LinkSpan(kind, start, a + end, line_of(start), url, label, title=title,
                                  ref=ref if kind == "reference" else ""))
        consumed.append((close, end))
        linked.append((m.start(), end))
        if not image:
            outer_label_end = max(outer_label_end, close)
    return _blank(work, consumed)


def line_finder(starts: list[int]) -> Callable[[int], int]:
    """offset -> 1-based line, by bisection over the line starts."""
    return lambda offset: bisect_right(starts, offset)
