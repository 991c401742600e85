"""Print pages of a built site to PDF with headless Chromium (Playwright's ``page.pdf``).

No pipeline and no MkDocs in here: give it a built site folder and the pages to print. The
site is served on 127.0.0.1 (a free port) for the time of the printing, each page is loaded,
switched to print media and printed with the site's print CSS (``@page`` margins included).

Links inside a PDF would point at that temporary server, so before printing they are made
absolute against ``base_url`` (MkDocs' ``site_url``) when there is one, and removed otherwise.

Needs Playwright (``requirements-test.txt``) and Chromium (``Settings.chromium``: ``$STUDYGUIDE_CHROMIUM``
or ``/usr/bin/chromium``).
"""
from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .settings import CHROMIUM_ENV, DEFAULT_CHROMIUM

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
TIMEOUT_MS = 60_000


class PdfError(RuntimeError):
    """The PDFs could not be made; the message says what to install or fix."""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 on a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Runs in the page before printing: absolute links against the public site, or none.
_FIX_LINKS = """([server, base]) => {
  for (const a of document.querySelectorAll("a[href]")) {
    const url = new URL(a.getAttribute("href"), location.href);
    if (url.origin !== new URL(server).origin) continue;          // external: keep
    if (base) a.setAttribute("href", new URL(url.pathname.slice(1) + url.hash, base).href);
    else a.removeAttribute("href");
  }
}"""


def print_pages(site_dir: Path, targets: Sequence[tuple[str, str]], out_dir: Path, *,
                paper: str = "A4", base_url: str | None = None, chromium: str = DEFAULT_CHROMIUM) -> list[Path]:
    """Print each ``(page URL inside the site, file name)`` of ``targets`` to ``out_dir/file name``."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PdfError("PDFs need Playwright: pip install -r requirements-test.txt") from exc
    if not Path(chromium).exists():
        raise PdfError(f"PDFs need Chromium at {chromium} (set {CHROMIUM_ENV}, or run `make browser`)")
    missing = [url for url, _ in targets if not (site_dir / url / "index.html").is_file()]
    if missing:
        raise PdfError(f"cannot print pages that were not built: {', '.join(missing)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    base = base_url.rstrip("/") + "/" if base_url else None
    with serve(site_dir) as server:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
                try:
                    page = browser.new_page()
                    for url, name in targets:
                        page.goto(server + url, wait_until="load", timeout=TIMEOUT_MS)
                        page.emulate_media(media="print")
                        page.evaluate(_FIX_LINKS, [server, base])
                        target = out_dir / name
                        page.pdf(path=str(target), format=paper, print_background=True, outline=True,
                                 tagged=True)
                        written.append(target)
                finally:
                    browser.close()
        except PlaywrightError as exc:
            raise PdfError(f"Chromium could not print the cheat-sheets: {exc}") from exc
    return written
