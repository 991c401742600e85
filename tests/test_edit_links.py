"""Edit this page: a note page's edit button opens its source file in seeds/notes/ (never a generated
page), an authored page's opens docs/, and no edit link points at a file the repository lacks."""
from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import yaml

from conftest import ROOT, SEED_NOTES, SEED_REPO_URL, Build
from macros.catalog import slugify
from macros.load import find_note_files

EDIT_LINK = re.compile(r'<a href="([^"]+)" title="Edit this page"')


def edit_base() -> str:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert "content.action.edit" in config["theme"]["features"]
    assert "repo_url" not in config, "mkdocs.yml names no repository: it comes from studyguide.yml or the environment"
    return SEED_REPO_URL + "/edit/main/"


def edit_links(build: Build) -> dict[str, list[str]]:
    """Built page (URL path) → its edit links."""
    found = {}
    for page in build.site.rglob("*.html"):
        links = [html_lib.unescape(u) for u in EDIT_LINK.findall(page.read_text("utf-8"))]
        found[page.relative_to(build.site).as_posix()] = links
    return found


def test_every_seed_note_page_edits_its_source_file(seed_build: Build) -> None:
    base = edit_base()
    notes = find_note_files(SEED_NOTES)
    assert notes
    links = edit_links(seed_build)
    for path in notes:
        page = f"notes/{slugify(path.stem)}/index.html"
        assert links[page] == [f"{base}seeds/notes/{path.name}"], page


def test_authored_pages_edit_their_file_in_docs(seed_build: Build) -> None:
    base = edit_base()
    links = edit_links(seed_build)
    authored = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))
    assert "index.md" in authored and "contributing.md" in authored
    for source in authored:
        page = "index.html" if source == "index.md" else source.removesuffix(".md") + "/index.html"
        assert links[page] == [f"{base}docs/{source}"], page


def test_no_edit_link_points_at_a_generated_or_missing_file(seed_build: Build) -> None:
    base = edit_base()
    checked = 0
    for page, links in edit_links(seed_build).items():
        for link in links:
            assert link.startswith(base), (page, link)
            target = link.removeprefix(base)
            assert (ROOT / target).is_file(), f"{page} edits {target}, which is not a file of the repository"
            assert target.startswith(("seeds/notes/", "docs/")), (page, target)
            checked += 1
    assert checked >= len(find_note_files(SEED_NOTES)) + 2  # every note, the home page, the contributing page
