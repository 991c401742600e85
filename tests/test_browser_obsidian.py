"""Obsidian vaults built with MkDocs and opened in headless Chromium, the network blocked: math drawn as MathML,
mermaid drawn (svg in a closed shadow root of div.mermaid), callouts as admonitions, %%comments%% nowhere (page or search index), inline #tags on the tags
page, nothing requested off the machine. (Links, embeds and images are another issue's half: not asserted here.)"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, Build, block_network, run_mkdocs_build, serve_directory, theme_repo_facts
from macros.pipeline import build_site

FIXTURES = ROOT / "tests" / "fixtures"
VAULTS = ("obsidian-vault", "obsidian-clean")
_COMMENT = re.compile(r"%%(.+?)%%", re.S)


@pytest.fixture(scope="module", params=VAULTS)
def vault(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Build, str]]:
    build = run_mkdocs_build(tmp_path_factory.mktemp(request.param) / "site", notes=FIXTURES / request.param,
                             strict=False)
    assert build.returncode == 0, build.log
    server, url = serve_directory(build.site)
    yield request.param, build, url
    server.shutdown()


def _notes(name: str) -> dict[str, object]:
    """source path inside the vault → note."""
    site = build_site(ROOT, notes_dir=FIXTURES / name)
    return {Path(n.source).relative_to(Path(site.notes_dir)).as_posix() if Path(n.source).is_absolute()
            else n.source.split(f"fixtures/{name}/", 1)[-1]: n for n in site.notes}


def _open_offline(page, url: str) -> list[str]:  # noqa: ANN001 - Playwright page
    """Open ``url`` with every request off 127.0.0.1 blocked; the list of blocked URLs fills as the page loads."""
    # The theme's repository facts are blocked all the same, but they are the site's, not a note's.
    blocked = block_network(page, theme_repo_facts)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return blocked


def _pages_with(vault: tuple[str, Build, str], page, pattern: str) -> Iterator:  # noqa: ANN001 - Playwright page
    """Each note of the vault whose text matches ``pattern`` (there is one at least), its page open in ``page``
    with nothing requested off the machine."""
    name, _, url = vault
    found = [n for n in _notes(name).values() if re.search(pattern, n.raw_text, re.M)]
    assert found, pattern
    for note in found:
        assert not _open_offline(page, url + note.url), note.source
        yield note


def test_math_is_drawn_as_mathml(vault: tuple[str, Build, str], page) -> None:  # noqa: ANN001
    for note in _pages_with(vault, page, r"\$\$|\$[^\s$][^$\n]*\$"):
        sizes = page.eval_on_selector_all("article math", "els => els.map(e => e.getBoundingClientRect())"
                                          ".map(r => [r.width, r.height])")
        assert sizes and all(w > 0 and h > 0 for w, h in sizes), (note.source, sizes)
        assert "$$" not in page.inner_text("article")


def test_mermaid_is_drawn_offline(vault: tuple[str, Build, str], page) -> None:  # noqa: ANN001
    for note in _pages_with(vault, page, r"^```mermaid"):
        # Material draws a diagram into a closed shadow root of a div.mermaid that replaces the <pre>.
        page.wait_for_function("document.querySelectorAll('article pre.mermaid').length === 0", timeout=20_000)
        boxes = [page.locator("article div.mermaid").nth(i).bounding_box()
                 for i in range(page.locator("article div.mermaid").count())]
        assert boxes and all(box and box["height"] > 40 and box["width"] > 40 for box in boxes), note.source


def test_callouts_are_admonitions(vault: tuple[str, Build, str], page) -> None:  # noqa: ANN001
    for note in _pages_with(vault, page, r"^>\s?\[!\w+\]"):
        assert page.locator("article .admonition, article details").count() >= 1, note.source
        assert "[!" not in page.inner_text("article")


def test_comments_are_published_nowhere(vault: tuple[str, Build, str], page) -> None:  # noqa: ANN001
    name, build, url = vault
    index = (build.site / "search" / "search_index.json").read_text("utf-8")
    notes = _notes(name)
    comments = [(n, " ".join(c.split())) for n in notes.values() for c in _COMMENT.findall(n.raw_text)]
    assert comments
    searchable = " ".join(json.loads(index)["docs"][i]["text"] for i in range(len(json.loads(index)["docs"])))
    for note, comment in comments:
        assert comment not in " ".join(searchable.split()), comment
        html = build.html(note.url)
        assert comment not in " ".join(re.sub(r"<[^>]+>", " ", html).split()), (note.source, comment)
    note = comments[0][0]
    assert not _open_offline(page, url + note.url)
    assert "%%" not in page.inner_text("article")


def test_inline_tags_are_on_the_tags_page(vault: tuple[str, Build, str], page) -> None:  # noqa: ANN001
    name, _, url = vault
    inline = {tag for n in _notes(name).values() for tag in re.findall(r"(?<![^\s(])#([\w/-]*[^\W\d][\w/-]*)",
                                                                         _COMMENT.sub("", re.sub(r"```.*?```", "", n.raw_text, flags=re.S)))}
    assert inline
    assert not _open_offline(page, url + "tags/")
    text = page.inner_text("article")
    missing = [tag for tag in inline if tag not in text]
    assert not missing, missing
