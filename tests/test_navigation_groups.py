"""Past a few dozen notes, the Notes navigation files them under exam domains (plus "Other"), each
group with an index page; a reader still reaches every note from the navigation or an index page."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Build, run_mkdocs_build
from macros import paths, pipeline, render
from macros.enrich import group_by_domain, primary_domain
from macros.pipeline import build_site, nav_pages, navigation

sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402 - the benchmark's deterministic notes

_LINK = re.compile(r"\]\(([^)\s#]+\.md)")


@pytest.fixture(scope="module")
def notes60(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notes60")
    synthetic.write_notes(folder, 60)
    return folder


@pytest.fixture(scope="module")
def site60(notes60: Path):  # noqa: ANN201
    return build_site(ROOT, notes60, include_drafts=False)


def _notes_section(nav: list) -> list:
    return next(item["Notes"] for item in nav if isinstance(item, dict) and "Notes" in item)


def _linked_pages(page: str, markdown: str) -> set[str]:
    """Docs paths a generated page links to."""
    base = page.rsplit("/", 1)[0]
    return {str(Path(base, target)).replace("\\", "/") for target in _LINK.findall(markdown)}


def _normalized(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def test_sixty_notes_are_grouped_by_domain_each_once(site60) -> None:  # noqa: ANN001
    assert render.notes_grouped(site60)
    groups = group_by_domain(site60.notes, site60.exam)
    filed = [note.slug for _, members in groups for note in members]
    assert sorted(filed) == sorted(note.slug for note in site60.notes)  # every note, in exactly one group
    numbers = [domain.number if domain else None for domain, _ in groups]
    assert [n for n in numbers if n is not None] == [d.number for d in site60.exam.domains]  # exam order
    assert None not in numbers[:-1]  # "Other" (notes no evidence places), if any, comes last
    for domain, members in groups:
        assert all(primary_domain(note) == (domain.number if domain else None) for note in members)


def test_every_note_is_in_the_navigation_or_on_its_group_index_page(site60) -> None:  # noqa: ANN001
    nav = navigation(site60, ROOT / "docs")
    pages = render.generated_pages(site60)
    section = _notes_section(nav)
    assert section[0] == "notes/index.md"
    groups = section[1:]
    assert len(groups) == len(site60.index.note_groups) and all(len(group) == 1 for group in groups)
    reachable = nav_pages(nav)
    for group in groups:
        (title, entries), = group.items()
        index_page = entries[0]
        assert index_page.startswith("notes/by-domain/") and index_page.endswith("/index.md"), title
        assert index_page in pages
        reachable |= {_normalized(p) for p in _linked_pages(index_page, pages[index_page])}
    missing = [note.page_path for note in site60.notes if note.page_path not in reachable]
    assert missing == []
    # the notes index links every group
    linked = {_normalized(p) for p in _linked_pages("notes/index.md", pages["notes/index.md"])}
    assert {entries[0] for group in groups for entries in group.values()} <= linked


def test_a_large_group_is_listed_on_its_index_page_only(site60, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(pipeline, "NAV_GROUP_LIMIT", 0)  # every group over the limit, as a 3,000-note guide's are
    nav = navigation(site60, ROOT / "docs")
    for group in _notes_section(nav)[1:]:
        (_title, entries), = group.items()
        assert len(entries) == 1, "only the index page: the notes are listed there"
    assert not any(note.page_path in nav_pages(nav) for note in site60.notes)


def test_a_few_notes_stay_a_flat_list() -> None:
    site = build_site(ROOT, include_drafts=False)  # the seeds: five notes
    assert not render.notes_grouped(site)
    section = _notes_section(navigation(site, ROOT / "docs"))
    assert sorted(next(iter(item.values())) for item in section[1:]) == sorted(n.page_path for n in site.notes)
    assert not any(path.startswith(paths.NOTE_GROUPS_DIR) for path in render.generated_pages(site))


@pytest.fixture(scope="module")
def build60(notes60: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = run_mkdocs_build(tmp_path_factory.mktemp("site60") / "site", notes=notes60)
    assert build.returncode == 0, build.log  # --strict: no omitted page, no broken link or anchor
    return build


def test_the_grouped_site_builds_strict_with_group_pages(build60: Build, site60) -> None:  # noqa: ANN001
    for domain, members in group_by_domain(site60.notes, site60.exam):
        html = build60.html(paths.note_group_page(domain).removesuffix("index.md"))
        assert f"{len(members)} notes" in html


@pytest.mark.parametrize("count", [render.home.HOME_NOTES, render.home.HOME_NOTES + 1, 60])
def test_the_home_page_lists_every_note_or_the_latest_and_links_all(site60, count: int) -> None:  # noqa: ANN001
    notes = sorted(site60.notes, key=lambda n: n.slug)[:count]
    markdown = render.home_notes(notes, paths.HOME_PAGE)
    rows = [line for line in markdown.split("\n") if line.startswith("| [")]
    if count <= render.home.HOME_NOTES:
        assert len(rows) == count and "Notes page" not in markdown
        return
    assert len(rows) == render.home.HOME_NOTES
    assert all(re.search(r"\| \d{4}-\d{2}-\d{2} \|", row) for row in rows)  # dated as ordered
    assert f"[all of them]({render.relative_url(paths.HOME_PAGE, paths.NOTES_INDEX)})" in markdown
    shown = [n for n in notes if f"]({render.relative_url(paths.HOME_PAGE, n.page_path)})" in markdown]
    dates = sorted((n.updated or n.created or n.changed for n in notes), reverse=True)
    newest_hidden = max((n.updated or n.created or n.changed for n in notes if n not in shown), default=None)
    assert len(shown) == render.home.HOME_NOTES and newest_hidden <= min(n.updated or n.created or n.changed
                                                                          for n in shown)
    assert dates[0] == max(n.updated or n.created or n.changed for n in shown)


def test_the_built_home_page_links_the_notes_page_past_the_limit(build60: Build) -> None:
    html = build60.html("")
    assert "most recently updated of 60 notes" in html
    assert '<a href="notes/">all of them</a>' in html
    assert html.count('<a href="notes/') >= render.home.HOME_NOTES
