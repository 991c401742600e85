"""Shared fixtures: the project root, real MkDocs builds, a local HTTP server and Chromium."""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from http_fixture import ServerState, serve

ROOT = Path(__file__).resolve().parent.parent
SEED_NOTES = ROOT / "seeds" / "notes"
# The theme's repository facts (repo_url: stars, version): fetched by every page, from the site, never a note.
REPO_FACTS = re.compile(r"https://api\.github\.com/repos/[\w.-]+/[\w.-]+(/releases/latest)?")
CHROMIUM = os.environ.get("STUDYGUIDE_CHROMIUM", "/usr/bin/chromium")
# The repository the seed build's edit links and repository widget name (mkdocs.yml names none: CI passes the real
# one through STUDYGUIDE_REPO_URL).
SEED_REPO_URL = "https://github.com/example/mls-c01-study-guide"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@dataclass
class Build:
    """The outcome of one real ``mkdocs build``."""

    returncode: int
    log: str
    site: Path

    def html(self, page: str) -> str:
        """HTML of a built page, by its URL path (``notes/x/``)."""
        return (self.site / page / "index.html" if not page.endswith(".html") else self.site / page).read_text("utf-8")


def run_mkdocs_build(site_dir: Path, *, notes: Path | None = None, strict: bool = True,
                     project: Path = ROOT, extra_env: dict[str, str] | None = None, timeout: float = 600) -> Build:
    """Run a real ``mkdocs build`` of ``project`` into ``site_dir`` (optionally on another notes folder). A build of
    the real project keeps its link-check cache beside ``site_dir``: tests never write to the project's .cache/."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for name in ("STUDYGUIDE_NOTES", "STUDYGUIDE_REPO_URL", "STUDYGUIDE_SITE_URL", "STUDYGUIDE_EXAM", "STUDYGUIDE_CACHE_DIR"):
        env.pop(name, None)  # the caller's shell never leaks into a test build
    if project.resolve() == ROOT:
        env["STUDYGUIDE_CACHE_DIR"] = str(Path(site_dir).parent / "studyguide-cache")
    env.update(extra_env or {})
    if notes is not None:
        env["STUDYGUIDE_NOTES"] = str(notes)
    env.update(extra_env or {})
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=timeout)
    return Build(result.returncode, result.stdout + result.stderr, site_dir)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The guide built from the real seeds with ``--strict`` (once per test session)."""
    build = run_mkdocs_build(tmp_path_factory.mktemp("seed-site") / "site", extra_env={"STUDYGUIDE_REPO_URL": SEED_REPO_URL})
    assert build.returncode == 0, build.log
    return build


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    """An empty notes folder for a test to fill."""
    folder = tmp_path / "notes"
    folder.mkdir()
    return folder


def copy_seed_notes(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in SEED_NOTES.iterdir():
        if path.is_file():
            shutil.copy2(path, target / path.name)
    return target


def copy_project(target: Path) -> Path:
    """The project's files (as a clone plus uncommitted files would have them), without .venv, site/ or .cache/."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


@pytest.fixture
def server() -> Iterator[tuple[str, ServerState]]:
    """A fresh link-checker test server (tests/http_fixture.py) per test, so 'first hit' paths (429, 503) start over."""
    with serve() as running:
        yield running


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def serve_directory(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve a built site on 127.0.0.1 on a free port; returns (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def seed_url(seed_build: Build) -> Iterator[str]:
    """Base URL of the seed site served over HTTP (search needs HTTP, not file://)."""
    server, url = serve_directory(seed_build.site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Real headless Chromium (Debian's), driven by Playwright. Missing Chromium fails, never skips."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run `make browser` (scripts/ensure-chromium.sh)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def theme_repo_facts(request) -> bool:  # noqa: ANN001 - playwright Request
    """The theme's own fetch of repository facts (repo_url: stars, version): the site's, never a note's request."""
    return bool(REPO_FACTS.fullmatch(request.url)) and request.resource_type in ("fetch", "xhr")


def block_network(context, tolerated=None) -> list[str]:  # noqa: ANN001 - playwright BrowserContext, Request → bool
    """Abort every request of ``context`` (or a page) that would leave 127.0.0.1; returns the list the aborted URLs land in
    (but those ``tolerated(request)`` accepts: aborted all the same, not listed)."""
    from urllib.parse import urlsplit

    escaped: list[str] = []

    def route(request_route) -> None:  # noqa: ANN001 - playwright Route
        url = request_route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:", "about:")):
            request_route.continue_()
        else:
            if tolerated is None or not tolerated(request_route.request):
                escaped.append(url)
            request_route.abort()

    context.route("**/*", route)
    return escaped


@pytest.fixture
def offline(browser):  # noqa: ANN001 - playwright Browser
    """A reader's tab factory, network blocked: ``offline(width=390, color_scheme="dark")`` → page."""
    contexts = []

    def open_tab(width: int = 1280, height: int = 900, **options):  # noqa: ANN003 - new_context's options
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        block_network(context)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()
