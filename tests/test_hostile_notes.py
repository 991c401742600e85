"""Contributed text is data, never code: template syntax in notes is shown literally, raw HTML is
sanitized. One real strict build of a temp notes folder (``STUDYGUIDE_NOTES``)."""
from __future__ import annotations

import re

import pytest

from conftest import Build, run_mkdocs_build
from page_text import ALL_DOMAINS_NOTE, article_html, content, content_text

# Template syntax of Jinja (mkdocs-macros) and Liquid (Jekyll), each on its own line.
TEMPLATES = [
    "{{ config }}",
    "{{ config.site_name }}",
    "{{ 7 * 7 }} is not forty-nine",
    "{% for x in y %}loop body{% endfor %}",
    "{% raw %}raw block{% endraw %}",
    "{{ page.title | upcase }}",
    "{% include secrets.html %}",
    "{# a Jinja comment stays visible #}",
    "{{ macros_info() }}",
    "{{ exam_summary() }}",
]

JINJA_NOTE = ("---\ntitle: 'Templates {{ config.site_name }}'\ndescription: '{{ 6 * 7 }} described'\n"
              "liquid_key: '{% if true %}kept{% endif %}'\n---\n\n# Templates\n\n"
              + "\n\n".join(TEMPLATES)
              + "\n\n- list item {{ config.theme }}\n\n| col {{ a }} |\n| --- |\n| cell {% b %} |\n\n"
              "Inline `{{ code }}` and fenced:\n\n```jinja\n{% set secret = config %}{{ secret }}\n```\n\n"
              "## Modeling {% raw %}\n\nA modeling section says {{ config.theme }} and {% if x %}y{% endif %}.\n")

ESSAY = "Essay With Templates\nThe essay writes {{ config }} and {% for a in b %}x{% endfor %} as prose.\n"

# Hostile HTML, one per line, each with a visible word we can look for afterwards.
HOSTILE = [
    "<script>alert('script-tag')</script>",
    '<img src="x.png" onerror="alert(\'img-onerror\')" alt="img-alt">',
    '<a href="javascript:alert(1)">js-link</a>',
    '<a href="JaVaScRiPt:alert(1)">js-link-mixed-case</a>',
    '<a href="&#106;avascript:alert(1)">js-link-entity</a>',
    '<a href="  javascript:alert(1)">js-link-spaces</a>',
    '<iframe src="https://example.com/frame">iframe-text</iframe>',
    '<div onclick="alert(1)" onmouseover="alert(2)">div-with-handlers</div>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<object data="x.swf">object-text</object>',
    '<embed src="x.swf">',
    '<form action="https://evil.example"><input type="text" name="q" value="form-input"><button>form-button</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<style>body { display: none }</style>',
    '<p style="background:url(javascript:alert(1))">styled-paragraph</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data-link</a>',
]
MARKDOWN_HOSTILE = [
    "[md-js-link](javascript:alert(1))",
    "![md-js-image](javascript:alert(1))",
    "[md-ok-link](https://example.com/ok)",
    "[md-js-ref][js-ref] and ![md-js-ref-image][js-ref]\n\n[js-ref]: javascript:alert(1)",
    "[md-ref-title][title-ref]\n\n[title-ref]: https://example.com/ref \"<img src=x onerror=alert('img-onerror')>\"",
]
HARMLESS = [
    "Line one<br>line two",
    "Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to copy",
    "<details><summary>Spoiler summary</summary>Hidden answer text</details>",
    "<abbr title=\"Amazon Web Services\">AWS</abbr> and <sub>sub</sub> <sup>sup</sup> <mark>marked</mark>",
]

