"""Generated pages' front matter is written by hand (render.page_front_matter): PyYAML must read back
exactly the values that went in, whatever characters a note's title or tags hold."""
from __future__ import annotations

import datetime as dt
import random

import pytest
import yaml

from macros.render import page_front_matter

# Control characters, C1 controls, NEL, line and paragraph separators, BOM, non-characters, astral symbols.
ALPHABET = [chr(i) for i in [*range(0x00, 0x250), 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF, 0xFFFD, 0x1F600, 0x3000]]


def read_back(text: str) -> dict:
    assert text.startswith("---\n") and text.endswith("\n---\n\n")
    return yaml.safe_load(text[4:-6])


def test_random_text_survives_the_round_trip() -> None:
    rng = random.Random(20261122)
    for _ in range(3000):
        value = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 16)))
        meta = {"title": value, "tags": [value, "aws"], "studyguide": {"kind": "note", "source": value, "domain": 2}}
        assert read_back(page_front_matter(**meta)) == {"render_macros": False, **meta}, repr(value)


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
