"""Tool syntax shown as its author saw it (issue #13): callouts, %%comments%%, math, #tags, line breaks,
==highlight==, embedded players. Each row is normalized, rendered by Python-Markdown with the site's
extensions and sanitized, as a real page is; attack rows prove the rewrite opens no hole."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from markdown_oracle import render
from macros.catalog import exam_file, load_exam
from macros.load import load_note
from macros.model import Note
from macros.normalize import normalize_note
from macros.normalize.callouts import CALLOUT_TYPES
from macros.normalize.edits import Edit, apply_edits
from macros.sanitize import sanitize_html

EXAM = load_exam(exam_file(ROOT, "mls-c01"))
OBSIDIAN_FRONT = "---\naliases: [x]\n---\n"  # an Obsidian note outside a vault: known by its front matter


def normalized(folder: Path, text: str, name: str = "note.md") -> Note:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return normalize_note(load_note(path, name), EXAM, set())


def page_html(folder: Path, text: str, name: str = "note.md") -> str:
    return sanitize_html(render(normalized(folder, text, name).body))


# (id, note text, HTML that must appear (regexes), text that must not appear)
SYNTAX = [
    ("callout", "> [!warning] Mind the limits\n> Shards cap writes.\n",
     [r'<div class="admonition warning">', r'<p class="admonition-title">Mind the limits</p>', r"<p>Shards cap writes.</p>"],
     ["[!warning]"]),
    ("callout-no-title", "> [!note]\n> Body.\n", [r'class="admonition note"', r">Note</p>"], ["[!note]"]),
    ("callout-alias", "> [!tldr] Short\n> Body.\n", [r'class="admonition abstract"', r">Short<"], []),
    ("callout-unknown-type", "> [!recipe] Cake\n> Body.\n", [r'class="admonition note"', r">Cake<"], []),
    ("callout-github-alert", "> [!IMPORTANT]\n> Body.\n", [r'class="admonition tip"', r">Important<"], []),
    ("callout-collapsed", "> [!tip]- Foldable\n> Hidden body.\n",
     [r'<details class="tip">', r"<summary>Foldable</summary>", r"Hidden body"], ["<details class=\"tip\" open"]),
    ("callout-open", "> [!example]+ Open\n> Shown body.\n", [r'<details class="example" open="open">'], []),
    ("callout-list-and-code", "> [!warning] Security\n> - one\n> - two\n>   - nested\n>\n> ```python\n> x = 1\n> ```\n",
     [r'class="admonition warning"', r"<li>one</li>", r"<li>two\s*<ul>\s*<li>nested</li>", r"<code>.*x.*=.*1"], []),
    ("callout-nested", "> [!note] Outer\n> text\n> > [!danger] Inner\n> > deep\n",
     [r'class="admonition note".*class="admonition danger".*deep</p>\s*</div>\s*</div>'], ["[!danger]"]),
    ("callout-in-code-stays-code", "```\n> [!note] not a callout\n```\n", [r"\[!note\] not a callout"], ["admonition"]),
    ("comment-inline", "Visible %%secret one%% text.\n", [r"Visible\s+text"], ["secret"]),
    ("comment-block", "Before\n\n%%\nsecret two\n[[Hidden link]]\n%%\n\nAfter\n", [r"Before", r"After"],
     ["secret", "Hidden"]),
    ("comment-in-code-stays", "`%%kept%%`\n", [r"<code>%%kept%%</code>"], []),
    ("math-inline", "Area $\\pi r^2$ here.\n", [r'<math display="inline">', r"<msup>"], ["$"]),
    ("math-display", "$$\n\\frac{a}{b}\n$$\n", [r'<math display="block">.*<mfrac>'], ["$$"]),
    ("math-latex-delimiters", "Inline \\(x_1\\) and\n\n\\[\ny^2\n\\]\n",
     [r'<math display="inline"><mrow><msub>', r'<math display="block">'], ["\\("]),
    ("currency-is-not-math", "It costs $5 and $10 per month.\n", [r"\$5 and \$10"], ["<math"]),
    ("math-in-code-stays", "`$x$`\n", [r"<code>\$x\$</code>"], ["<math"]),
    ("highlight", "A ==key fact== here.\n", [r"<mark>key fact</mark>"], []),
    ("tag-inline", "Text #ingestion here.\n", [r"Text #ingestion here"], ["<h1>ingestion"]),
    ("tag-alone-is-no-heading", "Para.\n\n#card\nQuestion?\n", [r"<p>#card"], ['<h1 id="card"']),
    ("heading-stays-heading", "# Title\n\n## Real heading\n", [r"<h2[^>]*>Real heading"], []),
    ("iframe", '<iframe src="https://www.youtube.com/embed/abc" width="560"></iframe>\n',
     [r'Embedded video: <a href="https://www.youtube.com/embed/abc">'], ["<iframe"]),
    ("video", '<video src="https://example.com/a.mp4" controls></video>\n',
     [r'Embedded video: <a href="https://example.com/a.mp4">'], ["<video"]),
]


@pytest.mark.parametrize(("text", "present", "absent"), [row[1:] for row in SYNTAX], ids=[row[0] for row in SYNTAX])
def test_tool_syntax_renders_as_the_author_saw_it(notes_dir: Path, text: str, present: list[str],
                                                  absent: list[str]) -> None:
    html = page_html(notes_dir, OBSIDIAN_FRONT + text)
    for pattern in present:
        assert re.search(pattern, html, re.S), (pattern, html)
    for text_absent in absent:
        assert text_absent not in html, (text_absent, html)


# Attacks: whatever a stranger writes in the new syntax, no script, handler or javascript: URL reaches the page.
ATTACKS = [
    ("callout-title-script", "> [!note] <script>alert(1)</script>\n> body\n"),
    ("callout-title-img", '> [!tip]- <img src=x onerror=alert(1)> "quoted"\n> body\n'),
    ("tag-img", "#<img src=x onerror=alert(1)> and #ok\n"),
    ("math-href", "$\\href{javascript:alert(1)}{x}$\n"),
    ("math-script", "$$<script>alert(1)</script>$$\n"),
    ("math-style", "$\\style{background:url(javascript:alert(1))}{x}$\n"),
    ("iframe-javascript", '<iframe src="javascript:alert(1)"></iframe>\n'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>\n'),
    ("object-data-uri", '<object data="data:text/html,<script>alert(1)</script>"></object>\n'),
    ("comment-hides-jinja", "%%{{ config }} {% include '/etc/passwd' %}%%\nText.\n"),
]
_DANGER = re.compile(r"<script|<(?:iframe|object|embed)|<[^>]*\s(?:on\w+|srcdoc|style)=|(?:href|src|data)=\"?\s*javascript:"
                     r"|\{\{ ?config|/etc/passwd", re.I)


@pytest.mark.parametrize("text", [row[1] for row in ATTACKS], ids=[row[0] for row in ATTACKS])
def test_hostile_syntax_is_harmless(notes_dir: Path, text: str) -> None:
    html = page_html(notes_dir, OBSIDIAN_FRONT + text)
    assert not _DANGER.search(html), html


def test_a_malformed_formula_is_shown_as_code_with_a_finding(notes_dir: Path) -> None:
    note = normalized(notes_dir, OBSIDIAN_FRONT + "# T\n\nFine $x$.\n\nBroken $x^{$ here.\n")
    html = sanitize_html(render(note.body))
    assert "<code>$x^{$</code>" in html and "<math" in html
    [finding] = [p for p in note.problems if p.code == "math/malformed"]
    assert finding.line == 8 and finding.level == "finding" and finding.file == "note.md"


@pytest.mark.parametrize(("src", "expected"), [
    ("https://www.youtube.com/embed/x", "Embedded video: https://www.youtube.com/embed/x"),
    ("https://example.com/page", "Embedded page: https://example.com/page"),
    ("javascript:alert(1)", "is not an http(s) address"),
    ("", "is not an http(s) address"),
])
def test_an_iframe_is_never_lost_in_silence(notes_dir: Path, src: str, expected: str) -> None:
    note = normalized(notes_dir, f'# T\n\nText\n\n<iframe src="{src}"></iframe>\n')
    [finding] = [p for p in note.problems if p.code == "html/embed-removed"]
    assert finding.line == 5
    assert expected.split(": ", 1)[-1] in finding.message or expected in sanitize_html(render(note.body))


# --- tags ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "tags"), [
    ("---\ntags: [a]\n---\n# T\n\nText #b and #nested/tag.\n", ("a", "b", "nested/tag")),
    ("# T\n\n#card\nQ?\n", ("card",)),
    ("# T\n\n## Heading #notag\n", ()),
    ("# T\n\nIssue #1 and #2024 are numbers.\n", ()),
    ("# T\n\n[link](#anchor) and https://x.com/#frag and `#code`\n", ()),
    ("# T\n\n```\n#notag\n```\n", ()),
    ("# T\n\n%%#hidden%% $#x$ <!-- #html -->\n", ()),
    ("---\ntags: [dup]\n---\n# T\n\n#dup twice #dup\n", ("dup",)),
])
def test_inline_tags_become_page_tags(notes_dir: Path, text: str, tags: tuple[str, ...]) -> None:
    assert normalized(notes_dir, text).tags == tags


# --- line breaks ------------------------------------------------------------------------------------

WIKIJS = "---\ntitle: W\npublished: true\neditor: markdown\ndateCreated: 2021-08-16\n---\n"
NOTABLE = "---\ntitle: N\ncreated: 2022-12-27\nmodified: 2023-01-01\n---\n"
BLOG = "---\ntitle: B\ndate: 2024-03-05\n---\n"


@pytest.mark.parametrize(("front", "name", "kept"), [
    (OBSIDIAN_FRONT, "o.md", True),
    (WIKIJS, "w.md", True),
    (NOTABLE, "n.md", True),
    ("", "Page 0123456789abcdef0123456789abcdef.md", True),  # Notion shows a soft break inside a block
    (BLOG, "b.md", False),  # Jekyll/Hugo render CommonMark: lines join
    ("", "plain.md", False),
])
def test_single_line_breaks_show_where_the_tool_shows_them(notes_dir: Path, front: str, name: str, kept: bool) -> None:
    html = page_html(notes_dir, front + "# T\n\n1.1 Create data repositories.\n1.2 Identify ingestion.\n1.3 Transform.\n",
                     name)
    assert bool(re.search(r"1\.1 Create data repositories\.<br>\s*1\.2 Identify ingestion\.<br>\s*1\.3", html)) is kept, html


@pytest.mark.parametrize(("body", "unchanged"), [
    ("```\na\nb\n```\n", True),  # code
    ("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n", True),  # table
    ("- item\n- item two\n  - nested\n", True),  # list structure
    ("<div>\na\nb\n</div>\n", True),  # HTML block
    ("## Heading\nText under it\n", True),  # heading line
    ("Line one\nLine two\n", False),
    ("> [!note] T\n> one\n> two\n", False),  # inside a callout: a paragraph like any other
])
def test_hard_breaks_stay_out_of_structure(notes_dir: Path, body: str, unchanged: bool) -> None:
    note = normalized(notes_dir, OBSIDIAN_FRONT + "# T\n\n" + body)
    assert ("  \n" not in note.body) is unchanged, note.body


def test_seed_wikijs_task_statements_are_on_separate_lines(tmp_path: Path) -> None:
    source = ROOT / "seeds" / "notes" / "002_d0baab4a5fb9df3a.txt"
    html = sanitize_html(render(normalized(tmp_path, source.read_text("utf-8"), source.name).body))
    assert re.search(r"1\.1 [^<]*<br>\s*1\.2 [^<]*<br>\s*1\.3 ", html), html


def test_strict_line_breaks_of_a_vault_are_honoured(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "app.json").write_text('{"strictLineBreaks": true}')
    note = normalized(tmp_path / "vault-notes", "# T\n\nLine one\nLine two\n")
    assert note.dialect == "obsidian" and "  \n" not in note.body


# --- dialect and line map -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "dialect"), [
    ("# T\n\nSee [[Other note]].\n", "obsidian"),
    ("# T\n\n> [!tip] x\n> y\n", "obsidian"),
    ("# T\n\nPlain.\n", "markdown"),
])
def test_obsidian_is_recognized_by_its_syntax(notes_dir: Path, text: str, dialect: str) -> None:
    assert normalized(notes_dir, text).dialect == dialect


def test_a_vault_folder_makes_every_note_obsidian(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    assert normalized(tmp_path / "sub", "---\ndate: 2024-01-01\n---\n# T\n").dialect == "obsidian"


@pytest.mark.parametrize("body", [
    "%%\nmulti\nline\n%%\nTarget\n",
    "$$\na\n\\\\\nb\n$$\nTarget\n",
    "> [!note] T\n> x\n> y\n\nTarget\n",
    "Text %%inline\nover lines%% more\nTarget\n",
])
def test_source_lines_still_name_the_file_line(notes_dir: Path, body: str) -> None:
    text = OBSIDIAN_FRONT + "# T\n\n" + body
    note = normalized(notes_dir, text)
    index = next(i for i, line in enumerate(note.body.split("\n")) if line.startswith("Target"))
    expected = text.split("\n").index("Target") + 1
    assert note.source_lines[index] == expected


@pytest.mark.parametrize(("text", "edits", "result", "origins"), [
    ("a\nb\nc", [Edit(0, 3, "x")], "x\nc", [0, 2]),
    ("a\nb", [Edit(1, 1, "\n\n")], "a\n\n\nb", [0, 0, 0, 1]),
    ("a\nb\nc", [Edit(2, 3, "B1\nB2")], "a\nB1\nB2\nc", [0, 1, 1, 2]),
])
def test_apply_edits_keeps_the_line_map(text: str, edits: list[Edit], result: str, origins: list[int]) -> None:
    assert apply_edits(text, edits) == (result, origins)


def test_every_obsidian_callout_type_has_a_material_type() -> None:
    material = {"note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger", "bug",
                "example", "quote"}
    assert set(CALLOUT_TYPES.values()) == material and set(material) <= set(CALLOUT_TYPES)
