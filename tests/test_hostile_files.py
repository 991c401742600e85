"""Hostile input files (issue #11): a note folder from a stranger's pull request never stalls, crashes or leaks
the build. One row per attack: the build succeeds (non-strict), another good note is still built, and a problem
names the file (and the line, where there is one). Most rows run the pipeline; one real ``mkdocs build`` holds
every attack at once and proves the site builds, offline, with no secret of the build's environment in it."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, Build, run_mkdocs_build
from macros import load, normalize, pipeline
from macros.model import Site
from macros.settings import Settings

SECRET = "studyguide-secret-5f0c9e1d"  # set as STUDYGUIDE_TEST_SECRET for the build: must appear nowhere
OUTSIDE_WORD = "outsideword7731"  # text of a note outside the notes folder
GOOD_NOTE = "---\ntitle: Good Note\n---\n\n# Good Note\n\nAmazon SageMaker trains models.\n"


@dataclass(frozen=True)
class Link:
    """A symbolic link to ``target``; "@outside/…" is a path in a folder beside the notes folder."""

    target: str


def _billion_laughs() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(9)]
    return ("---\ntitle: Laughs\n" + "\n".join(lines) + "\ntags: *j\n---\n\n# Laughs\n\nBody.\n").encode()


def _deep(opener: str, closer: str, depth: int = 20_000, middle: str = "") -> str:
    return opener * depth + middle + closer * depth


# name -> (files to write: name -> bytes or Link, the file the problem names, words of its message, its line)
ATTACKS: dict[str, tuple[dict[str, bytes | Link], str, str, int | None]] = {
    "symlink-etc-passwd": ({"passwd.md": Link("/etc/passwd")}, "passwd.md", "outside the notes folder", None),
    "symlink-proc-environ": ({"environ.md": Link("/proc/self/environ")}, "environ.md", "outside the notes folder", None),
    "symlink-outside-note": ({"stolen.md": Link("@outside/note.md")}, "stolen.md", "outside the notes folder", None),
    "symlink-attachment": ({"attachments/leak.png": Link("/etc/passwd")}, "attachments/leak.png",
                           "outside the notes folder", None),
    "symlink-attachments-folder": ({"attachments": Link("@outside")}, "attachments", "outside the notes folder", None),
    "non-utf8-file-name": ({os.fsdecode(b"caf\xe9.md"): b"# Caf\xc3\xa9\n\nText.\n"}, "caf\ufffd.md",
                           "file name is not valid UTF-8", None),
    "newline-in-file-name": ({"evil\nINFO    -  forged line.md": b""}, "evil\\nINFO    -  forged line.md",
                             "is empty", 1),
    "bidi-in-file-name": ({"evil\u202egnp.md": b""}, "evil\\u202egnp.md", "is empty", 1),
    "billion-laughs": ({"laughs.md": _billion_laughs()}, "laughs.md", "alias", 7),  # "e:" stands for 66,430 values
    "deep-yaml-front-matter": ({"deep.md": ("---\ntitle: Deep\nx: " + _deep("[", "]") + "\n---\n\n# Deep\n").encode()},
                               "deep.md", "nested more than", 3),
    "deep-json-front-matter": ({"deep-json.md": ('{\n"title": "Deep",\n"x": ' + _deep("[", "]") + "\n}\n\n# Deep\n")
                                .encode()}, "deep-json.md", "nested more than", 3),
    "deep-toml-front-matter": ({"deep-toml.md": ('+++\ntitle = "Deep"\nx = ' + _deep("[", "]") + "\n+++\n\n# Deep\n")
                                .encode()}, "deep-toml.md", "nested more than", 3),
    "deep-list-one-line": ({"deep-list.md": ("# Deep List\n\n" + "- " * 50_000 + "item\n").encode()},
                           "deep-list.md", "nested", 3),
    "deep-block-quote": ({"deep-quote.md": ("# Deep Quote\n\n" + "> " * 50_000 + "quote\n").encode()},
                         "deep-quote.md", "nested", 3),
    "nested-divs": ({"divs.md": ("# Divs\n\n" + _deep("<div>", "</div>", 50_000) + "\n").encode()},
                    "divs.md", "nested", 3),
    "wikilink-openers": ({"wiki.md": ("# Wiki\n\ntext\n" + "[[" * 4_000 + "\n").encode()}, "wiki.md", "[", 4),
    "bracket-openers": ({"brackets.md": ("# Brackets\n\n" + "[" * 8_000 + "\n").encode()}, "brackets.md", "[", 3),
    "image-openers": ({"images.md": ("# Images\n\n" + "![" * 4_000 + "\n").encode()}, "images.md", "[", 3),
    "strong-run": ({"strong.md": ("# Strong\n\n" + _deep("**", "**", 5_000, "x") + "\n").encode()}, "strong.md",
                   "emphasis", 3),
    "strong-separated": ({"strong-apart.md": ("# Apart\n\n" + "**a " * 5_000 + "x" + " a**" * 5_000 + "\n").encode()},
                         "strong-apart.md", "emphasis", 3),
    "mark-run": ({"mark.md": ("# Mark\n\n" + _deep("==", "==", 5_000, "x") + "\n").encode()}, "mark.md", "emphasis", 3),
    "bom-then-windows-1252": ({"bom.md": b"\xef\xbb\xbf# Caf\xe9 cr\xe8me\n\nNa\xefve text.\n"}, "bom.md",
                              "read as Windows-1252", None),
}


def make_folder(folder: Path, files: dict[str, bytes | Link]) -> None:
    outside = folder.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "note.md").write_text(f"# Outside\n\n{OUTSIDE_WORD} from outside the notes folder.\n", "utf-8")
    (outside / "photo.png").write_bytes(b"\x89PNG outside " + OUTSIDE_WORD.encode())
    (folder / "good.md").write_text(GOOD_NOTE, "utf-8")
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Link):
            os.symlink(content.target.replace("@outside", str(outside)), path)
        else:
            path.write_bytes(content)


def site_text(site: Site) -> str:
    """Everything the site would publish from the notes: pages and attachment bytes."""
    pages = "\n".join(pipeline.generated_pages(site).values())
    attached = b"".join(path.read_bytes() for path in pipeline.attachment_files(site).values())
    return pages + attached.decode("utf-8", "replace")


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_a_hostile_file_is_reported_and_the_rest_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         attack: str) -> None:
    files, shown, words, line = ATTACKS[attack]
    monkeypatch.setenv("STUDYGUIDE_TEST_SECRET", SECRET)
    folder = tmp_path / "notes"
    folder.mkdir()
    make_folder(folder, files)
    pipeline.input_fingerprint(Settings.for_project(ROOT, folder))  # encodes every path: must not crash
    site = pipeline.build_site(ROOT, folder)
    assert site.note("good") is not None
    matching = [p for p in site.problems if p.file.endswith(shown) and words in p.message]
    assert matching, [str(p) for p in site.problems]
    assert matching[0].line == line
    for problem in site.problems:
        assert len(str(problem).splitlines()) == 1 and not re.search("[\u202a-\u202e\u2066-\u2069\ud800-\udfff]",
                                                                     str(problem)), repr(str(problem))
    published = site_text(site)
    for leaked in (SECRET, OUTSIDE_WORD, "root:x:0:0"):
        assert leaked not in published


@pytest.mark.parametrize("name, words", [
    ("caf\ufffd.md", "Caf\u00e9"),  # the non-UTF-8 name is shown with a replacement character; its text is read
    ("bom.md", "Caf\u00e9 cr\u00e8me"),  # BOM then Windows-1252: the text is read right, not with "\ufffd"
    ("deep-list.md", "item"), ("deep-quote.md", "quote"), ("wiki.md", "[[[["), ("images.md", "![!["),
])
def test_hostile_notes_keep_their_text(tmp_path: Path, name: str, words: str) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    make_folder(folder, {k: v for files, *_ in ATTACKS.values() for k, v in files.items()
                         if not isinstance(v, Link)})
    site = pipeline.build_site(ROOT, folder)
    note = next(n for n in site.notes if n.source.endswith(name))
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", note.slug)
    assert words in note.body.replace("\\", "")
    assert "\ufffd" not in note.body


@pytest.mark.parametrize("files, kept", [
    ({"alias.md": Link("good.md")}, "alias.md"),  # a note that links to a note inside the folder
    ({"sub": Link("."), "attachments/real.png": b"\x89PNG"}, "real.png"),  # an attachment, a looping folder link
    ({"attachments/a.png": b"\x89PNG", "attachments/b.png": Link("a.png")}, "b.png"),  # attachment link inside
])
def test_a_symlink_that_stays_inside_the_folder_is_read(tmp_path: Path, files: dict, kept: str) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    make_folder(folder, files)
    site = pipeline.build_site(ROOT, folder)
    names = {n.source.rsplit("/", 1)[-1] for n in site.notes} | {p.name for p in pipeline.attachment_files(site).values()}
    assert kept in names
    assert not [p for p in site.problems if "outside" in p.message], [str(p) for p in site.problems]


@pytest.mark.parametrize("target, words", [
    ("/etc/passwd", "outside the notes folder"), ("@outside/note.md", "outside the notes folder"),
    ("/dev/zero", "outside the notes folder"),
])
def test_inside_folder_refuses_what_leaves_the_notes_folder(tmp_path: Path, target: str, words: str) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    make_folder(folder, {"x.md": Link(target)})
    assert not load.inside_folder(folder / "x.md", folder)
    assert load.inside_folder(folder / "good.md", folder)
    assert words in load.load_note(folder / "x.md", "x.md", root=folder).problems[0].message


def test_a_fifo_or_an_oversized_note_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    os.mkfifo(folder / "pipe.md")  # reading it would block the build forever
    (folder / "huge.md").write_bytes(b"# Huge\n\n" + b"x" * (load.MAX_NOTE_BYTES + 1))
    messages = {p.file.rsplit("/", 1)[-1]: p.message for p in pipeline.build_site(ROOT, folder).problems}
    assert "not a regular file" in messages["pipe.md"]
    assert "too large" in messages["huge.md"]


def test_a_symlinked_scenarios_file_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    make_folder(folder, {})
    os.symlink("/etc/passwd", tmp_path / "scenarios.yml")
    site = pipeline.build_site(ROOT, folder)
    assert any(p.file.endswith("scenarios.yml") and "outside" in p.message for p in site.problems)
    assert "root:x:0:0" not in "\n".join(str(p) for p in site.problems)


# Ordinary Markdown that only looks like an attack (many links, words in bold, a deep list, code full of "[")
# is left exactly as written.
ORDINARY = {
    "many-links": " ".join(f"[link {i}](https://example.com/{i})" for i in range(200)),
    "many-wikilinks": "\n".join(f"- [[Note {i}]] and ![[image-{i}.png]]" for i in range(300)),
    "bold-words": " ".join(f"**word{i}** and _em{i}_ and ~~del{i}~~ and ==mark{i}==" for i in range(100)),
    "snake-case-and-math": " ".join(f"max_depth_{i} = a*b + c^2" for i in range(100)),
    "list-8-deep": "\n".join("    " * i + "- item" for i in range(8)),
    "quote-10-deep": "> " * 10 + "deep quote",
    "html-paragraphs": "<div>\n" + "<p>para\n" * 60 + "<li>item\n" * 60 + "</div>",
    "brackets-in-fenced-code": "```python\n" + "x = [" * 600 + "\n```",
    "brackets-in-code-span": "`" + "[" * 600 + "`",
    "brackets-in-indented-code": "Text.\n\n    " + "[" * 600,
    "stars-in-code": "```\n" + "**" * 600 + "x\n```",
}


@pytest.mark.parametrize("body", ORDINARY.values(), ids=list(ORDINARY))
def test_ordinary_markdown_is_not_tamed(body: str) -> None:
    assert normalize.tame_markdown(body) == (body, {})


# --- one real build with every attack at once --------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = tmp_path_factory.mktemp("hostile-files") / "notes"
    folder.mkdir()
    make_folder(folder, {k: v for files, *_ in ATTACKS.values() for k, v in files.items()
                         if not (k == "attachments" and isinstance(v, Link))})
    return run_mkdocs_build(tmp_path_factory.mktemp("hostile-files-site") / "site", notes=folder, strict=False,
                            extra_env={"STUDYGUIDE_TEST_SECRET": SECRET}, timeout=120)


def test_the_real_build_succeeds_and_leaks_nothing(hostile_build: Build) -> None:
    assert hostile_build.returncode == 0, hostile_build.log[-3000:]
    assert "Good Note" in hostile_build.html("notes/good/")
    for path in hostile_build.site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for leaked in (SECRET, OUTSIDE_WORD, "root:x:0:0"):
                assert leaked.encode() not in data, (leaked, path)


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a != "symlink-attachments-folder"])
def test_the_real_build_logs_each_attack_on_one_line(hostile_build: Build, attack: str) -> None:
    _, shown, words, line = ATTACKS[attack]
    where = f"{shown}:{line}:" if line else f"{shown}:"
    assert any(where in entry and words in entry for entry in hostile_build.log.splitlines()), hostile_build.log[-3000:]
