"""Block level: which lines are fenced code, indented code, raw HTML, headings, definitions, prose.

Python-Markdown (what the site renders) decides, not CommonMark. Its rules that matter here:

* pymdownx.superfences reads fences first, over every line, before any block parsing: a fence may
  follow any prefix of blanks and ``>``; its info string is a language, ``{attrs}`` or known
  options only; it closes on a fence of the *same* length and character; a content line indented
  less than the opener, or an unclosed fence, leaves no fence at all (the text is prose again).
* Raw HTML blocks are read next, over the whole text: a block-level tag (or a comment) at most 3
  blanks from the line start opens one, which lasts until its tags balance, blank lines included.
* Indented code needs a block start (a blank line, a heading, a rule...): indented lines after a
  paragraph line continue the paragraph; after a list, 4 blanks per list level are continuation.
* A setext underline only counts under a one-line block; under a longer paragraph ``---`` is a rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from macros.markdown_scan.spans import Heading, LinkSpan, Span

FENCE_START = re.compile(
    r"""(?P<fence>~{3,}|`{3,})(?:[ \t]*\.?(?P<lang>[\w#.+-]+)(?=[\t ]|$))?(?:[ \t]*(?P<attrs>\{[^\n]*\})"""
    r"""|(?P<options>(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<quot>"|').*?(?P=quot))?(?=[\t ]|$))+)"""
    r"""|(?P<unrecognized>(?:[ \t]*[^\s]+(?=[\t ]|$))+))?[ \t]*$"""
)
_FENCE_OPTION = re.compile(r"""([a-zA-Z][a-zA-Z0-9_]*)(?:=(?:"[^"]*"|'[^']*'))?""")
_HIGHLIGHT_OPTIONS = frozenset({"hl_lines", "linenums", "title"})  # what superfences' default validator accepts
_FENCE_HINT = re.compile(r"^[ \t>]*(?:`{3}|~{3})", re.M)
_PREFIX = re.compile(r"[ \t>]*")
_QUOTE = re.compile(r"[ ]{0,3}>[ ]?")
_BLOCK_TAGS = (
    "address|article|aside|blockquote|details|div|dl|fieldset|figcaption|figure|footer|form|h[1-6]|header|"
    "hgroup|hr|main|menu|nav|ol|p|pre|section|table|ul|canvas|colgroup|dd|body|dt|group|html|iframe|li|legend|"
    "math|map|noscript|output|object|option|progress|script|style|summary|tbody|td|textarea|tfoot|th|thead|tr|"
    "video|center"
)
_ATTRS = r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*"""
_HTML_BLOCK_START = re.compile(
    rf"[ \t]{{0,3}}(?:<(?P<tag>{_BLOCK_TAGS}){_ATTRS}(?P<close>/?)>|(?P<other><!--|<\?|<![A-Za-z]|<!\[CDATA\[))", re.I
)
_HTML_TOKEN = re.compile(rf"<!--.*?-->|<(?P<end>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*){_ATTRS}(?P<self>/?)>", re.S)
_HTML_OTHER_END = {"<!--": "-->", "<?": "?>", "<![CDATA[": "]]>"}
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_ATX = re.compile(r"(#{1,6})(?![A-Za-z0-9_/-]*[A-Za-z_/-])(.*)")  # "#tag" is an Obsidian tag, not a heading
_SETEXT = re.compile(r"(?:=+|-+)[ ]*$")
_HR = re.compile(r"[ ]{0,3}(?=((-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))\1[ ]*$")
_LIST_ITEM = re.compile(r"[ ]*(?:[*+-]|\d+\.)[ ]+")
_CONTAINER = re.compile(r"[ ]*(?:!!!|\?\?\?\+?)[ ]")  # admonition, details: content indented 4 blanks
_REF_DEF = re.compile(r"""[ ]{0,3}\[([^\[\]^][^\[\]]*|)\]:[ ]*<?([^\s>]+)>?(?:[ ]+(?:"([^"]*)"|'([^']*)'|\(([^)]*)\)))?[ ]*$""")
_CALLOUT = re.compile(r"\[!([\w-]+)\][+-]?")
_MARKERS = frozenset("#>-*+_=<[!?~`$% \t0123456789")  # first characters of anything but plain prose


def norm_ref(label: str) -> str:
    """A reference label as Python-Markdown compares them: blanks collapsed, lower case."""
    return " ".join(label.split()).lower()


@dataclass
class Blocks:
    """What the block pass found; ``runs`` are the prose stretches the inline pass reads."""

    code: list[Span] = field(default_factory=list)
    html: list[Span] = field(default_factory=list)
    masked: list[Span] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    definitions: list[LinkSpan] = field(default_factory=list)
    callouts: list[Span] = field(default_factory=list)
    runs: list[tuple[int, int]] = field(default_factory=list)


