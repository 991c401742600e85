"""Mention links in real headless Chromium: hovering one shows the site's tooltip with the service's summary
from the catalog, and clicking it lands on the service's glossary entry."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import ROOT, SEED_NOTES
from macros.catalog import load_catalog

CATALOG = load_catalog(ROOT / "seeds" / "services.yml")
ESSAY = next(p for p in SEED_NOTES.iterdir() if p.name.startswith("004"))


def slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def test_hovering_a_mention_shows_the_summary_and_clicking_opens_the_entry(page, seed_url: str) -> None:
    page.goto(f"{seed_url}notes/{slug(ESSAY.stem)}/")
    # A service of a late category: its entry is far down the glossary, so the browser must scroll to it.
    # Material's instant navigation makes every link absolute once the page runs: match the path's end.
    links = page.locator('article a[href*="/glossary/#"]')
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    late = set(CATALOG.categories[len(CATALOG.categories) // 2:])
    index = next(i for i, href in enumerate(hrefs) if CATALOG.by_key(href.split("#", 1)[1]).category in late)
    link = links.nth(index)
    key = hrefs[index].split("#", 1)[1]
    service = CATALOG.by_key(key)
    assert service is not None, key
    link.scroll_into_view_if_needed()
    link.hover()
    # The site's tooltip (javascripts/tooltips.js) replaces the title by its own element, tied by aria-describedby.
    expect(link).to_have_attribute("aria-describedby", re.compile(r".+"), timeout=10_000)
    tooltip = page.locator(f"#{link.get_attribute('aria-describedby')}")
    expect(tooltip).to_be_visible(timeout=10_000)
    assert "sg-tooltip" in (tooltip.get_attribute("class") or "")
    assert tooltip.get_attribute("role") == "tooltip"
    shown = " ".join(tooltip.inner_text().split())
    assert " ".join(service.summary.split()).replace('"', "'") in shown, (shown, service.summary)
    box, target = tooltip.bounding_box(), link.bounding_box()
    assert box and target and box["width"] > 100 and box["height"] > 10
    assert abs(box["y"] - (target["y"] + target["height"])) < 60 or abs(box["y"] + box["height"] - target["y"]) < 60

    link.click()
    page.wait_for_url(re.compile(rf"/glossary/#{re.escape(key)}$"))
    assert page.evaluate("location.hash") == f"#{key}"
    heading = page.locator(f"article h3#{key}")
    expect(heading).to_have_count(1)
    assert heading.inner_text().strip().startswith(service.name)
    expect(heading).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 1000  # scrolled down to it, not found at the top
