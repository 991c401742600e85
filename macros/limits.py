"""Limits on what a stranger's note may make the build do: front matter checked before it is parsed, and the
Markdown constructs that make Python-Markdown quadratic or recursive defused before MkDocs sees them.

Pure functions over text: ``front_matter_problem`` (load stage) and ``MarkdownTamer`` (normalize stage, which
feeds it the note's prose, code left out).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_FRONT_MATTER_DEPTH = 20
MAX_YAML_ALIASES = 50
MAX_YAML_VALUES = 10_000  # values a front matter may stand for once its aliases are expanded ("billion laughs")

MAX_NESTING = 32  # lists, block quotes and HTML elements; Python-Markdown recurses once (or more) per level
MAX_OPENERS_PER_LINE = 50  # unmatched "[" on one line: Python-Markdown searches to the line's end for each
MAX_OPENERS_PER_NOTE = 500


def front_matter_problem(fmt: str, source: str) -> tuple[int, str] | None:
    """(line within ``source``, message) when front matter is too big, too deep or expands too far; else None.

    Checked before parsing: a parser builds (and a ``repr`` prints) what the aliases expand to, and its
    recursion (tomllib, json) ends in ``RecursionError`` on deep input.
    """
    size = len(source.encode("utf-8", "surrogatepass"))
    if size > MAX_FRONT_MATTER_BYTES:
        return 1, (f"front matter is {size // 1024} KB, more than the {MAX_FRONT_MATTER_BYTES // 1024} KB allowed; "
                   "not read")
    if fmt == "yaml":
        return _yaml_problem(source)
    return _bracket_problem(source, _TOML_SKIPPED if fmt == "toml" else _JSON_SKIPPED)


def _too_deep(line: int) -> tuple[int, str]:
    return line, f"front matter is nested more than {MAX_FRONT_MATTER_DEPTH} levels deep; not read"


_JSON_SKIPPED = r'"(?:[^"\\\n]|\\.)*"'
_TOML_SKIPPED = r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*'


def _bracket_problem(source: str, skipped: str) -> tuple[int, str] | None:
    """Nesting of JSON/TOML arrays and tables, strings and comments left out."""
    depth = 0
    for match in re.finditer(f"{skipped}|[\\[\\]{{}}]", source):
        char = match.group(0)
        if char in "[{":
            depth += 1
            if depth > MAX_FRONT_MATTER_DEPTH:
                return _too_deep(source.count("\n", 0, match.start()) + 1)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return None


_YAML_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_problem(source: str) -> tuple[int, str] | None:
    """Depth, alias count and expanded size of YAML front matter, from its parse events (nothing constructed)."""
    open_nodes: list[list] = []  # [anchor, values so far] of each collection being read
    sizes: dict[str, int] = {}  # anchor -> values its node stands for
    aliases = 0

    def add(count: int) -> bool:
        if open_nodes:
            open_nodes[-1][1] += count
            return open_nodes[-1][1] > MAX_YAML_VALUES
        return False

    try:
        for event in yaml.parse(source, Loader=_YAML_PARSER):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                open_nodes.append([event.anchor, 1])
                if len(open_nodes) > MAX_FRONT_MATTER_DEPTH:
                    return _too_deep(line)
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, count = open_nodes.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, count = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    return line, f"front matter uses more than {MAX_YAML_ALIASES} YAML aliases (*name); not read"
                anchor, count = None, sizes.get(event.anchor, 1)
            else:
                continue
            if anchor:
                sizes[anchor] = count
            if add(count) and aliases:  # without aliases the size is bounded by the bytes, already checked
                return line, (f"front matter's YAML aliases (*name) expand to more than {MAX_YAML_VALUES} values; "
                              "not read")
    except yaml.YAMLError:
        return None  # the parser reports it, with a better message
    return None


# --- the note's Markdown ------------------------------------------------------------------------------

# One list item or block-quote marker at the start of what is left of a line ("- ", "1. ", ">").
_CONTAINER = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]?)")
_DEEP_INDENT = re.compile(r"([ \t]{%d,})(?=(?:[-*+]|\d{1,9}[.)])[ \t]|>)" % (4 * MAX_NESTING + 1))
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>")
# Elements that are never closed, or whose end tag is optional: they do not nest.
_NOT_NESTING = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
                "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot", "colgroup"}
_BRACKET = re.compile(r"\\.|[\[\]]")
# Possessive "*+": a line of markers with many spaces between them must not backtrack exponentially.
_DEEP_LINE = re.compile(r"^(?:[ \t]{%d}|(?:[ \t]*+(?:(?:[-*+]|\d{1,9}[.)])[ \t]|>)){%d})"
                        % (4 * MAX_NESTING + 1, MAX_NESTING + 1), re.M)


# Emphasis-like delimiters of Markdown and pymdownx (**strong**, ~~del~~, ==mark==, ^^ins^^, ++key++): nested
# thousands deep ("**" * 5000) they make an element tree deeper than Python's recursion limit.
_EMPHASIS_RUN = re.compile(r"\\.|\*+|_+|~+|=+|\^+|\++")
MAX_EMPHASIS_DEPTH = 2 * MAX_NESTING  # delimiter characters still open: "**" opens one level with two


def may_need_taming(body: str) -> bool:
    """A quick look (no line-by-line pass): could ``MarkdownTamer`` change anything in ``body``?"""
    return (body.count("[") > MAX_OPENERS_PER_LINE or body.count("<") > MAX_NESTING
            or any(body.count(char) > MAX_EMPHASIS_DEPTH for char in "*_~=^+")
            or _DEEP_LINE.search(body) is not None)


@dataclass
class MarkdownTamer:
    """Defuses one note's pathological Markdown, fed its prose piece by piece (``tame``), after a first pass
    that counts its unmatched "[" (``count``). ``changes`` maps a line index to what was done there."""

    html_depth: int = 0
    emphasis_open: dict[str, int] = field(default_factory=dict)  # delimiter -> characters open in this paragraph
    last_line: int = -2
    escape_brackets_everywhere: bool = False
    openers: dict[int, list[int]] = field(default_factory=dict)  # line index -> "[" to escape, per piece
    changes: dict[int, str] = field(default_factory=dict)

    def count(self, text: str, line: int, at_line_start: bool) -> str:
        """First pass: remember the "[" to escape in each piece of prose (``text`` is returned unchanged)."""
        if "[" in text:
            self.openers.setdefault(line, []).append(len(_openers_to_escape(text)))
        return text

    def decide(self) -> None:
        self.escape_brackets_everywhere = sum(sum(n) for n in self.openers.values()) > MAX_OPENERS_PER_NOTE

    def tame(self, text: str, line: int, at_line_start: bool) -> str:
        """Second pass: the piece of prose with too deep nesting cut and runs of "[" escaped."""
        if line != self.last_line and line != self.last_line + 1:
            self.emphasis_open.clear()  # a blank line (or code) between: a new paragraph
        self.last_line = line
        if at_line_start:
            text = self._cut_containers(text, line)
        if any(char in text for char in "*_~=^+"):
            text = _EMPHASIS_RUN.sub(lambda match: self._emphasis(match, line), text)
        if "<" in text:
            text = _TAG.sub(lambda match: self._tag(match, line), text)
        if "[" in text and (self.escape_brackets_everywhere or sum(self.openers.get(line, ())) > MAX_OPENERS_PER_LINE):
            positions = _openers_to_escape(text)
            if positions:
                self.changes.setdefault(line, f'{len(positions)} "[" with no "]" (or nested deeper than {MAX_NESTING}) '
                                              'escaped as "\\[" (a long run of them stalls the Markdown build)')
                pieces = [text[start:end] for start, end in zip([0, *positions], [*positions, len(text)])]
                text = "\\".join(pieces)  # one join: inserting one "\\" at a time was quadratic in a long run
        return text

    def _cut_containers(self, text: str, line: int) -> str:
        deep = _DEEP_INDENT.match(text)
        if deep:
            text = " " * (4 * MAX_NESTING) + text[deep.end():]
            self.changes.setdefault(line, f"a list or block quote indented more than {MAX_NESTING} levels deep "
                                          f"was moved to level {MAX_NESTING}")
        position = 0
        for _ in range(MAX_NESTING):
            marker = _CONTAINER.match(text, position)
            if not marker:
                return text
            position = marker.end()
        rest = text[position:]
        if _CONTAINER.match(rest):
            start = len(rest) - len(rest.lstrip(" \t"))
            self.changes.setdefault(line, f"lists or block quotes nested more than {MAX_NESTING} levels deep on one "
                                          "line: the rest of the line is shown as text")
            return f"{text[:position]}{rest[:start]}\\{rest[start:]}"
        return text

    def _emphasis(self, match: re.Match[str], line: int) -> str:
        run, text, start, end = match.group(0), match.string, match.start(), match.end()
        if run[0] == "\\":
            return run
        opens = end < len(text) and not text[end].isspace()  # left-flanking, roughly
        closes = start > 0 and not text[start - 1].isspace()
        char = run[0]
        if closes and not opens:
            self.emphasis_open[char] = max(self.emphasis_open.get(char, 0) - len(run), 0)
        elif opens and not closes:
            if self.emphasis_open.get(char, 0) + len(run) > MAX_EMPHASIS_DEPTH:
                self.changes.setdefault(line, f"emphasis ({char}) nested more than {MAX_NESTING} levels deep: the "
                                              "deeper markers are shown as text")
                return f"&#{ord(char)};" * len(run)
            self.emphasis_open[char] = self.emphasis_open.get(char, 0) + len(run)
        return run

    def _tag(self, match: re.Match[str], line: int) -> str:
        closing, name = match.group(1), match.group(2).lower()
        if name in _NOT_NESTING or match.group(0).endswith("/>"):
            return match.group(0)
        if not closing:
            self.html_depth += 1
        deep = self.html_depth > MAX_NESTING
        if closing:
            self.html_depth = max(self.html_depth - 1, 0)
        if not deep:
            return match.group(0)
        self.changes.setdefault(line, f"HTML elements nested more than {MAX_NESTING} levels deep: the deeper tags "
                                      "are shown as text")
        return "&lt;" + match.group(0)[1:]


def _openers_to_escape(text: str) -> list[int]:
    """Offsets of the "[" in ``text`` that have no "]" after them, or are nested deeper than ``MAX_NESTING``,
    and of the "]" that close those deep ones."""
    open_at: list[int] = []
    escape: list[int] = []
    for match in _BRACKET.finditer(text):
        char = match.group(0)
        if char == "[":
            open_at.append(match.start())
        elif char == "]" and open_at:
            start = open_at.pop()
            if len(open_at) >= MAX_NESTING:
                escape += (start, match.start())
    return sorted(escape + open_at)
