"""The seed site in real headless Chromium: a domain page shows its task statements, and the search
box finds "Firehose" in the notes that mention it."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT, SEED_NOTES

DOMAINS = yaml.safe_load((ROOT / "seeds" / "exams" / "mls-c01.yml").read_text("utf-8"))["domains"]


def slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


@pytest.mark.parametrize("domain", [DOMAINS[0], DOMAINS[2]], ids=lambda d: str(d["number"]))
def test_domain_page_shows_its_task_statements(page, seed_url: str, domain: dict) -> None:
    page.goto(seed_url + "domains/")
    page.get_by_role("link", name=f"Domain {domain['number']}: {domain['name']}").first.click()
    page.wait_for_load_state()
    heading = page.locator("article h1")
    assert heading.inner_text().strip().startswith(f"Domain {domain['number']}: {domain['name']}")
    for task in domain["tasks"]:
        statement = page.locator("article").get_by_text(task["text"], exact=False).first
        assert statement.is_visible(), task
        box = statement.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, task


def test_search_finds_firehose(page, seed_url: str) -> None:
    mentioning = {slug(p.stem) for p in SEED_NOTES.iterdir()
                  if p.is_file() and not p.name.startswith(("_", ".")) and "Firehose" in p.read_text("utf-8")}
    assert mentioning  # guard: the seeds do mention Firehose
    page.goto(seed_url)
    search = page.locator("input.md-search__input")  # in the header at desktop width
    search.wait_for(state="visible")
    search.click()
    search.type("Firehose", delay=30)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(state="visible", timeout=15_000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    linked = {s for s in mentioning for h in hrefs if f"notes/{s}/" in h}
    assert linked, (mentioning, hrefs)
    assert "Firehose" in page.locator(".md-search-result").inner_text()


def test_domain_3_reads_in_under_6000_px_and_one_click_unfolds_a_section(page, seed_url: str) -> None:
    """Domain 3 of the seeds' guide, at 1,280 px wide: at most 6,000 px tall; a quoted note section is folded
    (its text hidden) and one click on its title shows it."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(seed_url + "domains/modeling/")
    page.wait_for_load_state()
    height = page.evaluate("document.body.scrollHeight")
    assert height <= 6000, height
    folded = page.locator("article details.quote").first
    assert folded.get_attribute("open") is None
    body = folded.locator("p").last  # the "From <note › section>" line inside the fold
    assert not body.is_visible()
    folded.locator("summary").click()
    assert folded.get_attribute("open") is not None
    assert body.is_visible()
