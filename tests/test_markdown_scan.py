"""Unit rows for every span kind of ``macros.markdown_scan``: what it finds, where, on which line."""
from __future__ import annotations

import pytest

from macros.markdown_scan import scan_markdown

# (text, collection, kind, the spanned text, line)
SPANS = [
    ("A `code` b\n", "code", "inline", "`code`", 1),
    ("x\n\n```py\ncode\n```\n", "code", "fence", "```py\ncode\n```", 3),
    ("x\n\n~~~\ncode\n~~~\n", "code", "fence", "~~~\ncode\n~~~", 3),
    ("x\n\n    code\n\n    more\n", "code", "indented", "    code\n\n    more", 3),
    ("<div>\nraw\n</div>\n", "html", "html_block", "<div>\nraw\n</div>", 1),
    ("A <span>b</span>\n", "html", "html_inline", "<span>", 1),
    ("A\n\n<!-- note -->\n", "html", "html_block", "<!-- note -->", 3),
    ("A <!-- note --> b\n", "html", "html_comment", "<!-- note -->", 1),
    ("See https://a.example/x.\n", "urls", "url", "https://a.example/x", 1),
    ("See (https://a.example/x) now\n", "urls", "url", "https://a.example/x", 1),
    ("Cost $x^2$ here\n", "masked", "math", "$x^2$", 1),
    ("A\n\n$$\nx [a](b)\n$$\n", "masked", "math", "$$\nx [a](b)\n$$", 3),
    ("A %%hidden%% b\n", "masked", "comment", "%%hidden%%", 1),
    ("A\n\n%%\nhidden\n\nstill\n%%\n", "masked", "comment", "%%\nhidden\n\nstill\n%%", 3),
    ("> [!tip] Title\n> body\n", "callouts", "callout:tip", "> [!tip] Title", 1),
    ("Text #exam-prep here\n", "tags", "tag", "#exam-prep", 1),
]


@pytest.mark.parametrize(("text", "collection", "kind", "spanned", "line"), SPANS)
def test_span_kind(text: str, collection: str, kind: str, spanned: str, line: int) -> None:
    scan = scan_markdown(text)
    found = [(s.kind, text[s.start:s.end], s.line) for s in getattr(scan, collection)]
    assert (kind, spanned, line) in found


# (text, kind, target, label, anchor, title)
LINKS = [
    ("[a](b.md)", "link", "b.md", "a", "", ""),
    ('[a](b.md#h "T")', "link", "b.md#h", "a", "", "T"),
    ("![alt](i.png)", "image", "i.png", "alt", "", ""),
    ("<https://a.example>", "autolink", "https://a.example", "", "", ""),
    ("<me@a.example>", "autolink", "mailto:me@a.example", "", "", ""),
    ("[a][r]\n\n[r]: /u 'T'", "reference", "/u", "a", "", "T"),
    ("[r]\n\n[r]: /u", "reference", "/u", "r", "", ""),
    ("[[Note Title]]", "wikilink", "Note Title", "Note Title", "", ""),
    ("[[file#Heading|label]]", "wikilink", "file", "label", "Heading", ""),
    ("![[diagram.png]]", "embed", "diagram.png", "diagram.png", "", ""),
]


@pytest.mark.parametrize(("text", "kind", "target", "label", "anchor", "title"), LINKS)
def test_link_kind(text: str, kind: str, target: str, label: str, anchor: str, title: str) -> None:
    scan = scan_markdown("Intro line\n\n" + text + "\n")
    link = scan.links[0]
    assert (link.kind, link.target, link.label, link.anchor, link.title, link.line) == (
        kind, target, label, anchor, title, 3)
    assert link.is_image == (kind == "image") and link.is_embed == (kind == "embed")


@pytest.mark.parametrize(("text", "where"), [
    ("`[a](b)`", "inline code"), ("<!-- [a](b) -->", "a comment"),
    ("%%[a](b)%%", "an Obsidian comment"), ("$[a](b)$", "math"), ("\\[a](b)", "an escape"),
    ("[a][undefined]", "an undefined reference"), ("\n\n<div>\n[a](b)\n</div>\n", "an HTML block"),
])
def test_no_link_in(text: str, where: str) -> None:
    assert scan_markdown(f"Text {text} end\n").links == (), where


# (text, level, heading text, line)
HEADINGS = [
    ("# One", 1, "One", 1), ("### Three ###", 3, "Three", 1), ("Title\n=====", 1, "Title", 1),
    ("Title\n---", 2, "Title", 1), ("x\n\n> ## Quoted", 2, "Quoted", 3),
]


@pytest.mark.parametrize(("text", "level", "heading", "line"), HEADINGS)
def test_heading(text: str, level: int, heading: str, line: int) -> None:
    assert [(h.level, h.text, h.line) for h in scan_markdown(text + "\n").headings] == [(level, heading, line)]


@pytest.mark.parametrize("text", ["One\nTwo\n---", "#tag", " # not at the margin", "Text\n\n***"])
def test_not_a_heading(text: str) -> None:
    assert scan_markdown(text + "\n").headings == ()


def test_offsets_and_prose_segments() -> None:
    text = "A `b` <i>c</i> d\n\n    code\n"
    scan = scan_markdown(text)
    assert scan.is_code(text.index("`b`") + 1) and not scan.is_code(0)
    assert scan.in_code_or_html(text.index("<i>")) and not scan.is_code(text.index("<i>"))
    assert scan.is_code(text.index("code"))
    prose = "".join(text[a:b] for a, b in scan.prose_segments())
    assert "`" not in prose and "<i>" not in prose and "code" not in prose and "d" in prose


def test_result_is_immutable() -> None:
    scan = scan_markdown("A `b`\n")
    with pytest.raises(AttributeError):
        scan.code = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        scan.code[0].start = 5  # type: ignore[misc]


def test_reproduced_bug_note() -> None:
    """Issue #12: an indented block and a four-backtick fence around "```": both are code, no link is."""
    text = "Intro.\n\n    [code](missing.md)\n\n````\n```\n[code](missing.md)\n```\n````\n\n[real](real.md)\n"
    scan = scan_markdown(text)
    assert [s.kind for s in scan.code] == ["indented", "fence"]
    assert [link.target for link in scan.links] == ["real.md"]
