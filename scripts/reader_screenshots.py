"""Screenshots of the reader's pages for the README: `python scripts/reader_screenshots.py SITE_DIR` after a
`mkdocs build -d SITE_DIR`. Headless Chromium (Playwright), network blocked, 1280 × 800, light scheme; the
flashcards shot reveals one answer and ticks one card, the glossary shot filters "kinesis"."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, block_network, serve_directory  # noqa: E402

SHOTS = {  # file under docs/images → (page, what to do first)
    "home-page.png": ("", None),
    "glossary-filter.png": ("glossary/", "glossary"),
    "flashcards-page.png": ("flashcards/", "flashcards"),
    "domain-page.png": ("domains/exploratory-data-analysis/", None),
}


def main(site: Path, out: Path = ROOT / "docs" / "images") -> None:
    from playwright.sync_api import sync_playwright

    server, url = serve_directory(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
            block_network(context)
            page = context.new_page()
            for name, (path, action) in SHOTS.items():
                page.goto(url + path)
                if action == "glossary":
                    page.locator(".sg-filter input").fill("kinesis")
                elif action == "flashcards":
                    page.locator(".sg-card .sg-tick input").first.check()
                    page.locator(".sg-card details summary").nth(1).click()
                    page.locator(".sg-card").first.scroll_into_view_if_needed()
                elif path == "":
                    page.locator(".sg-progress").scroll_into_view_if_needed()
                page.wait_for_timeout(300)
                page.screenshot(path=str(out / name))
                print(out / name, (out / name).stat().st_size)
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
