"""The reader's guide in headless Chromium, network blocked: dark mode follows the system and the toggle works,
code blocks have a copy button, flashcard answers are revealed by click and by keyboard, ticks survive a reload
and fill the home page's bars, the glossary filters by words and by letter, a suspicious link carries a ⚠ with
its reason, every Tab stop is visible, and the site's scripts re-run after instant navigation."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from conftest import SEED_NOTES, copy_project, run_mkdocs_build, serve_directory


def slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


@pytest.mark.parametrize("system, scheme", [("light", "default"), ("dark", "slate")])
def test_the_palette_follows_the_system_and_the_toggle_switches_it(offline, seed_url: str, system: str,
                                                                   scheme: str) -> None:
    page = offline(color_scheme=system)
    page.goto(seed_url)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", scheme)
    # The toggle cycles system → light → dark → system: two clicks leave "follow the system".
    seen = set()
    for _ in range(2):
        page.locator("form[data-md-component=palette] label:visible").first.click()
        seen.add(body.get_attribute("data-md-color-scheme"))
    assert seen == {"default", "slate"}, seen


def test_code_blocks_have_a_copy_button(offline, seed_url: str) -> None:
    page = offline()
    page.goto(seed_url + "contributing/")
    blocks = page.locator("article pre:has(code)")
    expect(blocks.first.locator("button[data-md-type=copy]")).to_have_attribute("title", "Copy to clipboard")
    assert page.locator("article pre button[data-md-type=copy]").count() == blocks.count()


@pytest.mark.parametrize("how", ["click", "keyboard"])
def test_a_flashcard_answer_is_hidden_until_revealed(offline, seed_url: str, how: str) -> None:
    page = offline()
    page.goto(seed_url + "flashcards/")
    card = page.locator(".sg-card").first
    answer = card.locator("details.sg-answer")
    expect(answer.locator("p").first).to_be_hidden()
    summary = answer.locator("summary")
    if how == "click":
        summary.click()
    else:
        summary.focus()
        page.keyboard.press("Enter")
    expect(answer.locator("p").first).to_be_visible()
    expect(answer.locator("a").first).to_have_attribute("href", re.compile(r"/notes/[^/]+/#"))


def test_ticks_survive_a_reload_and_fill_the_home_progress(offline, seed_url: str) -> None:
    page = offline()
    page.goto(seed_url + "flashcards/")
    card = page.locator(".sg-card[data-domain='2']").first
    card_id = card.get_attribute("data-card")
    card.locator(".sg-tick input").check()
    page.locator("[data-task='2.1'] .sg-tick input").check()
    page.reload()
    expect(page.locator(f".sg-card[data-card='{card_id}'] .sg-tick input")).to_be_checked()
    expect(page.locator("[data-task='2.1'] .sg-tick input")).to_be_checked()
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('sg-study:'))")
    assert len(stored) == 1  # one key, namespaced by the site's address
    page.goto(seed_url)
    row = page.locator(".sg-progress-row[data-domain='2']")
    expect(row.locator(".sg-progress-text")).to_contain_text("1 of")
    assert row.locator("progress").evaluate("bar => bar.value") == 2
    expect(page.locator(".sg-progress-row[data-domain='1'] progress")).to_have_js_property("value", 0)


def test_the_domain_filter_shows_one_deck(offline, seed_url: str) -> None:
    page = offline()
    page.goto(seed_url + "flashcards/")
    page.locator(".sg-deck-filter button[data-show='3']").click()
    expect(page.locator(".sg-deck[data-domain='3']")).to_be_visible()
    for other in ("1", "2", "4"):
        expect(page.locator(f".sg-deck[data-domain='{other}']")).to_be_hidden()
    page.locator(".sg-deck-filter button[data-show='']").click()
    expect(page.locator(".sg-deck[data-domain='1']")).to_be_visible()


@pytest.mark.parametrize("words", ["firehose", "feature store", "kinesis stream"])
def test_the_glossary_filter_keeps_matching_entries(offline, seed_url: str, words: str) -> None:
    page = offline()
    page.goto(seed_url + "glossary/")
    entries = page.locator(".sg-entry")
    total = entries.count()
    page.locator(".sg-filter input").fill(words)
    visible = page.locator(".sg-entry:visible")
    expect(page.locator(".sg-filter-status")).to_contain_text("services shown")
    assert 0 < visible.count() < total
    for text in visible.all_inner_texts():
        folded = text.casefold()
        assert all(word in folded for word in words.split()), text[:80]
    for category in page.locator(".sg-category:visible").all():  # no empty category left on screen
        assert category.locator(".sg-entry:visible").count() > 0
    letters = {b.inner_text() for b in page.locator(".sg-az button:visible").all()}
    assert letters == {e.get_attribute("data-letter") for e in visible.all()}


def test_a_letter_of_the_az_bar_keeps_its_entries(offline, seed_url: str) -> None:
    page = offline()
    page.goto(seed_url + "glossary/")
    page.locator(".sg-az button", has_text=re.compile(r"^S$")).click()
    visible = page.locator(".sg-entry:visible")
    assert visible.count() > 0
    assert {e.get_attribute("data-letter") for e in visible.all()} == {"S"}
    page.locator(".sg-az button", has_text=re.compile(r"^S$")).click()  # again: every entry back
    assert page.locator(".sg-entry:visible").count() == page.locator(".sg-entry").count()


def test_a_suspicious_link_carries_a_warning_with_its_reason(offline, seed_url: str) -> None:
    flagged = next(p for p in SEED_NOTES.iterdir() if p.name.startswith("002"))
    page = offline()
    page.goto(seed_url + f"notes/{slug(flagged.stem)}/")
    link = page.locator("article a", has_text="SageMaker Endpoint Scaling")
    flag = link.locator("xpath=following-sibling::span[contains(@class, 'sg-link-flag')][1]")
    expect(flag).to_have_text("⚠")
    flag.focus()  # reached by keyboard; the tooltip shows the reason as text
    tooltip = page.locator("#sg-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("names Amazon SageMaker endpoint auto scaling")
    assert page.locator("article a", has_text="Firehose Data Formats").locator(
        "xpath=following-sibling::*[1][contains(@class, 'sg-link-flag')]").count() == 0


@pytest.mark.parametrize("path, width", [("", 1280), ("flashcards/", 1280), ("glossary/", 390)])
def test_every_tab_stop_is_visible(offline, seed_url: str, path: str, width: int) -> None:
    page = offline(width=width)
    page.goto(seed_url + path)
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")  # measure the end state
    hidden = []
    for step in range(30):
        page.keyboard.press("Tab")
        # A palette radio button is drawn by the label after it (Material outlines that label on keyboard focus).
        shown = page.evaluate("""() => {
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const drawn = e.matches('input.md-option') ? e.nextElementSibling : e;
            const r = drawn.getBoundingClientRect(), s = getComputedStyle(drawn);
            const outlined = drawn === e || s.outlineStyle !== 'none';
            return {tag: e.tagName, text: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
                    visible: r.width >= 2 && r.height >= 2 && s.visibility !== 'hidden' && s.opacity !== '0'
                             && outlined};
        }""")
        if shown and not shown["visible"]:
            hidden.append((step, shown))
    assert not hidden, hidden


@pytest.fixture(scope="module")
def instant_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed site built with a site_url (Material's instant navigation needs one: it reads the sitemap),
    served at that very address."""
    project = copy_project(tmp_path_factory.mktemp("instant-project"))
    site = tmp_path_factory.mktemp("instant-site")
    server, url = serve_directory(site)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + f"\nsite_url: {url}\n", "utf-8")
    build = run_mkdocs_build(site, project=project)
    assert build.returncode == 0, build.log
    yield url
    server.shutdown()


def test_scripts_rerun_after_instant_navigation(offline, instant_url: str) -> None:
    page = offline()
    page.goto(instant_url)
    page.evaluate("window.sgSamePage = true")
    page.locator("nav.md-nav--primary a[href$='glossary/']").first.click()
    expect(page.locator(".sg-glossary-tools input")).to_be_visible()
    assert page.evaluate("window.sgSamePage") is True  # instant navigation: no reload happened
    page.locator("nav.md-nav--primary a[href$='flashcards/']").first.click()
    expect(page.locator(".sg-deck-filter")).to_be_visible()
    expect(page.locator(".sg-card .sg-tick").first).to_be_visible()
