"""Load stage: which files are notes, how front matter is split and parsed, and which problems
a bad file gets (always with the file, and the line where there is one)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SEED_NOTES
from macros.discover import discover_notes
from macros.load import find_note_files, load_note, load_notes, split_front_matter


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# --- which files are notes --------------------------------------------------------------------

def test_md_and_txt_files_are_notes_attachments_and_hidden_files_are_not(notes_dir: Path) -> None:
    for name in ("a.md", "b.txt", "C.MD", "sub/d.md", "e.markdown", "_draft.md", "_questions/q.md"):
        write(notes_dir, name, "# x\n")
    for name in ("image.png", "notes.json", "attachments/f.md", "_resources/g.md", ".obsidian/h.md",
                 ".hidden.md", "_template.md", "_templates/t.md"):
        write(notes_dir, name, "# x\n")
    (notes_dir / "folder.md").mkdir()  # a directory named like a note is not a note
    found = {p.relative_to(notes_dir).as_posix() for p in find_note_files(notes_dir)}
    assert found == {"a.md", "b.txt", "C.MD", "sub/d.md", "e.markdown", "_draft.md", "_questions/q.md"}


# (files written, what is skipped: shown name → expected (info) or not (a finding))
SKIPPED_ROWS = [
    pytest.param(["_questions/q.md"], {}, id="underscore-folder-of-notes-is-read"),
    pytest.param([".obsidian/app.json", ".obsidian/plugins/x/data.json"], {".obsidian/": True}, id="obsidian-config"),
    pytest.param([".trash/old.md"], {".trash/": True}, id="obsidian-trash"),
    pytest.param([".git/HEAD"], {".git/": True}, id="git"),
    pytest.param(["_templates/Concept.md"], {"_templates/": True}, id="template-folder"),
    pytest.param(["_template.md", "_template-blog.md"], {"_template.md": True, "_template-blog.md": True},
                 id="template-files"),
    pytest.param(["attachments/x.md", "attachments/y.png"], {"attachments/": True}, id="attachments-folder"),
    pytest.param([".drafts/idea.md"], {".drafts/": False}, id="hidden-folder-of-notes-is-a-finding"),
    pytest.param([".cache/state.bin"], {".cache/": True}, id="hidden-folder-without-notes"),
    pytest.param([".secret.md"], {".secret.md": False}, id="hidden-note-is-a-finding"),
    pytest.param([".obsidian/app.json:{\"attachmentFolderPath\": \"_files\"}", "_files/a.md"],
                 {".obsidian/": True, "_files/": True}, id="vault-attachment-folder"),
]


@pytest.mark.parametrize(("files", "skipped"), SKIPPED_ROWS)
def test_every_file_left_out_is_named_once_with_its_reason(notes_dir: Path, files: list[str],
                                                           skipped: dict[str, bool]) -> None:
    for spec in files:
        name, _, content = spec.partition(":")
        write(notes_dir, name, content or "# x\n")
    write(notes_dir, "note.md", "# A note\n")
    found, left_out = discover_notes(notes_dir, lambda p: p.relative_to(notes_dir).as_posix())
    assert {s.file: s.expected for s in left_out} == skipped
    assert all(s.reason for s in left_out)
    assert "note.md" in {p.name for p in found}


def test_seed_notes_are_all_found_in_order() -> None:
    found = find_note_files(SEED_NOTES)
    expected = sorted(p.name for p in SEED_NOTES.iterdir()
                      if p.suffix in {".md", ".txt"} and not p.name.startswith(("_template", ".")))
    assert [p.name for p in found] == expected and len(expected) >= 5


def test_a_dangling_symlink_is_listed_so_it_can_be_reported(notes_dir: Path) -> None:
    os.symlink(notes_dir / "gone.md", notes_dir / "link.md")
    assert [p.name for p in find_note_files(notes_dir)] == ["link.md"]
    raw = load_notes(notes_dir, notes_dir.parent)[0]
    assert raw.broken
    assert str(raw.problems[0]).startswith("notes/link.md: cannot be read")


def test_paths_in_messages_are_relative_to_the_project(notes_dir: Path) -> None:
    write(notes_dir, "sub/a.md", "")
    (raw,) = load_notes(notes_dir, notes_dir.parent)
    assert raw.shown == "notes/sub/a.md"
    assert str(raw.problems[0]).startswith("notes/sub/a.md:1: ")


def test_paths_outside_the_project_are_shown_whole(notes_dir: Path, tmp_path: Path) -> None:
    write(notes_dir, "a.md", "")
    project = tmp_path / "elsewhere"
    project.mkdir()
    (raw,) = load_notes(notes_dir, project)
    assert raw.shown == str(notes_dir / "a.md")


# --- front matter split -----------------------------------------------------------------------

SPLIT = [
    # id, text, format, front matter source, body, body line
    ("yaml", "---\ntitle: A\n---\n# A\n", "yaml", "title: A\n", "# A\n", 4),
    ("yaml-dots-end", "---\ntitle: A\n...\nbody\n", "yaml", "title: A\n", "body\n", 4),
    ("yaml-empty", "---\n---\nbody\n", "yaml", "", "body\n", 3),
    ("yaml-trailing-spaces", "--- \ntitle: A\n---  \nbody", "yaml", "title: A\n", "body", 4),
    ("toml", '+++\ntitle = "A"\n+++\nbody\n', "toml", 'title = "A"\n', "body\n", 4),
    ("json", '{\n  "title": "A"\n}\n\nbody\n', "json", '{\n  "title": "A"\n}', "body\n", 5),
    ("none", "# A\n\nbody\n", "", None, "# A\n\nbody\n", 1),
    ("rule-not-at-top", "# A\n---\nb: c\n---\n", "", None, "# A\n---\nb: c\n---\n", 1),
    ("unclosed", "---\ntitle: A\n# A\n", "", None, "---\ntitle: A\n# A\n", 1),
    ("braces-inline", "{not json}\n", "", None, "{not json}\n", 1),
]


@pytest.mark.parametrize(("text", "fmt", "source", "body", "line"), [row[1:] for row in SPLIT],
                         ids=[row[0] for row in SPLIT])
def test_split_front_matter(text: str, fmt: str, source: str | None, body: str, line: int) -> None:
    assert split_front_matter(text) == (fmt, source, body, line)


# --- parsing front matter: values and the line of each key ---------------------------------------

PARSED = [
    ("yaml", "---\ntitle: A\ntags: [x, y]\ndraft: false\n---\n# A\n", "yaml",
     {"title": "A", "tags": ["x", "y"], "draft": False}, {"title": 2, "tags": 3, "draft": 4}),
    ("toml", '+++\ntitle = "A"\nlastmod = 2024-02-03\ndraft = true\n+++\n# A\n', "toml",
     {"title": "A", "lastmod": __import__("datetime").date(2024, 2, 3), "draft": True},
     {"title": 2, "lastmod": 3, "draft": 4}),
    ("json", '{\n  "title": "A",\n  "tags": ["x"]\n}\n# A\n', "json", {"title": "A", "tags": ["x"]},
     {"title": 2, "tags": 3}),
    ("yaml-empty-block", "---\n---\n# A\n", "yaml", {}, {}),
    ("yaml-comment-only", "---\n# just a comment\n---\n# A\n", "yaml", {}, {}),
    ("yaml-non-string-key", "---\n2024: year\n---\n# A\n", "yaml", {"2024": "year"}, {}),
]


@pytest.mark.parametrize(("text", "fmt", "data", "lines"), [row[1:] for row in PARSED], ids=[row[0] for row in PARSED])
def test_front_matter_is_parsed_with_key_lines(notes_dir: Path, text: str, fmt: str, data: dict, lines: dict) -> None:
    raw = load_note(write(notes_dir, "n.md", text), "n.md")
    assert raw.problems == []
    assert raw.front_matter_format == fmt
    assert raw.front_matter == data
    assert raw.front_matter_lines == lines
    assert raw.body.lstrip("\n") == "# A\n"


def test_no_front_matter_means_none_not_empty(notes_dir: Path) -> None:
    raw = load_note(write(notes_dir, "n.md", "# A\n"), "n.md")
    assert raw.front_matter is None and raw.body == "# A\n" and raw.body_line == 1


def test_yaml_never_runs_code(notes_dir: Path) -> None:
    text = "---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\n# A\n"
    raw = load_note(write(notes_dir, "n.md", text), "n.md")
    assert raw.broken
    assert not (Path.cwd() / "pwned").exists()
    assert raw.problems[0].line == 2


# --- bad files: a problem naming file and line, never an exception ------------------------------

BAD = [
    # id, bytes, expected line, words the message must contain
    ("empty", b"", 1, "is empty"),
    ("only-blank-lines", b"\n  \n\t\n", 1, "is empty"),
    ("nul-bytes", b"# Title\n\nsome text\x00\x00\x01 more\n", 3, "NUL"),
    ("yaml-unclosed-list", b"---\ntitle: A\ntags: [a, b\ndraft: no\n---\n# A\n", 4, "YAML front matter cannot be parsed"),
    ("yaml-tab-indent", b"---\ntitle: A\n\tdraft: no\n---\n# A\n", 3, "YAML front matter cannot be parsed"),
    ("yaml-bad-quote", b"---\ntitle: 'A\n---\n# A\n", None, "YAML front matter cannot be parsed"),
    ("yaml-a-list", b"---\n- a\n- b\n---\n# A\n", 2, "must be a mapping"),
    ("yaml-a-string", b"---\njust words\n---\n# A\n", 2, "must be a mapping"),
    ("toml-missing-value", b'+++\ntitle = "A"\ndraft =\n+++\n# A\n', 3, "TOML front matter cannot be parsed"),
    ("json-missing-comma", b'{\n  "title": "A"\n  "draft": false\n}\n# A\n', 3, "JSON front matter cannot be parsed"),
]


@pytest.mark.parametrize(("content", "line", "words"), [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_file_becomes_a_problem_with_file_and_line(notes_dir: Path, content: bytes, line: int | None,
                                                       words: str) -> None:
    raw = load_note(write(notes_dir, "bad.md", content), "notes/bad.md")
    assert raw.broken
    (problem,) = raw.problems
    assert problem.file == "notes/bad.md"
    assert words in problem.message
    if line is None:  # the parser's line depends on where it gave up; it must still be inside the block
        assert problem.line is not None and 2 <= problem.line <= content.count(b"\n")
    else:
        assert problem.line == line
    assert str(problem).startswith(f"notes/bad.md:{problem.line}: ")


def test_broken_note_keeps_its_text_to_show_it(notes_dir: Path) -> None:
    text = "---\ntitle: A\ntags: [a, b\n---\n# A\n\nThe body is kept.\n"
    raw = load_note(write(notes_dir, "bad.md", text), "bad.md")
    assert raw.broken and raw.text == text


def test_binary_note_keeps_readable_text_with_nul_made_visible(notes_dir: Path) -> None:
    raw = load_note(write(notes_dir, "bad.md", b"# Title\x00\nrest\n"), "bad.md")
    assert raw.broken
    assert "\x00" not in raw.text and "# Title" in raw.text and "rest" in raw.text


def test_unreadable_path_is_a_problem_not_an_exception(notes_dir: Path) -> None:
    folder = notes_dir / "folder.md"
    folder.mkdir()
    raw = load_note(folder, "notes/folder.md")
    assert raw.broken
    assert str(raw.problems[0]).startswith("notes/folder.md: cannot be read")
