"""``mkdocs serve --dirty`` rebuilds only what changed, and the site stays right (macros/incremental.py, hooks.py).

One real ``mkdocs serve --dirty`` (a copy of the project, a tmp notes folder of 34 notes: more than 30, so
the notes are grouped by domain with a section index each) takes a sequence of edits, one row each; each row
checks the served pages and the search index over HTTP. Then every file of the served site is compared with a
fresh full build of the same notes by a plain ``mkdocs serve`` on the same port (modulo sitemap dates).
The pure decisions of macros/incremental.py are checked in tests/test_incremental.py.
"""
from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import copy_project

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from served import Served  # noqa: E402 - bench/ is not a package

NOTES = 34


def _note(number: int, title: str, body: str = "", domain: int = 1) -> str:
    return (f"---\ntitle: {title}\ntags: [serve-test]\ndomains: [{domain}]\n---\n\n# {title}\n\n"
            f"## Data engineering notes\n\nNote number {number} about data pipelines and storage.\n\n{body}\n")


@dataclass
class Project:
    root: Path
    notes: Path
    work: Path


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    work = tmp_path_factory.mktemp("serve")
    root = copy_project(work / "project")
    notes = work / "notes"
    notes.mkdir()
    for number in range(NOTES):
        (notes / f"note-{number:02d}.md").write_text(_note(number, f"Serve note {number:02d}", domain=1 + number % 2),
                                                      "utf-8")
    return Project(root, notes, work)


@pytest.fixture(scope="module")
def served(project: Project) -> Iterator[Served]:
    with Served(project.root, project.notes, project.work, dirty=True) as server:
        yield server


def _search_index(server: Served) -> dict:
    text = server.fetch("search/search_index.json")
    assert text is not None
    return json.loads(text)


def _search_text(server: Served, location_prefix: str) -> str:
    return " ".join(f"{d['title']} {d['text']}" for d in _search_index(server)["docs"]
                    if d["location"].split("#")[0] == location_prefix)


@dataclass(frozen=True)
class Step:
    """One change under serve, and what the served site must show after it: (URL path, text, present?)."""

    name: str
    change: Callable[[Path], None]
    pages: tuple[tuple[str, str, bool], ...]
    search: tuple[tuple[str, str, bool], ...] = ()  # (page URL, text, present?) in the search index


def _append(name: str, text: str) -> Callable[[Path], None]:
    def change(notes: Path) -> None:
        path = notes / name
        path.write_text(path.read_text("utf-8") + text, "utf-8")
    return change


def _write(name: str, text: str) -> Callable[[Path], None]:
    return lambda notes: (notes / name).write_text(text, "utf-8") and None