HTML_NOTE = ("---\ntitle: \"Raw <script>alert('title')</script> HTML\"\n"
             "tags: [\"<img src=x onerror=alert('tag')>\", plain-tag]\n"
             "description: 'quote\"><script>alert(''description'')</script>'\n"
             "mood: \"<img src=x onerror=alert('extra')>\"\n---\n\n# Raw HTML\n\n## Modeling\n\n"
             + "\n\n".join(HOSTILE + MARKDOWN_HOSTILE + HARMLESS) + "\n")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = tmp_path_factory.mktemp("hostile-notes")
    (folder / "jinja.md").write_text(JINJA_NOTE, "utf-8")
    (folder / "essay.txt").write_text(ESSAY, "utf-8")
    (folder / "html.md").write_text(HTML_NOTE, "utf-8")
    # The <img src="x.png"> is resolved like any image (a missing one would be a finding): it is there.
    (folder / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "outline.md").write_text(ALL_DOMAINS_NOTE, "utf-8")
    # Not --strict: the note's <iframe>, <object> and <embed> are findings (html/embed-removed), and only they may warn.
    build = run_mkdocs_build(tmp_path_factory.mktemp("hostile-site") / "site", notes=folder, strict=False)
    assert build.returncode == 0, build.log
    warnings = [line for line in build.log.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 3 and all("html.md:" in w and w.endswith("[html/embed-removed]") for w in warnings), warnings
    return build


# --- templates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("template", TEMPLATES)
def test_template_syntax_is_shown_literally(hostile_build: Build, template: str) -> None:
    assert template in content_text(hostile_build.html("notes/jinja/"))


def test_templates_in_lists_tables_code_and_front_matter_are_literal(hostile_build: Build) -> None:
    text = content_text(hostile_build.html("notes/jinja/"))
    for literal in ("list item {{ config.theme }}", "cell {% b %}", "col {{ a }}", "{{ code }}",
                    "{% set secret = config %}{{ secret }}", "{{ 6 * 7 }} described", "{% if true %}kept{% endif %}"):
        assert literal in text, literal


def test_template_title_is_literal_everywhere(hostile_build: Build) -> None:
    page = hostile_build.html("notes/jinja/")
    title = "Templates {{ config.site_name }}"
    assert f"<title>{title}" in page
    assert title in content_text(hostile_build.html("notes/"))
    assert title in content_text(hostile_build.html("index.html"))


def test_templates_gathered_onto_a_domain_page_stay_literal(hostile_build: Build) -> None:
    pages = [p for p in (hostile_build.site / "domains").glob("*/index.html")
             if "A modeling section says" in p.read_text("utf-8")]
    assert pages, "the note's Modeling section is gathered on a domain page"
    for page in pages:
        text = content_text(page.read_text("utf-8"))
        assert "Modeling {% raw %}" in text
        assert "A modeling section says {{ config.theme }} and {% if x %}y{% endif %}." in text


def test_essay_templates_are_literal(hostile_build: Build) -> None:
    text = content_text(hostile_build.html("notes/essay/"))
    assert "The essay writes {{ config }} and {% for a in b %}x{% endfor %} as prose." in text


def test_nothing_was_executed(hostile_build: Build) -> None:
    """No config dump, no arithmetic done, no macro ran: the signs of a template engine at work."""
    for page in ("notes/jinja/", "notes/essay/"):
        text = content_text(hostile_build.html(page))
        for sign in ("49 is not forty-nine", "42 described", "config_file_path", "docs_dir", "markdown_extensions",
                     "mkdocs_version", "TEMPLATES", "Macros Information", "MLS-C01 Study Guide",
                     "65 questions"):  # exam_summary() would list the exam's questions
            assert sign not in text, (page, sign)
        assert "loop body" not in text.replace("{% for x in y %}loop body{% endfor %}", ""), page


# --- sanitizer ---------------------------------------------------------------------------------

DANGER = [
    ("script tag", re.compile(r"<script", re.I)),
    # an on* attribute of a tag (attributes read whole: an escaped title may say "onerror=" as text)
    ("event handler", re.compile(
        r"""<\w+(?:[\s/]+[^\s/=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*?[\s/]+on\w+\s*=""", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
    ("javascript: URL as entity", re.compile(r"&#0*106;avascript|&#x0*6a;avascript", re.I)),
    ("iframe", re.compile(r"<iframe", re.I)),
    ("object/embed", re.compile(r"<(object|embed)\b", re.I)),
    ("form", re.compile(r"<(form|button)\b|<input(?![^>]*type=\"checkbox\")", re.I)),
    ("meta/base/link", re.compile(r"<(meta|base|link)\b", re.I)),
    ("style element", re.compile(r"<style", re.I)),
    ("data: URL", re.compile(r"""(href|src)\s*=\s*["']?\s*data:""", re.I)),
]


@pytest.mark.parametrize(("what", "pattern"), DANGER, ids=[d[0] for d in DANGER])
def test_note_content_area_has_no_active_content(hostile_build: Build, what: str, pattern: re.Pattern[str]) -> None:
    html = article_html(hostile_build.html("notes/html/"))
    match = pattern.search(html)
    assert match is None, f"{what}: …{html[max(0, match.start() - 80): match.end() + 80]}…"


@pytest.mark.parametrize("page", ["notes/html/", "notes/jinja/", "notes/", "index.html", "tags/"])
def test_front_matter_text_stays_text_outside_the_content_area(hostile_build: Build, page: str) -> None:
    """<title>, <meta description>, header, navigation (on every page) and tag chips show the note's
    title, description and tags as text."""
    html = hostile_build.html(page)
    for sign in ("<script>alert('title')", "<script>alert('description')"):
        assert sign not in html, sign
    assert not re.search(r"<img[^>]*onerror", html, re.I), "tag"


def test_visible_text_of_removed_markup_is_not_needed_but_links_text_stays(hostile_build: Build) -> None:
    text = content_text(hostile_build.html("notes/html/"))
    for word in ("js-link", "js-link-mixed-case", "div-with-handlers", "md-js-link", "md-ok-link", "styled-paragraph",
                 "md-js-ref", "md-ref-title"):
        assert word in text, word


def test_harmless_markup_survives(hostile_build: Build) -> None:
    html = article_html(hostile_build.html("notes/html/"))
    assert re.search(r"Line one<br\s*/?>\s*line two", html)
    assert html.count("<kbd>") == 2
    assert re.search(r"<details[^>]*>\s*<summary>Spoiler summary</summary>\s*Hidden answer text\s*</details>", html)
    for tag in ("abbr", "sub", "sup", "mark"):
        assert f"<{tag}" in html, tag
    parsed = content(hostile_build.html("notes/html/"))
    assert "https://example.com/ok" in parsed.hrefs


def test_hostile_front_matter_values_are_escaped_in_the_about_table(hostile_build: Build) -> None:
    html = article_html(hostile_build.html("notes/html/"))
    row = re.search(r"<td>mood</td>\s*<td>(.*?)</td>", html, re.S)
    assert row, "the unknown key 'mood' is shown in the About table"
    assert row.group(1) == "&lt;img src=x onerror=alert('extra')&gt;"
    assert "<script>alert('description')" not in html


BODY_PAYLOADS = [r"<script>\s*alert\('script-tag'\)", r"<img[^>]*\sonerror=[^>]*img-onerror", r"href=\"\s*javascript:",
                 r"<iframe", r"<svg[^>]*onload", r"<div[^>]*onclick"]


def test_no_page_of_the_site_carries_active_content_from_a_note_body(hostile_build: Build) -> None:
    """Every built page (domain excerpts, tags, glossary, resources, search...), not only the note's own."""
    offenders = []
    pages = sorted(hostile_build.site.rglob("*.html"))
    for path in pages:
        html = path.read_text("utf-8")
        for pattern in BODY_PAYLOADS:
            if re.search(pattern, html, re.I):
                offenders.append(f"{path.relative_to(hostile_build.site)}: {pattern}")
    assert offenders == []
    assert len(pages) > 10


def test_hostile_section_is_gathered_sanitized_on_its_domain_page(hostile_build: Build) -> None:
    page = next(p for p in (hostile_build.site / "domains").glob("*/index.html") if "Modeling" in p.read_text("utf-8")
                and "div-with-handlers" in p.read_text("utf-8"))
    html = article_html(page.read_text("utf-8"))
    assert "div-with-handlers" in html  # the section really is there
    for what, pattern in DANGER:
        assert not pattern.search(html), what