def _fence_opens(line: str, start: int) -> re.Match[str] | None:
    """The superfences opener at ``start`` of ``line``, if its info string is one superfences accepts."""
    m = FENCE_START.match(line, start)
    if m is None or m.group("unrecognized"):
        return None
    if m.group("options") and any(k not in _HIGHLIGHT_OPTIONS for k in _FENCE_OPTION.findall(m.group("options"))):
        return None
    return m


def find_fences(lines: list[str]) -> dict[int, int]:
    """First line -> last line of each fenced block, as pymdownx.superfences finds them."""
    fences: dict[int, int] = {}
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        prefix = _PREFIX.match(line).end()
        m = _fence_opens(line, prefix) if line.startswith(("`", "~"), prefix) else None
        i += 1
        if m is None:
            continue
        ws = line[:prefix].expandtabs(4)
        width, quotes, fence = len(ws), ws.count(">"), m.group("fence")
        empty_lines = 0
        for j in range(i, n):
            body = lines[j]
            k = used = 0  # consume prefix characters up to the opener's width, as superfences does
            while k < len(body) and used < width and body[k] in "> \t":
                used += 4 - used % 4 if body[k] == "\t" else 1
                k += 1
            ws_j, content = body[:k], body[k:]
            level = ws_j.count(">")
            if (quotes == 0 and level) or (quotes and level > quotes):
                i = j + 1  # abandoned: superfences goes on after the line that broke the fence
                break
            if not (ws_j + content).strip() or (quotes and content == ""):
                empty_lines += 1
                continue
            if (used != width if not quotes else k < prefix) or (quotes and empty_lines and level < quotes):
                i = j + 1
                break
            if content.startswith(fence) and not content[len(fence):].strip(" \t"):
                fences[i - 1] = j
                i = j + 1
                break
            empty_lines = 0
        else:
            i = n  # unclosed: no fence, and superfences reads no further
    return fences


def _html_block_end(text: str, m: re.Match[str], fence_ranges: list[tuple[int, int]]) -> int:
    """Offset where the raw HTML block opened by ``m`` ends (its tags balanced), the text's end, or -1."""
    if m.group("other"):
        close = text.find(_HTML_OTHER_END.get(m.group("other"), ">"), m.end())
        return -1 if close < 0 else close  # an unclosed comment is text to Python-Markdown
    if m.group("close") or m.group("tag").lower() in _VOID:
        return m.end()
    stack = [m.group("tag").lower()]
    for tok in _HTML_TOKEN.finditer(text, m.end()):
        if any(a <= tok.start() < b for a, b in fence_ranges):
            continue  # a fence inside the block was read first: its text is no tag
        name = (tok.group("name") or "").lower()
        if not name or tok.group("self") or name in _VOID:
            continue
        if not tok.group("end"):
            stack.append(name)
        elif name in stack:
            while stack.pop() != name:
                pass
            if not stack:
                return tok.end()
    return len(text)


