"""A note never takes the URL of a generated page under notes/ (the Notes index, the by-domain group pages,
the attachments folder): it gets another slug, and a finding names its file."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_mkdocs_build
from macros.model import RESERVED_NOTE_SLUGS
from macros.normalize import note_slug


@pytest.mark.parametrize("name", ["index.md", "Index.txt", "by-domain.md", "By Domain.markdown", "attachments.md"])
def test_a_reserved_name_gets_another_slug(name: str) -> None:
    slug = note_slug(Path(name), set())
    assert slug not in RESERVED_NOTE_SLUGS and slug.endswith("-2")


@pytest.fixture(scope="module")
def reserved_build(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - conftest.Build
    notes = tmp_path_factory.mktemp("reserved") / "notes"
    notes.mkdir()
    for name, title in (("index.md", "Index Note"), ("by-domain.md", "By Domain Note"), ("plain.md", "Plain Note")):
        (notes / name).write_text(f"# {title}\n\nSome text.\n", "utf-8")
    return run_mkdocs_build(notes.parent / "site", notes=notes, strict=False)


@pytest.mark.parametrize("name, title", [("index.md", "Index Note"), ("by-domain.md", "By Domain Note")])
def test_the_notes_index_lists_every_note_and_the_note_has_its_own_url(reserved_build, name: str, title: str) -> None:
    assert reserved_build.returncode == 0, reserved_build.log
    index = reserved_build.html("notes/")
    assert re.search(r"<h1[^>]*>Notes", index)  # still the generated Notes index
    for listed in ("Index Note", "By Domain Note", "Plain Note"):
        assert f">{listed}</a>" in index, listed
    slug = Path(name).stem + "-2"
    assert f'href="{slug}/"' in index
    assert re.search(rf"<h1[^>]*>{title}", reserved_build.html(f"notes/{slug}/"))
    assert re.search(rf"{re.escape(name)}: the file name '{Path(name).stem}' is the name of a generated page under "
                     rf"notes/: the note is published at notes/{slug}/", reserved_build.log)
