"""One reading of a note's Markdown (issue #12): what is code is decided once, by ``macros.markdown_scan``, and
links, wikilinks, mentions, sections and the page's link rewriting all follow it. Code of every kind is shown as
written: no link in it is checked or rewritten, no service in it is linked, no heading in it starts a section."""
from __future__ import annotations

import html
from pathlib import Path

import pytest

from conftest import ROOT, Build, run_mkdocs_build
from macros.pipeline import build_site
from page_text import article_html

# Each code block holds a link to a missing note and a service name; none of it may be touched.
CODE_BLOCKS = {
    "indented": "Text before.\n\n    [x](missing-indented.md) Amazon SageMaker\n    # not a heading\n",
    "four-backtick fence around a three-backtick line":
        "````markdown\n```\n[x](missing-fenced.md) Amazon Kinesis\n```\n## not a heading\n````\n",
    "tilde fence": "~~~\n[[Missing Tilde]] Amazon Athena\n~~~\n",
    "fence in a list item": "- step\n\n    ```\n    [x](missing-listed.md) Amazon Redshift\n    ```\n",
    "double-backtick span": "Call ``[x](missing-span.md) ` Amazon Polly`` here.\n",
}
WRITTEN = {  # what each block must show verbatim inside <code>
    "indented": "[x](missing-indented.md) Amazon SageMaker",
    "four-backtick fence around a three-backtick line": "[x](missing-fenced.md) Amazon Kinesis",
    "tilde fence": "[[Missing Tilde]] Amazon Athena",
    "fence in a list item": "[x](missing-listed.md) Amazon Redshift",
    "double-backtick span": "[x](missing-span.md) ` Amazon Polly",
}


@pytest.fixture(scope="module")
def code_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    notes = tmp_path_factory.mktemp("code-notes")
    body = "\n".join(f"## {name}\n\n{block}" for name, block in CODE_BLOCKS.items())
    (notes / "code-everywhere.md").write_text(f"# Code everywhere\n\n{body}", "utf-8")
    return notes


@pytest.fixture(scope="module")
def code_build(code_notes: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    return run_mkdocs_build(tmp_path_factory.mktemp("code-site") / "site", notes=code_notes)


def test_code_builds_strict_without_warning(code_build: Build) -> None:
    assert code_build.returncode == 0, code_build.log
    assert "WARNING" not in code_build.log, code_build.log


@pytest.mark.parametrize("kind", sorted(CODE_BLOCKS))
def test_code_is_shown_as_written(code_build: Build, kind: str) -> None:
    page = article_html(code_build.html("notes/code-everywhere/index.html"))
    assert html.escape(WRITTEN[kind], quote=False) in page
    assert "sg-broken-link" not in page and "Missing attachment" not in page


@pytest.mark.parametrize("kind", sorted(CODE_BLOCKS))
def test_nothing_in_code_is_a_link_mention_or_section(code_notes: Path, kind: str) -> None:
    site = build_site(ROOT, notes_dir=code_notes)
    [note] = site.notes
    missing = WRITTEN[kind].split(" Amazon")[0]
    assert not [link for link in site.links if link.url in missing or missing.strip("[]") in link.url]
    service = "Amazon " + WRITTEN[kind].rsplit("Amazon ", 1)[1]
    assert not [m for m in site.mentions if m.text == service]
    assert not [s for s in note.sections if "not a heading" in s.title]
    assert not [p for p in site.problems if p.file.endswith("code-everywhere.md")]
