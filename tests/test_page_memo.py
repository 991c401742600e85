"""Pages kept across builds (macros/render/note_memo.py, the concept memo of macros/enrich/evidence.py): after
any edit, a build that reuses the last build's note pages makes exactly the pages a cold build makes.

One row per kind of edit a contributor makes under `mkdocs serve`. Counted in memo hits, never timed.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT
from macros import notecache
from macros.enrich import evidence
from macros.pipeline import build_site, generated_pages
from macros.render.note_memo import NOTE_PAGES

VAULT = {
    "Kinesis.md": "---\ntags: [streaming]\naliases: [KDS]\n---\n# Kinesis\n\nAmazon Kinesis Data Streams takes "
                  "stream processing of clicks.\n\n## Shards\n\nEach shard takes 1 MB/s.\n\nSee [[Glue#Crawlers]].\n",
    "Glue.md": "# Glue\n\nAWS Glue runs ETL jobs over the data lake.\n\n## Crawlers\n\nCrawlers fill the catalog.\n",
    "topics/Embedding.md": "# Embedding\n\nBefore the box.\n\n![[Glue]]\n\nAfter the box, with [[KDS]].\n",
    "topics/Lonely.md": "# Lonely\n\nAmazon SageMaker trains models. A picture: ![[diagram.png]]\n",
    "Plain.md": "# Plain\n\nNothing links here; Amazon S3 holds the data.\n",
}

Edit = Callable[[Path], None]


def _append(name: str, text: str) -> Edit:
    return lambda vault: (vault / name).write_text((vault / name).read_text("utf-8") + text, "utf-8")


def _replace(name: str, old: str, new: str) -> Edit:
    def edit(vault: Path) -> None:
        text = (vault / name).read_text("utf-8")
        assert old in text
        (vault / name).write_text(text.replace(old, new), "utf-8")
    return edit


def _write(name: str, text: str) -> Edit:
    def edit(vault: Path) -> None:
        (vault / name).parent.mkdir(parents=True, exist_ok=True)
        (vault / name).write_text(text, "utf-8")
    return edit


def _delete(name: str) -> Edit:
    return lambda vault: (vault / name).unlink()


def _attach(name: str) -> Edit:
    def edit(vault: Path) -> None:
        (vault / name).parent.mkdir(parents=True, exist_ok=True)
        (vault / name).write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    return edit


EDITS: list[tuple[str, Edit]] = [
    ("a sentence added to a note", _append("Plain.md", "\nAmazon Athena queries it with ETL.\n")),
    ("a service mention added", _append("topics/Lonely.md", "\nAmazon Kinesis too.\n")),
    ("a concept of the outline added", _append("Plain.md", "\n## Ingest\n\nData ingestion with batch processing.\n")),
    ("a title changed (links to it show it)", _replace("Glue.md", "# Glue", "# AWS Glue jobs")),
    ("a heading renamed (a link names it)", _replace("Glue.md", "## Crawlers", "## Crawler runs")),
    ("a link added (the target's backlinks)", _append("Plain.md", "\nRead [[Lonely]].\n")),
    ("a link removed", _replace("Kinesis.md", "See [[Glue#Crawlers]].", "See the glue note.")),
    ("an embedded note edited (the box shows it)", _append("Glue.md", "\nCrawlers run on a schedule.\n")),
    ("an alias removed (a link used it)", _replace("Kinesis.md", "aliases: [KDS]\n", "")),
    ("a tag added", _replace("Glue.md", "# Glue", "---\ntags: [etl]\n---\n# Glue")),
    ("a note added with a title another has", _write("more/Glue.md", "# Glue\n\nA second glue note.\n")),
    ("a note added that a link was missing", _write("KDS.md", "# KDS\n\nShort for Kinesis Data Streams.\n")),
    ("a linked note deleted", _delete("Glue.md")),
    ("an attachment added (a missing one found)", _attach("topics/diagram.png")),
    ("a note moved to another folder", lambda vault: (vault / "Plain.md").rename(vault / "topics" / "Plain.md")),
]


def _forget() -> None:
    notecache.CACHE.clear()
    NOTE_PAGES.clear()
    evidence.section_concepts.cache_clear()


def _pages(vault: Path) -> dict[str, str]:
    return generated_pages(build_site(ROOT, vault))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    for name, text in VAULT.items():
        _write(name, text)(folder)
    _forget()
    yield folder
    _forget()


@pytest.mark.parametrize("edit", [edit for _, edit in EDITS], ids=[name for name, _ in EDITS])
def test_pages_after_an_edit_are_a_cold_builds(vault: Path, edit: Edit) -> None:
    before = _pages(vault)
    edit(vault)
    warm = _pages(vault)
    _forget()
    cold = _pages(vault)
    assert warm.keys() == cold.keys()
    for path in cold:
        assert warm[path] == cold[path], f"{path} differs from a cold build's"
    assert warm != before  # every row changes some page: the rows test something


def test_an_edit_renders_again_only_the_notes_it_can_change(vault: Path) -> None:
    _pages(vault)
    NOTE_PAGES.hits = NOTE_PAGES.misses = 0
    _append("Plain.md", "\nAmazon Athena queries it.\n")(vault)
    _pages(vault)
    # Plain.md only: no other page shows its text or links to it.
    assert NOTE_PAGES.misses == 1
    assert NOTE_PAGES.hits == len(VAULT) - 1
