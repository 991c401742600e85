"""Flashcards and the Anki deck: every supported pair and key concept is a card; the package holds one deck per
domain with ids derived from stable keys (a rebuild gives the same GUIDs and deck ids); card text from notes is
escaped; near-equal note titles are told apart wherever notes are listed."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from macros import pipeline, render
from macros.enrich.titles import listed_titles
from macros.model import Note
from macros.paths import anki_package
from macros.settings import Settings


@pytest.fixture(scope="module")
def seed_site():
    return pipeline.build_site(ROOT)


def open_package(data: bytes) -> tuple[list[tuple[str, str, int]], dict[int, str]]:
    """(guid, fields, deck id) of every note's card, and deck id → name, read from the .apkg's SQLite collection."""
    with zipfile.ZipFile(io.BytesIO(data)) as package, tempfile.TemporaryDirectory() as folder:
        name = next(n for n in package.namelist() if n in ("collection.anki21", "collection.anki2"))
        path = Path(folder) / name
        path.write_bytes(package.read(name))
        with sqlite3.connect(path) as db:
            notes = db.execute("select notes.guid, notes.flds, cards.did from notes join cards on cards.nid = notes.id"
                               ).fetchall()
            decks_json = db.execute("select decks from col").fetchone()[0]
    decks = {int(key): value["name"] for key, value in json.loads(decks_json).items()}
    return notes, decks


def test_every_supported_pair_and_concept_is_a_card(seed_site) -> None:
    cards = render.flashcards(seed_site, seed_site.index)
    pairs = {(p.scenario.domain, p.scenario.scenario) for p in seed_site.index.scenarios}
    assert {(c.domain, c.question) for c in cards if c.kind == "scenario"} == pairs
    concepts = {(d, hit.concept) for d, hits in seed_site.index.concepts.items() for hit in hits}
    assert {(c.domain, c.question.split(":", 1)[0]) for c in cards if c.kind == "concept"} == concepts
    assert len({c.card_id for c in cards}) == len(cards)  # the reader's ticks tell every card apart


def test_the_package_has_one_deck_per_domain_and_every_card(seed_site) -> None:
    cards = render.flashcards(seed_site, seed_site.index)
    files = pipeline.static_files(seed_site)
    notes, decks = open_package(files[anki_package(seed_site.exam.code)])
    assert len(notes) == len(cards)
    used = {deck for _, _, deck in notes}
    assert len(used) == len({c.domain for c in cards})
    for domain in seed_site.exam.domains:
        assert any(name.endswith(domain.title) for deck, name in decks.items() if deck in used), domain.title
    for _guid, fields, _deck in notes:
        assert 'href="notes/' in fields  # no site_url: the site-relative path of the source note


def test_a_rebuild_keeps_guids_and_deck_ids(seed_site) -> None:
    first = open_package(pipeline.static_files(seed_site)[anki_package(seed_site.exam.code)])
    again = pipeline.build_site(ROOT)
    second = open_package(pipeline.static_files(again)[anki_package(again.exam.code)])
    assert sorted((guid, deck) for guid, _, deck in first[0]) == sorted((guid, deck) for guid, _, deck in second[0])


def test_cards_link_absolutely_when_the_site_has_an_address(seed_site) -> None:
    settings = dataclasses.replace(Settings.for_project(ROOT, None), site_url="https://guide.example/mls/")
    notes, _ = open_package(pipeline.static_files(seed_site, settings)[anki_package(seed_site.exam.code)])
    assert all('href="https://guide.example/mls/notes/' in fields for _, fields, _ in notes)


@pytest.mark.parametrize("build_time", [315532800, 1764547200])  # 1980-01-01 (the first a zip can date), 2025-12-01
def test_with_a_build_time_the_package_is_the_same_bytes_and_dated_by_it(seed_site, build_time: int) -> None:
    settings = dataclasses.replace(Settings.for_project(ROOT, None), build_time=build_time)
    first = pipeline.static_files(seed_site, settings)[anki_package(seed_site.exam.code)]
    assert pipeline.static_files(seed_site, settings)[anki_package(seed_site.exam.code)] == first
    other = dataclasses.replace(settings, build_time=build_time + 86400)
    assert pipeline.static_files(seed_site, other)[anki_package(seed_site.exam.code)] != first
    stamp = dt.datetime.fromtimestamp(build_time, dt.timezone.utc).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(first)) as package, tempfile.TemporaryDirectory() as folder:
        assert {entry.date_time for entry in package.infolist()} == {stamp}
        (Path(folder) / "c").write_bytes(package.read("collection.anki2"))
        with sqlite3.connect(Path(folder) / "c") as db:
            assert {mod for (mod,) in db.execute("select mod from notes")} == {build_time}
    assert open_package(first)[0]  # still a package Anki reads: every card there


HOSTILE = [
    pytest.param('<img src=x onerror="alert(1)">', "A data lake <script>alert(1)</script> holds raw data.", id="html"),
    pytest.param("{{ config }} [x](javascript:alert(1))", "A data lake is `<b onmouseover=alert(1)>` raw.", id="markdown"),
    pytest.param('Title " onmouseover="alert(1)', "A data lake keeps ' \" & < > as they are.", id="quotes"),
]


@pytest.mark.parametrize("title, sentence", HOSTILE)
def test_note_text_on_cards_is_escaped(tmp_path: Path, title: str, sentence: str) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "hostile.md").write_text(f"---\ntitle: '{title.replace(chr(39), chr(39) * 2)}'\n---\n\n"
                                      f"## Data Engineering\n\n{sentence}\n", "utf-8")
    site = pipeline.build_site(ROOT, notes_dir=notes)
    cards = [c for c in render.flashcards(site, site.index) if c.source.note.slug == "hostile"]
    assert cards, "the note's section should give a concept card"
    notes_found, _ = open_package(pipeline.static_files(site)[anki_package(site.exam.code)])
    fields = " ".join(f for _, f, _ in notes_found)
    for raw in ("<img", "<script", "<b ", 'onmouseover="'):
        assert raw not in fields, raw
    page = render.generated_pages(site)["flashcards.md"]
    assert "<img" not in page and "<script" not in page and "<b " not in page


def _note(slug: str, title: str, **fields) -> Note:  # noqa: ANN003 - Note's fields
    return Note(source=f"seeds/notes/{slug}.md", slug=slug, title=title, dialect=fields.pop("dialect", "markdown"),
                body="", body_line=1, **fields)


@pytest.mark.parametrize("titles, expected", [
    pytest.param([("a", "Machine Learning - Specialty", "notable"), ("b", "Machine learning – specialty", "wiki.js")],
                 {"a": "Machine Learning - Specialty (Notable note)", "b": "Machine learning – specialty (wiki.js page)"},
                 id="dash-and-case"),
    pytest.param([("a", "Notes", "markdown"), ("b", "Notes  ", "markdown")],
                 {"a": "Notes (a.md)", "b": "Notes   (b.md)"}, id="same-format-file-name"),
    pytest.param([("a", "Kinesis", "markdown"), ("b", "SageMaker", "markdown")],
                 {"a": "Kinesis", "b": "SageMaker"}, id="distinct"),
])
def test_near_equal_titles_get_a_subtitle(titles: list[tuple[str, str, str]], expected: dict[str, str]) -> None:
    assert listed_titles([_note(slug, title, dialect=dialect) for slug, title, dialect in titles]) == expected
