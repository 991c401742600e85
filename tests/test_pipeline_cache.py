"""The per-note cache (macros/notecache.py): `mkdocs serve` redoes only the notes that changed.

Counted in cache hits and misses, never timed.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, copy_seed_notes
from macros import notecache
from macros.load import find_note_files
from macros.pipeline import build_site, note_cache_stats

NEW_PARAGRAPH = "\n\nEdited: Amazon Kendra indexes the documents for search.\n"


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    notecache.CACHE.clear()
    yield copy_seed_notes(tmp_path / "notes")
    notecache.CACHE.clear()


def _note_files(folder: Path) -> list[Path]:
    return find_note_files(folder)  # seeds/notes also holds _template.md, which is not a note


def _summary(site) -> tuple:  # noqa: ANN001
    """What the cross-note stages see of the notes, to compare a cached build with a cold one."""
    return ([(n.slug, n.title, n.body, n.sections) for n in site.notes], site.links, site.mentions,
            [str(p) for p in site.problems])


def test_unchanged_notes_are_reused_and_an_edited_one_is_rebuilt(notes: Path) -> None:
    count = len(_note_files(notes))
    first = build_site(ROOT, notes)
    assert note_cache_stats()["hits"] == 0 and note_cache_stats()["misses"] == count

    build_site(ROOT, notes)
    assert note_cache_stats()["hits"] == count and note_cache_stats()["misses"] == count

    edited = _note_files(notes)[1]
    edited.write_bytes(edited.read_bytes() + NEW_PARAGRAPH.encode())
    again = build_site(ROOT, notes)
    assert note_cache_stats()["hits"] == 2 * count - 1
    assert note_cache_stats()["misses"] == count + 1
    old = {n.source: n for n in first.notes}
    for note in again.notes:
        if note.source.endswith(edited.name):
            assert note is not old[note.source] and "Amazon Kendra" in note.body
        else:
            assert note is old[note.source]  # the very object: nothing was redone
    assert any(m.service_key == "amazon-kendra" for m in again.mentions)  # the edit reached the mentions

    notecache.CACHE.clear()  # the cached build is exactly what a cold build makes of the same files
    assert _summary(again) == _summary(build_site(ROOT, notes))


def test_a_renamed_note_and_a_slug_clash_are_not_reused(notes: Path) -> None:
    build_site(ROOT, notes)
    first = _note_files(notes)[0]
    first.rename(notes / "renamed.txt")
    build_site(ROOT, notes)
    assert note_cache_stats()["misses"] == len(_note_files(notes)) + 1  # only the renamed file

    # renamed.md beside renamed.txt: .md sorts first and takes the slug "renamed", so renamed.txt
    # (same bytes as before) becomes "renamed-txt" and is redone too; the other notes are reused.
    shutil.copy2(notes / "renamed.txt", notes / "renamed.md")
    before = note_cache_stats()["misses"]
    site = build_site(ROOT, notes)
    assert note_cache_stats()["misses"] == before + 2
    assert {n.slug for n in site.notes if n.source.rsplit("/", 1)[-1].startswith("renamed")} == {"renamed", "renamed-txt"}


def test_a_catalog_change_redoes_every_note(notes: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "seeds" / "exams").mkdir(parents=True)
    for name in ("exams/mls-c01.yml", "services.yml"):
        shutil.copy2(ROOT / "seeds" / name, project / "seeds" / name)
    count = len(_note_files(notes))
    build_site(project, notes)
    build_site(project, notes)
    assert note_cache_stats()["misses"] == count
    services = project / "seeds" / "services.yml"
    services.write_text(services.read_text("utf-8") + "\n# a comment changes the bytes\n", "utf-8")
    build_site(project, notes)
    assert note_cache_stats()["misses"] == 2 * count  # mentions and suspects depend on the catalog


def test_the_cache_holds_only_the_folder_last_built(notes: Path, tmp_path: Path) -> None:
    other = copy_seed_notes(tmp_path / "other")
    build_site(ROOT, notes)
    build_site(ROOT, other)
    assert note_cache_stats()["size"] == len(_note_files(other))
