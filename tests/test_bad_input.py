"""Bad input: a warning names the file and the line; ``--strict`` fails with it; a plain build still
builds every other note and shows the broken one with its raw text and a visible notice.

Two real builds of the same temp folder (strict and plain). Tests run as root, so an unreadable
file is made with a dangling symlink (reading it fails for root too), and a binary file with NUL bytes.
"""
from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import Build, run_mkdocs_build
from page_text import ALL_DOMAINS_NOTE, content_text

GOOD = {
    "good-one.md": "---\ntitle: Good One\ntags: [fine]\n---\n\n# Good One\n\nKinesis Data Firehose converts records.\n",
    "good-two.txt": "Good Two Essay\nAn essay that is perfectly fine and has a full stop.\n",
    "outline.md": ALL_DOMAINS_NOTE,
}

# name -> (bytes, line the problem is on or None, words of the message, the finding's stable code)
BAD: dict[str, tuple[bytes, int | None, str, str]] = {
    "bad-yaml.md": (b"---\ntitle: Broken YAML\ntags: [a, b\ndraft: false\n---\n\n# Broken YAML\n\nThe body text survives.\n",
                    4, "YAML front matter cannot be parsed", "note/front-matter"),
    "bad-toml.md": (b'+++\ntitle = "Broken TOML"\ndate =\n+++\n\nTOML body text survives.\n', 3,
                    "TOML front matter cannot be parsed", "note/front-matter"),
    "bad-list.md": (b"---\n- just\n- a list\n---\n\nList front matter body.\n", 2, "must be a mapping", "note/front-matter"),
    "empty.md": (b"", 1, "is empty", "note/empty"),
    "binary.md": (b"# Binary\n\nreadable start\n\x00\x00\x89PNG\x00 tail\n", 4, "NUL", "note/not-text"),
    "bad-date.md": (b"---\ntitle: Bad Date\ncreated: someday soon\n---\n\n# Bad Date\n\nDate body text.\n", 3,
                    "'created' is not a date", "field/invalid"),
}
UNREADABLE = "unreadable.md"  # a dangling symlink


def make_folder(folder: Path) -> Path:
    for name, text in GOOD.items():
        (folder / name).write_text(text, "utf-8")
    for name, (data, _, _, _) in BAD.items():
        (folder / name).write_bytes(data)
    os.symlink(folder / "no-such-target.md", folder / UNREADABLE)
    return folder


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("bad-notes"))


@pytest.fixture(scope="module")
def builds(bad_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """The strict and the plain build of the same folder, run side by side (each is a subprocess)."""
    with ThreadPoolExecutor(2) as pool:
        futures = {kind: pool.submit(run_mkdocs_build, tmp_path_factory.mktemp(f"bad-{kind}") / "site",
                                     notes=bad_folder, strict=kind == "strict") for kind in ("strict", "plain")}
        return {kind: future.result() for kind, future in futures.items()}


@pytest.fixture(scope="module")
def strict_build(builds: dict[str, Build]) -> Build:
    return builds["strict"]


@pytest.fixture(scope="module")
def plain_build(builds: dict[str, Build]) -> Build:
    return builds["plain"]


def warnings(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("WARNING")]


def test_strict_build_fails(strict_build: Build) -> None:
    assert strict_build.returncode != 0
    assert "strict mode" in strict_build.log


@pytest.mark.parametrize("name", list(BAD))
def test_warning_names_file_and_line(strict_build: Build, plain_build: Build, bad_folder: Path, name: str) -> None:
    _, line, words, code = BAD[name]
    for build in (strict_build, plain_build):
        expected = f"{bad_folder / name}:{line}: "
        found = [w for w in warnings(build.log) if expected in w]
        assert found, f"no warning starting {expected!r} in:\n" + "\n".join(warnings(build.log))
        assert words in found[0] and found[0].endswith(f" [{code}]"), found[0]  # the code accepted-findings.yml names


def test_unreadable_file_is_named(strict_build: Build, bad_folder: Path) -> None:
    assert any(f"{bad_folder / UNREADABLE}: cannot be read" in w and w.endswith(" [note/unreadable]") for w in warnings(strict_build.log))


def test_good_notes_give_no_warning(strict_build: Build) -> None:
    for name in GOOD:
        assert not [w for w in warnings(strict_build.log) if name in w], name


def test_each_bad_note_is_warned_about_once(plain_build: Build, bad_folder: Path) -> None:
    for name in [*BAD, UNREADABLE]:
        count = sum(f"{bad_folder / name}:" in w or f"{bad_folder / name} " in w for w in warnings(plain_build.log))
        assert count == 1, (name, warnings(plain_build.log))


def test_plain_build_succeeds_with_every_good_note(plain_build: Build) -> None:
    assert plain_build.returncode == 0, plain_build.log
    text = content_text(plain_build.html("notes/good-one/"))
    assert "Kinesis Data Firehose converts records." in text
    assert "An essay that is perfectly fine and has a full stop." in content_text(plain_build.html("notes/good-two/"))


BROKEN_PAGES = [name for name, (_, line, _, _) in BAD.items() if name != "bad-date.md"]


@pytest.mark.parametrize("name", BROKEN_PAGES)
def test_broken_note_page_shows_raw_text_and_a_notice(plain_build: Build, bad_folder: Path, name: str) -> None:
    data, line, words, _ = BAD[name]
    html = plain_build.html(f"notes/{Path(name).stem}/")
    text = content_text(html)
    assert "could not be built" in text
    assert words in text, "the notice says what is wrong"
    assert f"{name}:{line}" in text, "the notice says where"
    for raw_line in data.decode("utf-8", errors="replace").split("\n"):
        readable = raw_line.replace("\x00", "").strip()
        if readable and "\ufffd" not in readable:
            assert readable in text, readable
    assert "\x00" not in html


def test_unreadable_note_has_a_page_with_a_notice(plain_build: Build) -> None:
    text = content_text(plain_build.html("notes/unreadable/"))
    assert "could not be built" in text and "cannot be read" in text


def test_note_with_a_bad_value_still_gets_its_page(plain_build: Build) -> None:
    """A bad field is reported, but the note itself is fine: it is built normally."""
    text = content_text(plain_build.html("notes/bad-date/"))
    assert "Date body text." in text
    assert "could not be built" not in text


def test_broken_notes_are_listed_in_the_notes_index(plain_build: Build) -> None:
    hrefs = re.findall(r'href="([^"]+)"', plain_build.html("notes/"))
    for name in [*GOOD, *BAD, UNREADABLE]:
        assert any(h.rstrip("/").endswith(Path(name).stem) for h in hrefs), name
