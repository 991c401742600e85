"""Cheat-sheets on paper, in real headless Chromium: every sheet prints on one or two pages of A4
and of US Letter, without the site's chrome, in two columns at 9–10 pt, no item split across
pages, link URLs not spelled out; every link on a sheet lands on an existing element; the Print
button prints; ``STUDYGUIDE_PDF=1`` builds the five PDFs.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import ROOT, Build, run_mkdocs_build

DOMAINS = yaml.safe_load((ROOT / "seeds" / "exams" / "mls-c01.yml").read_text("utf-8"))["domains"]
SLUGS = [re.sub(r"[^a-z0-9]+", "-", d["name"].lower()).strip("-") for d in DOMAINS]
FORMATS = ("A4", "Letter")
SITE_NAME = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8").split("\ntheme:")[0])["site_name"]
# Text of the site's chrome that must not reach paper.
CHROME_TEXT = (SITE_NAME, "Table of contents", "Glossary", "Tags", "Search", "Build report", "Contributing",
               "Made with", "Back to top", "Print")
CHROME = (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search",
          ".md-top", ".md-banner", ".md-consent", ".sg-print", ".sg-tools")


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF: its ``/Type /Page`` objects (not ``/Pages``, the page tree)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))


def visible_chrome(page) -> list[str]:
    return page.evaluate("""(selectors) => selectors.flatMap(s => [...document.querySelectorAll(s)]
        .filter(el => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
        .map(el => s))""", list(CHROME))


@pytest.fixture
def print_page(page, seed_url: str):
    def open_(path: str):
        page.goto(seed_url + path)
        page.emulate_media(media="print")
        return page
    return open_


# --- page count -----------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_sheet_prints_on_one_or_two_pages(print_page, slug: str) -> None:
    page = print_page(f"cheatsheets/{slug}/")
    for paper in FORMATS:
        data = page.pdf(format=paper)
        assert data.startswith(b"%PDF")
        assert 1 <= pdf_pages(data) <= 2, (slug, paper, pdf_pages(data))


def test_all_domains_page_starts_each_sheet_on_a_new_page(print_page) -> None:
    page = print_page("cheatsheets/all/")
    assert page.evaluate("""() => [...document.querySelectorAll('.sg-cheatsheet')].slice(1)
        .every(el => getComputedStyle(el).breakBefore === 'page')""")
    for paper in FORMATS:
        count = pdf_pages(page.pdf(format=paper))
        assert len(DOMAINS) <= count <= 2 * len(DOMAINS), (paper, count)


# --- what reaches paper ---------------------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_print_view_has_no_site_chrome(print_page, slug: str) -> None:
    page = print_page(f"cheatsheets/{slug}/")
    assert visible_chrome(page) == []
    text = page.evaluate("() => document.body.innerText")
    for word in CHROME_TEXT:
        assert not re.search(rf"\b{re.escape(word)}\b", text), word
    assert f"Cheat-sheet: {DOMAINS[SLUGS.index(slug)]['name']}" in text


def test_other_pages_print_without_chrome_too(print_page) -> None:
    for path in ("", "domains/modeling/", "glossary/", "notes/004-679f69c2a7dba30d/"):
        page = print_page(path)
        assert visible_chrome(page) == [], path
        first_line, heading = page.evaluate("""() => [document.body.innerText.trim().split('\\n')[0],
                                                       document.querySelector('article h1').innerText]""")
        assert first_line.strip() == heading.strip(), path  # nothing printed above the page's title


@pytest.mark.parametrize("slug", SLUGS)
def test_print_layout_is_compact_and_never_splits_an_item(print_page, slug: str) -> None:
    page = print_page(f"cheatsheets/{slug}/")
    layout = page.evaluate("""() => {
        const sheet = document.querySelector('.sg-cheatsheet');
        const cs = getComputedStyle(sheet);
        const items = [...sheet.querySelectorAll('li, .sg-concept')];
        const links = [...sheet.querySelectorAll('a[href]')];
        return {
          columns: cs.columnCount, fontPx: parseFloat(cs.fontSize),
          headSpan: getComputedStyle(sheet.querySelector('.sg-sheet-head')).columnSpan,
          items: items.length,
          splittable: items.filter(el => getComputedStyle(el).breakInside !== 'avoid').length,
          headingsKeepWithNext: [...sheet.querySelectorAll('.sg-part')].every(h => getComputedStyle(h).breakAfter === 'avoid'),
          expanded: links.filter(a => !['none', 'normal'].includes(getComputedStyle(a, '::after').content)).length,
        };
    }""")
    assert layout["columns"] == "2"
    assert 12.0 <= layout["fontPx"] <= 13.34, layout  # 9–10 pt
    assert layout["headSpan"] == "all"
    assert layout["items"] > 10 and layout["splittable"] == 0, layout
    assert layout["headingsKeepWithNext"]
    assert layout["expanded"] == 0


# --- links ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS + ["all"])
def test_every_link_on_a_sheet_lands_on_an_existing_element(page, seed_url: str, seed_build: Build, slug: str) -> None:
    page.goto(seed_url + f"cheatsheets/{slug}/")
    hrefs = page.evaluate("() => [...document.querySelectorAll('.sg-cheatsheet a[href]')].map(a => a.href)")
    to_notes = [h for h in hrefs if "/notes/" in h]
    assert len(to_notes) >= (10 if slug != "all" else 40), slug
    ids: dict[Path, set[str]] = {}
    for href in hrefs:
        if not href.startswith(seed_url):
            continue  # external (none expected)
        parts = urlsplit(href)
        path = unquote(parts.path)[len(urlsplit(seed_url).path):]
        target = seed_build.site / path / "index.html" if not path.endswith(".html") else seed_build.site / path
        assert target.is_file(), href
        if parts.fragment:
            if target not in ids:
                ids[target] = set(re.findall(r'\bid="([^"]+)"', target.read_text("utf-8")))
            assert unquote(parts.fragment) in ids[target], href


# --- the Print button -----------------------------------------------------------------------------

def test_print_button_prints(page, seed_url: str) -> None:
    page.goto(seed_url + f"cheatsheets/{SLUGS[1]}/")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button = page.locator("a.sg-print")
    assert button.is_visible()
    button.click()
    assert page.evaluate("() => window.__printed") == 1
    assert page.url.endswith(f"cheatsheets/{SLUGS[1]}/")  # the link's "#" did not navigate


# --- the PDF build (one extra real build) ---------------------------------------------------------

def test_pdf_build_makes_five_pdfs_and_links_them(tmp_path: Path) -> None:
    build = run_mkdocs_build(tmp_path / "site", extra_env={"STUDYGUIDE_PDF": "1"})
    assert build.returncode == 0, build.log
    folder = build.site / "cheatsheets" / "pdf"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([f"{s}.pdf" for s in SLUGS] + ["all-domains.pdf"])
    for name in names:
        data = (folder / name).read_bytes()
        assert data.startswith(b"%PDF") and b"/MediaBox [0 0 595" in data  # A4 by default
        count = pdf_pages(data)
        assert (1 <= count <= 2) if name != "all-domains.pdf" else (len(SLUGS) <= count <= 2 * len(SLUGS)), (name, count)
        assert b"127.0.0.1" not in data  # no link to the temporary print server
    for slug in SLUGS:
        html = build.html(f"cheatsheets/{slug}/")
        for href in (f"../pdf/{slug}.pdf", "../pdf/all-domains.pdf"):
            assert f'href="{href}"' in html
            assert (build.site / "cheatsheets" / slug / href).resolve().is_file()
        assert "not part of this build" not in html
    index = build.html("cheatsheets/")
    assert all(f'href="pdf/{slug}.pdf"' in index for slug in SLUGS)


def test_pdf_links_point_at_the_public_site_when_there_is_one(seed_build: Build, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from macros import pdf

    # Its own thread: the session's browser fixture already runs Playwright's loop in this one.
    with ThreadPoolExecutor(1) as pool:
        written = pool.submit(pdf.print_pages, seed_build.site, [("cheatsheets/modeling/", "m.pdf")], tmp_path,
                              paper="Letter", base_url="https://guide.example.org/mls/").result()
    data = written[0].read_bytes()
    assert b"/MediaBox [0 0 612 792]" in data  # US Letter
    assert b"(https://guide.example.org/mls/notes/004-679f69c2a7dba30d/#" in data
    assert b"127.0.0.1" not in data
    assert 1 <= pdf_pages(data) <= 2