def scan_blocks(text: str, lines: list[str], starts: list[int]) -> Blocks:
    """The block pass (see the module docstring); ``starts[i]`` is the offset of ``lines[i]``."""
    out = Blocks()
    fences = find_fences(lines) if _FENCE_HINT.search(text) else {}
    fence_ranges = [(starts[a], starts[b] + len(lines[b])) for a, b in fences.items()]
    may_html = "<" in text
    n = len(lines)
    block_start = True  # the next line starts a block (document start, after a blank line, heading, rule...)
    list_depth = 0  # nesting of the list (or admonition) the last block belongs to; 0: none
    run_start = -1  # offset where the current prose run started; -1: none
    run_lines = 0
    run_first_at_block_start = False
    code_start = code_end = -1  # indented code being read
    code_base = 0  # indentation that continues the indented code
    quote_depth = 0
    i = 0

    def end_run(at: int) -> None:
        nonlocal run_start, run_lines
        if run_start >= 0:
            out.runs.append((run_start, at))
        run_start, run_lines = -1, 0

    def end_code() -> None:
        nonlocal code_start
        if code_start >= 0:
            out.code.append(Span("indented", code_start, code_end, text.count("\n", 0, code_start) + 1))
        code_start = -1

    while i < n:
        line, start = lines[i], starts[i]
        end = start + len(line)
        c = line[:1]
        # Fast paths for most lines of most notes: a blank line, a prose line (no block marker first).
        if quote_depth == 0 and code_start < 0:
            if not line:
                end_run(start - 1 if start else 0)
                block_start, i = True, i + 1
                continue
            if c not in _MARKERS and i not in fences:
                if run_start < 0:
                    run_start, run_lines, run_first_at_block_start = start, 0, block_start
                    if block_start:
                        list_depth = 0  # a paragraph at the margin ends the list
                run_lines += 1
                block_start, i = False, i + 1
                continue
        if (may_html and "<" in line[:4] and i not in fences and (h := _HTML_BLOCK_START.match(text, start)) is not None
                and (stop := _html_block_end(text, h, fence_ranges)) >= 0):
            j = text.count("\n", start, stop) + i
            end_run(start - 1 if start else 0)
            end_code()
            out.html.append(Span("html_block", start + line.index("<"), starts[j] + len(lines[j]), i + 1))
            out.code.extend(Span("fence", starts[a], starts[b] + len(lines[b]), a + 1)  # read before the HTML
                            for a, b in fences.items() if i < a <= j and h.group("tag"))  # not in a comment
            block_start, list_depth, i = True, 0, j + 1
            continue
        # Block quotes: each depth is read as a document of its own; a line without ">" continues a paragraph.
        depth, pos = 0, 0
        while ">" in line[pos:pos + 4] and (q := _QUOTE.match(line, pos)) is not None:
            depth, pos = depth + 1, q.end()
        if depth != quote_depth and not (depth == 0 and run_start >= 0 and line.strip()):
            end_run(start - 1)
            end_code()
            block_start, list_depth, quote_depth = True, 0, depth
            if depth and (callout := _CALLOUT.match(line, pos)) is not None:
                out.callouts.append(Span(f"callout:{callout.group(1).lower()}", start, end, i + 1))
        body = line[pos:].rstrip("\r")
        stripped = body.lstrip(" \t")
        if not stripped:
            end_run(start - 1 if start else 0)
            block_start = True
            i += 1
            continue
        indent = len(body[: len(body) - len(stripped)].expandtabs(4))
        if code_start >= 0:
            if indent >= code_base:
                code_end = end if i not in fences else starts[fences[i]] + len(lines[fences[i]])
                i = fences.get(i, i) + 1
                continue
            end_code()
            block_start = True
        if block_start and indent >= 4 * (list_depth + 1):
            end_run(start - 1)
            code_start, code_base = start, 4 * (list_depth + 1)
            code_end = end if i not in fences else starts[fences[i]] + len(lines[fences[i]])
            i = fences.get(i, i) + 1
            continue
        if i in fences:
            last = fences[i]
            end_run(start - 1)
            out.code.append(Span("fence", start, starts[last] + len(lines[last]), i + 1))
            block_start, i = False, last + 1
            continue
        if stripped.startswith(("$$", "%%")) and _mask_block(text, lines, starts, i, pos, stripped[:2], out):
            end_run(start - 1)
            i = text.count("\n", 0, out.masked[-1].end) + 1
            block_start = True
            continue
        if indent == 0 and (atx := _ATX.match(body)) is not None:
            end_run(start - 1)
            heading = atx.group(2).strip().rstrip("#").strip()
            out.headings.append(Heading(len(atx.group(1)), heading, i + 1, start, end))
            out.runs.append((start + pos + len(atx.group(1)), end))
            block_start, list_depth, i = True, 0, i + 1
            continue
        if run_lines == 1 and run_first_at_block_start and _SETEXT.match(body) and depth == quote_depth:
            first = run_start
            run_start, run_lines = -1, 0
            out.runs.append((first, start - 1))
            out.headings.append(Heading(1 if body[0] == "=" else 2, text[first:start - 1].strip(), i, first, end))
            block_start, list_depth, i = True, 0, i + 1
            continue
        if _HR.match(body):
            end_run(start - 1)
            block_start, i = True, i + 1
            if indent < 4:
                list_depth = 0
            continue
        if (d := _REF_DEF.match(body)) is not None:
            end_run(start - 1)
            title = d.group(3) or d.group(4) or d.group(5) or ""
            out.definitions.append(LinkSpan("definition", start, end, i + 1, d.group(2), d.group(1), title=title,
                                            ref=norm_ref(d.group(1))))
            block_start, i = True, i + 1
            continue
        if (block_start or list_depth) and (_LIST_ITEM.match(body) or _CONTAINER.match(body)):
            end_run(start - 1)
            level = indent // 4 + 1
            list_depth = min(level, list_depth + 1) if list_depth else 1
            if _CONTAINER.match(body):
                block_start, i = True, i + 1  # the title line is no prose; the body follows indented
                continue
            run_start, run_lines, run_first_at_block_start = start, 1, False
            block_start, i = False, i + 1
            continue
        if block_start and indent < 4:
            list_depth = 0  # a paragraph that is no list continuation ends the list
        if run_start < 0:
            run_start, run_lines, run_first_at_block_start = start, 0, block_start
        run_lines += 1
        block_start, i = False, i + 1
    end_run(len(text))
    end_code()
    return out


def _mask_block(text: str, lines: list[str], starts: list[int], i: int, pos: int, mark: str, out: Blocks) -> bool:
    """An Obsidian ``$$`` math or ``%%`` comment block opening at line ``i``: masked to its closing mark."""
    opener = starts[i] + len(lines[i]) - len(lines[i][pos:].lstrip(" \t"))
    close = text.find(mark, opener + 2)
    if close < 0:
        return False
    kind = "math" if mark == "$$" else "comment"
    out.masked.append(Span(kind, opener, close + 2, i + 1))
    return True
