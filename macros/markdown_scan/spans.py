"""The scanner's result: immutable spans over one note's Markdown, with fast offset look-ups.

Offsets are indexes into the scanned text (``MarkdownScan.text``); lines are 1-based lines of
that text. Everything is frozen so one scan can be cached per note and shared by every stage.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

# Span kinds. Code-like kinds hide everything inside them from link, mention and tag passes.
CODE_KINDS = ("fence", "indented", "inline")  # what Python-Markdown renders inside <code>
MASK_KINDS = ("math", "comment")  # Obsidian's $math$ and %%comments%%: not code, but masked like it
HTML_KINDS = ("html_block", "html_inline", "html_comment")


@dataclass(frozen=True, slots=True)
class Span:
    """One region of the text: ``text[start:end]``, starting on 1-based ``line``."""

    kind: str
    start: int
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class LinkSpan:
    """A link, image, autolink, reference, definition, wikilink or embed, as written.

    kind: "link" ``[a](u)``, "image" ``![a](u)``, "autolink" ``<u>``, "reference" ``[a][r]``
    (``target`` from its definition), "definition" ``[r]: u``, "wikilink" ``[[t#h|a]]``,
    "embed" ``![[t]]``. ``target`` has no ``#anchor`` for wikilinks/embeds (see ``anchor``);
    for Markdown links the URL is kept whole, as the renderer writes it into ``href``.
    """

    kind: str
    start: int
    end: int
    line: int
    target: str
    label: str = ""
    anchor: str = ""
    title: str = ""
    ref: str = ""  # reference label of "reference" and "definition" links, normalized

    @property
    def is_image(self) -> bool:
        return self.kind == "image" or (self.kind == "reference" and self.label.startswith("!"))

    @property
    def is_embed(self) -> bool:
        return self.kind == "embed"


@dataclass(frozen=True, slots=True)
class Heading:
    """An ATX (``## x``) or setext (``x`` over ``---``) heading; ``text`` is its raw inline text."""

    level: int
    text: str
    line: int
    start: int
    end: int


def _sorted_bounds(spans: tuple[Span, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Disjoint, sorted (starts, ends) covering the union of ``spans`` (nested spans merged)."""
    starts: list[int] = []
    ends: list[int] = []
    for span in sorted(spans, key=lambda s: s.start):
        if ends and span.start <= ends[-1]:
            ends[-1] = max(ends[-1], span.end)
        else:
            starts.append(span.start)
            ends.append(span.end)
    return tuple(starts), tuple(ends)


@dataclass(frozen=True)
class MarkdownScan:
    """One reading of a note's Markdown (see ``scan_markdown``)."""

    text: str
    code: tuple[Span, ...]  # kinds in CODE_KINDS, in text order
    html: tuple[Span, ...]  # kinds in HTML_KINDS
    links: tuple[LinkSpan, ...]  # everything linkable outside code/HTML/masked spans, in text order
    definitions: tuple[LinkSpan, ...]  # "[ref]: url" lines
    # bare addresses in prose (not linked: magiclink is not enabled): kind "url" (http/https, cited as links),
    # "uri" (another scheme: s3://bucket/key), "www" (www.example.com) and "email"
    urls: tuple[Span, ...]
    headings: tuple[Heading, ...]
    masked: tuple[Span, ...] = ()  # Obsidian math and %%comments%% (kinds in MASK_KINDS)
    callouts: tuple[Span, ...] = ()  # "> [!type]" lines; kind "callout:<type>"
    tags: tuple[Span, ...] = ()  # inline "#tag" (the span covers "#tag")
    runs: tuple[tuple[int, int], ...] = ()  # (start, end) of each stretch of inline text (paragraphs, items, headings)
    _code_bounds: tuple[tuple[int, ...], tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _skip_bounds: tuple[tuple[int, ...], tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _rendered_code_bounds: tuple[tuple[int, ...], tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_code_bounds", _sorted_bounds(self.code + self.masked))
        object.__setattr__(self, "_rendered_code_bounds", _sorted_bounds(self.code))
        object.__setattr__(self, "_skip_bounds", _sorted_bounds(self.code + self.masked + self.html))

    @staticmethod
    def _inside(bounds: tuple[tuple[int, ...], tuple[int, ...]], offset: int) -> bool:
        starts, ends = bounds
        i = bisect_right(starts, offset) - 1
        return i >= 0 and offset < ends[i]

    def is_code(self, offset: int) -> bool:
        """Whether ``offset`` is inside code, or inside math or a comment (nothing there is a link)."""
        return self._inside(self._code_bounds, offset)

    def in_rendered_code(self, offset: int) -> bool:
        """Whether ``offset`` is inside code as Python-Markdown renders it (``CODE_KINDS``; math and comments
        are text to it)."""
        return self._inside(self._rendered_code_bounds, offset)

    def in_code_or_html(self, offset: int) -> bool:
        return self._inside(self._skip_bounds, offset)

    def prose_segments(self) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of each stretch of text outside code, HTML, math and comments."""
        pos = 0
        for start, end in zip(*self._skip_bounds):
            if start > pos:
                yield pos, start
            pos = max(pos, end)
        if pos < len(self.text):
            yield pos, len(self.text)

    def line_of(self, offset: int) -> int:
        """1-based line of ``offset``."""
        return self.text.count("\n", 0, offset) + 1
