"""Generated pages' front matter is written by hand (render.page_front_matter): PyYAML must read back
exactly the values that went in, whatever characters a note's title or tags hold."""
from __future__ import annotations

import datetime as dt
import random

import pytest
import yaml

from macros.load import load_note
from macros.render import page_front_matter

# Control characters, C1 controls, NEL, line and paragraph separators, BOM, non-characters, astral symbols, surrogates.
ALPHABET = [chr(i) for i in [*range(0x00, 0x250), 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF, 0xFFFD, 0x1F600, 0x3000,
                             0xD800, 0xDBFF, 0xDC00, 0xDFFF]]
# Written as U+FFFD: MkDocs' YAML loader rejects them, and then drops the page's whole front matter.
UNSAFE = {chr(i) for i in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000)]}


def as_written(value: str) -> str:
    return "".join("\ufffd" if c in UNSAFE else c for c in value)


def read_back(text: str) -> dict:
    assert text.startswith("---\n") and text.endswith("\n---\n\n")
    return yaml.safe_load(text[4:-6])


def test_random_text_survives_the_round_trip() -> None:
    rng = random.Random(20261122)
    for _ in range(3000):
        value = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 16)))
        meta = {"title": value, "tags": [value, "aws"], "studyguide": {"kind": "note", "source": value, "domain": 2}}
        expected = {"title": as_written(value), "tags": [as_written(value), "aws"],
                    "studyguide": {"kind": "note", "source": as_written(value), "domain": 2}}
        assert read_back(page_front_matter(**meta)) == {"render_macros": False, **expected}, repr(value)


def test_yaml_look_alikes_stay_text() -> None:
    for value in ("true", "no", "null", "~", "2024-03-05", "1e3", "0x1F", "- item", "key: value", "#comment",
                  "[a, b]", "{a: 1}", "*alias", "&anchor", "!tag", "|", ">", "'", '"', "\\", "%YAML", "---", "..."):
        assert read_back(page_front_matter(title=value))["title"] == value


def test_empty_values_are_left_out_and_other_types_still_work() -> None:
    assert read_back(page_front_matter(title="T", tags=[], description=None)) == {"render_macros": False, "title": "T"}
    assert read_back(page_front_matter(title="T", score=0.5, day=dt.date(2024, 3, 5))) == {
        "render_macros": False, "title": "T", "score": 0.5, "day": dt.date(2024, 3, 5)}


@pytest.mark.parametrize("flag", [True, False])
def test_flags_and_numbers(flag: bool) -> None:
    assert read_back(page_front_matter(hide=flag, studyguide={"domain": 3})) == {
        "render_macros": False, "hide": flag, "studyguide": {"domain": 3}}


@pytest.mark.parametrize("character", sorted(c for c in UNSAFE if not "\ud800" < c < "\udfff" or c in "\udbff\udc00"), ids=lambda c: f"U+{ord(c):04X}")
def test_unsafe_characters_are_replaced_and_mkdocs_reads_the_front_matter(character: str) -> None:
    """Every C0/C1 control (but tab and newline) and lone surrogate: U+FFFD, in both writers (flow and PyYAML),
    and MkDocs' own front-matter reader keeps ``render_macros: false``."""
    from mkdocs.utils.meta import get_data

    for meta in ({"title": f"a{character}b"}, {"title": f"a{character}b", "score": 0.5}):
        text = page_front_matter(**meta) + "body"
        _, read = get_data(text)
        assert read["render_macros"] is False and read["title"] == "a\ufffdb"


@pytest.mark.parametrize("fmt, text", [
    ("yaml", '---\ntitle: T\ndescription: "a\\ud800b"\n---\n# T\n'),
    ("yaml-control", '---\ntitle: T\ndescription: "a\\x1bb"\n---\n# T\n'),
    ("json", '{\n  "title": "T",\n  "description": "a\\ud800b"\n}\n# T\n'),
    ("yaml-nested", '---\ntitle: T\ntags: [ok, "a\\udfffb"]\n---\n# T\n'),
])
def test_unsafe_characters_in_a_notes_front_matter_are_replaced_and_reported(tmp_path, fmt: str, text: str) -> None:
    path = tmp_path / "n.md"
    path.write_text(text, "utf-8")
    raw = load_note(path, "notes/n.md")
    field = "tags" if fmt == "yaml-nested" else "description"
    value = raw.front_matter[field]
    assert "\ufffd" in str(value) and not any(c in UNSAFE for c in str(value))
    (problem,) = [p for p in raw.problems if p.field == field]
    assert problem.file == "notes/n.md" and problem.line == 3 and "U+FFFD" in problem.message