def _retitle(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(notes: Path) -> None:
        path = notes / name
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    return change


STEPS = [
    Step("edit", _append("note-03.md", "\nA sentence about quokkas added while serving.\n"),
         pages=(("notes/note-03/", "quokkas added while serving", True),),
         search=(("notes/note-03/", "quokkas added while serving", True),)),
    Step("add", _write("note-new.md", _note(99, "Freshly added pelican note", "Pelicans ingest streams.")),
         pages=(("notes/note-new/", "Pelicans ingest streams", True),
                ("notes/by-domain/data-engineering/", "Freshly added pelican note", True)),
         search=(("notes/note-new/", "Pelicans ingest streams", True),)),
    Step("rename title", _retitle("note-05.md", "Serve note 05", "Renamed heron note"),
         pages=(("notes/note-05/", "Renamed heron note", True),
                ("notes/by-domain/exploratory-data-analysis/", "Renamed heron note", True),
                ("notes/by-domain/exploratory-data-analysis/", "Serve note 05", False),
                # a sibling's navigation lists the new title (its domain group has at most 50 notes)
                ("notes/note-07/", "Renamed heron note", True)),
         search=(("notes/note-05/", "Renamed heron note", True),)),
    Step("service mention", _append("note-08.md", "\nThe voice answers come from Amazon Polly.\n"),
         pages=(("glossary/", "notes/note-08/", True),),
         search=(("notes/note-08/", "Amazon Polly", True),)),
    Step("new link", _append("note-10.md", "\nSee also [the twelfth note](note-12.md).\n"),
         pages=(("notes/note-12/", "../note-10/", True),)),
    Step("draft", _write("note-draft.md", _note(98, "Unfinished ibis draft", "Ibis text.").replace(
        "tags:", "draft: true\ntags:")), pages=(("notes/note-draft/", "Ibis text", True),)),  # serve shows drafts
    Step("delete", lambda notes: (notes / "note-20.md").unlink(),
         pages=(("notes/by-domain/data-engineering/", "Serve note 20", False),),
         search=(("notes/note-20/", "Serve note 20", False),)),
]


@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
def test_serve_rebuild_shows_the_change(served: Served, project: Project, step: Step) -> None:
    served.rebuild_after(lambda: step.change(project.notes))
    assert re.search(r"incremental rebuild: \d+ pages read, \d+ rendered", served.log())
    for path, text, present in step.pages:
        html = served.fetch(path)
        assert html is not None, f"/{path} is not served after {step.name}"
        assert (text in html) == present, f"/{path} {'lacks' if present else 'still shows'} {text!r} after {step.name}"
    for url, text, present in step.search:
        assert (text in _search_text(served, url)) == present, f"search index and {url} after {step.name}"
    if step.name == "delete":
        assert served.fetch("notes/note-20/") is None, "a deleted note's page is still served"
        assert not (served.site / "notes" / "note-20").exists()


def test_serve_rebuild_reads_only_what_changed(served: Served, project: Project) -> None:
    served.rebuild_after(lambda: _append("note-14.md", "\nOne more sentence about the training set.\n")(project.notes))
    read, rendered, total = map(int, re.findall(r"incremental rebuild: (\d+) pages read, (\d+) rendered of (\d+)",
                                                served.log())[-1])
    assert rendered < total / 2 and read < total / 2, (read, rendered, total)


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


SITEMAP_DATE = re.compile(rb"<lastmod>[^<]*</lastmod>")


def _anki_notes(package: bytes) -> list[tuple]:
    """An Anki package's notes (GUID, fields, tags) and decks: what a reader's import reads, without its times."""
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            name = next(n for n in archive.namelist() if n.startswith("collection.anki2"))
            archive.extract(name, folder)
        with sqlite3.connect(Path(folder) / name) as db:
            notes = db.execute("SELECT guid, flds, tags FROM notes ORDER BY guid").fetchall()
            decks = db.execute("SELECT decks FROM col").fetchall()
    return [*notes, *[json.dumps(sorted(json.loads(d[0]).keys())) for d in decks]]


def test_served_site_equals_a_fresh_full_build(served: Served, project: Project) -> None:
    """After the sequence of edits, every served file equals a fresh build's (sitemap dates aside)."""
    incremental_site = project.work / "incremental-site"
    shutil.copytree(served.site, incremental_site)
    port = served.port
    served.stop()
    with Served(project.root, project.notes, project.work / "fresh", dirty=False, port=port) as fresh:
        full = _files(fresh.site)
    mine = _files(incremental_site)
    assert sorted(mine) == sorted(full), "files only in one site"
    for name in ("sitemap.xml",):
        mine[name], full[name] = SITEMAP_DATE.sub(b"", mine[name]), SITEMAP_DATE.sub(b"", full[name])
    mine.pop("sitemap.xml.gz"), full.pop("sitemap.xml.gz")  # the gzip header holds the build time
    for name in [n for n in full if n.endswith(".apkg")]:  # a zip of an SQLite file: written with the build time
        mine[name], full[name] = _anki_notes(mine[name]), _anki_notes(full[name])
    different = [name for name in sorted(full) if mine[name] != full[name]]
    assert not different, f"served pages differ from a fresh full build: {different[:20]}"
