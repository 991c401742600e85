"""Drafts (`draft: true`, `published: false`) stay out of the published site, and `mkdocs serve`
(or STUDYGUIDE_DRAFTS=1) builds them so their author can preview them, marked as drafts."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, Build, run_mkdocs_build

SECRET = "zanzibarquux"  # a word only the drafts contain
NOTES = {
    "published.md": "---\ntitle: Published note\ndate: 2024-01-02\ntags: [aws]\n---\n# Published note\n\nVisible to everyone.\n",
    "wip.md": f"---\ntitle: Work in progress\ndraft: true\n---\n# Work in progress\n\nNot finished: {SECRET}.\n",
    "hidden-wiki.md": ("---\ntitle: Hidden wiki page\npublished: false\ndateCreated: 2021-08-16T16:47:39.772Z\n"
                       f"editor: markdown\n---\n# Hidden wiki page\n\nAlso {SECRET}.\n"),
}
DRAFT_NOTICE = "Draft — not published"


@pytest.fixture(scope="module")
def draft_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("draft-notes")
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def published(draft_notes: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = run_mkdocs_build(tmp_path_factory.mktemp("published") / "site", notes=draft_notes,
                             extra_env={"STUDYGUIDE_DRAFTS": ""})
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module")
def preview(draft_notes: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = run_mkdocs_build(tmp_path_factory.mktemp("preview") / "site", notes=draft_notes,
                             extra_env={"STUDYGUIDE_DRAFTS": "1"})
    assert build.returncode == 0, build.log
    return build


def test_drafts_are_not_published(published: Build) -> None:
    assert (published.site / "notes" / "published" / "index.html").exists()
    assert not (published.site / "notes" / "wip").exists()
    assert not (published.site / "notes" / "hidden-wiki").exists()
    leaks = [p.relative_to(published.site).as_posix() for p in published.site.rglob("*")
             if p.is_file() and p.suffix in {".html", ".json", ".xml", ".md"}
             and (SECRET in p.read_text("utf-8", "replace") or "Work in progress" in p.read_text("utf-8", "replace"))]
    assert leaks == []  # not in the navigation, the notes list, the search index or the sitemap
    assert "Drafts" not in published.html("notes/")
    assert DRAFT_NOTICE not in published.html("notes/published/")


def test_drafts_are_built_for_preview_and_marked(preview: Build) -> None:
    for slug in ("wip", "hidden-wiki"):
        page = preview.html(f"notes/{slug}/")
        assert f'<p class="admonition-title">{DRAFT_NOTICE}</p>' in page
        assert SECRET in page
    assert DRAFT_NOTICE not in preview.html("notes/published/")


def test_the_notes_list_names_the_drafts_apart(preview: Build) -> None:
    html = preview.html("notes/")
    article = html[html.index("<article"):html.index("</article>")]
    head, _, drafts = article.partition('<h2 id="drafts">')
    assert drafts, "notes/ has no Drafts section under preview"
    assert "Work in progress" in drafts and "Hidden wiki page" in drafts and "Published note" not in drafts
    assert "Published note" in head and "Work in progress" not in head
    assert "1 notes, each on its own page." in head  # the count is of published notes only


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_mkdocs_serve_shows_a_draft(draft_notes: Path) -> None:
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "STUDYGUIDE_NOTES": str(draft_notes)}
    env.pop("STUDYGUIDE_DRAFTS", None)  # serve alone must include drafts
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(ROOT / "mkdocs.yml"),
                               "-a", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/notes/wip/"
    body = ""
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        body = response.read().decode("utf-8")
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
    finally:
        server.terminate()
        try:
            output = server.communicate(timeout=15)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate()[0]
    assert body, f"{url} never answered 200 within 60 s; mkdocs serve said:\n{output}"
    assert DRAFT_NOTICE in body and SECRET in body
