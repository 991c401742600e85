"""Reader pages speak to readers: no file paths, source formats, line numbers or "not checked" on the pages a
reader studies from (those are on the Build report and Contributing pages); facts name their note by title;
the ⚠ beside a suspicious link carries its reason as plain text, whatever the note wrote."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import Build
from macros.render.rewrite import link_flag
from page_text import article_html, content_text

READER_PAGES = ["", "notes/", "glossary/", "resources/", "flashcards/", "domains/"]


@pytest.mark.parametrize("page", READER_PAGES)
def test_reader_pages_show_no_contributor_details(seed_build: Build, page: str) -> None:
    html = seed_build.html(page)
    text = content_text(html)
    for detail in ("seeds/", "not checked", "(line "):
        assert detail not in text, (page, detail)
    assert "<th>Format</th>" not in article_html(html), page  # a note's source format (notable, wiki.js…)


def test_exam_facts_name_their_note_by_title(seed_build: Build) -> None:
    html = article_html(seed_build.html(""))
    row = re.search(r"<td>Time</td>\s*<td>(.*?)</td>", html, re.S)
    assert row, "the home page's facts have a Time row"
    assert "according to" in row.group(1) and 'href="notes/' in row.group(1)


def test_the_build_report_lists_each_note_with_its_file(seed_build: Build) -> None:
    text = content_text(seed_build.html("report/"))
    assert "Notes and their files" in text and "seeds/notes/" in text


class _Spans(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("reason", [
    pytest.param("the label '\"><script>alert(1)</script>' names X", id="script"),
    pytest.param("label 'a\" onmouseover=\"alert(1)' points elsewhere", id="attribute"),
    pytest.param("label '&amp; <b>' and ' quotes", id="entities"),
])
def test_a_link_flag_keeps_its_reason_as_text(reason: str) -> None:
    parser = _Spans()
    parser.feed(link_flag([reason]))
    assert [tag for tag, _ in parser.found] == ["span"]  # one element: nothing the reason wrote became a tag
    attributes = parser.found[0][1]
    assert set(attributes) == {"class", "title"}
    assert attributes["title"] == f"Suspicious link: {reason}"


@pytest.fixture(scope="module")
def seed_site():
    from conftest import ROOT
    from macros import pipeline

    return pipeline.build_site(ROOT)


def _toc_anchors(html: str) -> list[str]:
    start = html.index("md-nav--secondary")
    return re.findall(r'<a href="#([^"]+)" class="md-nav__link"', html[start: html.index("</nav>", start)])


def test_lead_in_sections_are_in_the_table_of_contents(seed_build: Build, seed_site) -> None:
    from macros.enrich import lead_in_anchors
    from macros.paths import page_url

    with_lead_ins = [(note, lead_in_anchors(note)) for note in seed_site.notes if note.dialect != "broken"]
    with_lead_ins = [(note, anchors) for note, anchors in with_lead_ins if anchors]
    assert with_lead_ins  # guard: the seeds have a transcript with "**Domain N**" lead-ins
    for note, anchors in with_lead_ins:
        toc = _toc_anchors(seed_build.html(page_url(note.page_path)))
        assert set(anchors.values()) <= set(toc), (note.source, anchors, toc)


NAV_ITEM = r'<a href="(?:[^"]*/)?{slug}/"[^>]*>\s*<span class="md-ellipsis">(.*?)</span>'
TABLE_ROW = r'<td><a href="(?:[^"]*/)?{slug}/">(.*?)</a></td>'


# The navigation lists the notes on the Notes pages (navigation.prune renders only the open section).
@pytest.mark.parametrize("page, part, pattern", [("", "article", TABLE_ROW), ("notes/", "article", TABLE_ROW),
                                                 ("notes/", "navigation", NAV_ITEM)])
def test_listed_notes_read_differently(seed_build: Build, seed_site, page: str, part: str, pattern: str) -> None:
    """Navigation and note tables never list two notes under titles equal after folding dashes, case, spaces."""
    from macros.enrich.titles import folded_title

    html = seed_build.html(page)
    start = html.index("md-nav--primary")
    where = html[start: html.index("</nav>", start)] if part == "navigation" else article_html(html)
    published = [note for note in seed_site.notes if not note.draft]
    listed = {}
    for note in published:
        found = re.search(pattern.format(slug=re.escape(note.slug)), where, re.S)
        if found:
            listed[note.slug] = folded_title(content_text(f"<article>{found.group(1)}</article>"))
    # Past 30 notes the navigation files them under domains: it lists some notes, the tables list all.
    assert listed if part == "navigation" else len(listed) == len(published), (page, sorted(listed))
    assert len(set(listed.values())) == len(listed), listed
