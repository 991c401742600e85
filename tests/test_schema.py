"""The front-matter schema as a contributor meets it: exact messages (file:line: message), the
field at fault, the accepted values, aliases of every dialect, and the documentation kept in sync
(CONTRIBUTING.md's field table and examples, seeds/note-schema.json)."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT
from macros.catalog import load_exam
from macros.load import load_note
from macros.normalize import FIELD_ALIASES, normalize_note

EXAM = load_exam(ROOT / "seeds" / "exams" / "mls-c01.yml")
ACCEPTED_DOMAINS = ("1 (Data Engineering), 2 (Exploratory Data Analysis), 3 (Modeling), "
                    "4 (Machine Learning Implementation and Operations)")
DATE_HINT = "write it as YYYY-MM-DD, e.g. 2024-03-05"
TAGS_HINT = "'tags' must be a list of words such as [sagemaker, glue] or a comma-separated text"


def note_from(tmp_path: Path, text: str, name: str = "x.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return normalize_note(load_note(path, f"seeds/notes/{name}"), EXAM, set())


# name, file text, [(str(problem), problem.field)]
BAD = [
    ("tags-number", "---\ntitle: A\ntags: 5\n---\n# A\n",
     [(f"seeds/notes/x.md:3: {TAGS_HINT}, got 5 (write [\"5\"] for a tag named 5)", "tags")]),
    ("no-title-no-heading", "---\ntags: [a]\n---\nJust text, no heading.\n",
     [("seeds/notes/x.md:2: the note has no title: add 'title:' to its front matter or start it with "
       "'# A heading' (the page is titled 'x' after the file name meanwhile)", "title")]),
    ("tags-bool", "---\ntitle: A\ntags: true\n---\n# A\n",
     [(f"seeds/notes/x.md:3: {TAGS_HINT}, got True", "tags")]),
    ("tags-mapping", "---\ntitle: A\ntags:\n  aws: 1\n---\n# A\n",
     [(f"seeds/notes/x.md:3: {TAGS_HINT}, got {{'aws': 1}}", "tags")]),
    ("keywords-nested-list", "---\ntitle: A\nkeywords: [[a, b]]\n---\n# A\n",
     [("seeds/notes/x.md:3: 'keywords' must be a list of words such as [sagemaker, glue] or a comma-separated "
       "text, got [['a', 'b']]", "keywords")]),
    ("domain-misspelt", "---\ntitle: A\ndomains: [Modelling]\n---\n# A\n",
     [(f"seeds/notes/x.md:3: unknown domain 'Modelling' in 'domains' (did you mean 'Modeling'?); accepted: {ACCEPTED_DOMAINS}", "domains")]),
    ("domain-number-out-of-range", "---\ntitle: A\ndomain: 7\n---\n# A\n",
     [(f"seeds/notes/x.md:3: unknown domain 7 in 'domain'; accepted: {ACCEPTED_DOMAINS}", "domain")]),
    ("domain-one-of-two-bad", "---\ntitle: A\nexam_domains: [2, Security]\n---\n# A\n",
     [(f"seeds/notes/x.md:3: unknown domain 'Security' in 'exam_domains'; accepted: {ACCEPTED_DOMAINS}",
       "exam_domains")]),
    ("domain-after-multiline-value", "---\ntitle: A\ndescription: >-\n  two\n  lines\ndomains:\n  - Modelling\n---\n# A\n",
     [(f"seeds/notes/x.md:6: unknown domain 'Modelling' in 'domains' (did you mean 'Modeling'?); accepted: {ACCEPTED_DOMAINS}", "domains")]),
    ("date-words", "---\ntitle: A\ndate: yesterday-ish\n---\n# A\n",
     [(f"seeds/notes/x.md:3: 'date' is not a date: 'yesterday-ish'; {DATE_HINT}", "date")]),
    ("date-impossible-month", "---\ntitle: A\ncreated: 2024-13-45\n---\n# A\n",
     [(f"seeds/notes/x.md:3: 'created' is not a date: '2024-13-45'; {DATE_HINT}", "created")]),
    ("date-impossible-day", "---\ntitle: A\ndate: 2023-02-30\n---\n# A\n",
     [(f"seeds/notes/x.md:3: 'date' is not a date: '2023-02-30'; {DATE_HINT}", "date")]),
    ("wikijs-date-created", "---\ntitle: A\ndateCreated: soon\n---\n# A\n",
     [(f"seeds/notes/x.md:3: 'dateCreated' is not a date: 'soon'; {DATE_HINT}", "dateCreated")]),
    ("hugo-lastmod-number", "+++\ntitle = \"A\"\nlastmod = 5\n+++\n# A\n",
     [(f"seeds/notes/x.md:3: 'lastmod' is not a date: 5; {DATE_HINT}", "lastmod")]),
    ("entity-study-start", "---\ntitle: A\nstudy_start_date: not yet\n---\n# A\n",
     [(f"seeds/notes/x.md:3: 'study_start_date' is not a date: 'not yet'; {DATE_HINT}", "study_start_date")]),
    ("draft-maybe", "---\ntitle: A\ndraft: maybe\n---\n# A\n",
     [("seeds/notes/x.md:3: 'draft' must be true or false, got 'maybe'", "draft")]),
    ("published-number", "---\ntitle: A\npublished: 0\n---\n# A\n",
     [("seeds/notes/x.md:3: 'published' must be true or false, got 0", "published")]),
    ("title-list", "---\ntitle: [a, b]\n---\n# A\n",
     [("seeds/notes/x.md:2: 'title' must be text, got a list", "title")]),
    ("title-empty-no-heading", "---\ntitle:\ntags: [a]\n---\nJust text, no heading.\n",
     [("seeds/notes/x.md:2: 'title' is empty and the note has no '# Heading': write its title, "
       "e.g. title: Amazon SageMaker Autopilot", "title")]),
    ("title-blank-string-no-heading", "---\ntags: [a]\ntitle: ''\n---\nJust text.\n",
     [("seeds/notes/x.md:3: 'title' is empty and the note has no '# Heading': write its title, "
       "e.g. title: Amazon SageMaker Autopilot", "title")]),
    ("attachments-number", "---\ntitle: A\nattachments: 5\n---\n# A\n",
     [("seeds/notes/x.md:3: 'attachments' must be a list of file names, got 5", "attachments")]),
    ("toml-domain", "+++\ntitle = \"A\"\ndomains = [\"Modelling\"]\n+++\n# A\n",
     [(f"seeds/notes/x.md:3: unknown domain 'Modelling' in 'domains' (did you mean 'Modeling'?); accepted: {ACCEPTED_DOMAINS}", "domains")]),
    ("json-domain", '{\n  "title": "A",\n  "domains": ["Modelling"]\n}\n# A\n',
     [(f"seeds/notes/x.md:3: unknown domain 'Modelling' in 'domains' (did you mean 'Modeling'?); accepted: {ACCEPTED_DOMAINS}", "domains")]),
    ("two-errors-two-lines", "---\ntitle: A\ntags: true\ndraft: maybe\n---\n# A\n",
     [(f"seeds/notes/x.md:3: {TAGS_HINT}, got True", "tags"),
      ("seeds/notes/x.md:4: 'draft' must be true or false, got 'maybe'", "draft")]),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in BAD], ids=[n for n, _, _ in BAD])
def test_bad_front_matter_is_reported_with_file_line_and_field(tmp_path: Path, text: str, expected) -> None:
    note = note_from(tmp_path, text)
    assert sorted((str(p), p.field) for p in note.problems) == sorted(expected)
    assert all(p.level == "error" for p in note.problems)  # errors fail `mkdocs build --strict`


def test_domain_message_lists_every_domain_of_the_outline(tmp_path: Path) -> None:
    (problem,) = note_from(tmp_path, "---\ntitle: A\ndomains: Modelling\n---\n# A\n").problems
    for domain in EXAM.domains:
        assert f"{domain.number} ({domain.name})" in problem.message


# name, file text, expected (field → value)
GOOD = [
    ("blog", "---\ntitle: A\ndate: 2024-03-05\nsummary: S\ntags: [x, y]\ndraft: true\n---\n# A\n",
     {"created": dt.date(2024, 3, 5), "updated": None, "description": "S", "tags": ("x", "y"), "draft": True}),
    ("wiki.js", "---\ntitle: A\ndate: 2021-08-19T17:19:40.962Z\ndateCreated: 2021-08-16T16:47:39.772Z\n"
                "published: false\ntags: a, b\n---\n# A\n",
     {"created": dt.date(2021, 8, 16), "updated": dt.date(2021, 8, 19), "draft": True, "tags": ("a", "b")}),
    ("notable", "---\ntitle: A\ncreated: '2022-12-27T13:46:02.944Z'\nmodified: '2023-01-01T04:33:04.874Z'\n"
                "attachments: [a.png]\n---\n# A\n",
     {"created": dt.date(2022, 12, 27), "updated": dt.date(2023, 1, 1), "attachments": ("a.png",)}),
    ("obsidian", "---\naliases: [x]\ntags: [\"#aws\", ml]\n---\n# Obsidian\nText.\n", {"title": "Obsidian", "tags": ("aws", "ml")}),
    ("hugo-toml", "+++\ntitle = \"A\"\nlastmod = 2024-02-03\nkeywords = [\"k\"]\ndomains = [\"Domain 3\"]\n+++\n# A\n",
     {"updated": dt.date(2024, 2, 3), "tags": ("k",), "domains": (3,)}),
    ("entity", "---\ntitle: A\nentity_id: x\nstudy_start_date: '2025-06-01'\nlast_updated: '2025-07-16'\n"
               "status: in_progress\n---\n# A\n",
     {"studied": dt.date(2025, 6, 1), "updated": dt.date(2025, 7, 16), "status": "in_progress"}),
    ("domains-by-name-any-case", "---\ntitle: A\ndomain: [modeling, 'Data Engineering', domain-2]\n---\n# A\n",
     {"domains": (3, 1, 2)}),
    ("empty-title-with-heading", "---\ntitle:\n---\n# From the heading\n", {"title": "From the heading"}),
]


@pytest.mark.parametrize("name, text, expected", GOOD, ids=[g[0] for g in GOOD])
def test_keys_of_each_dialect_are_mapped(tmp_path: Path, name: str, text: str, expected: dict) -> None:
    note = note_from(tmp_path, text, f"{name}.md")
    assert note.problems == ()
    assert {field: getattr(note, field) for field in expected} == expected


def _contributing_field_rows() -> dict[str, list[str]]:
    rows = {}
    for line in (ROOT / "CONTRIBUTING.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"`\w+`", cells[0]) and cells[0].strip("`") in FIELD_ALIASES:
            rows[cells[0].strip("`")] = re.findall(r"`([^`]+)`", cells[1])
    return rows


def test_contributing_documents_every_field_with_all_its_keys() -> None:
    rows = _contributing_field_rows()
    assert set(rows) == set(FIELD_ALIASES)
    for field, keys in FIELD_ALIASES.items():
        assert rows[field] == list(keys), f"CONTRIBUTING.md's row for '{field}' lists {rows[field]}, the code {keys}"


def test_contributing_example_messages_are_the_real_ones(tmp_path: Path) -> None:
    text = " ".join((ROOT / "CONTRIBUTING.md").read_text("utf-8").split())
    examples = re.findall(r'`(\w+): ([^`]+)` \("([^"]+)"\)', text)
    assert len(examples) >= 3
    for key, value, quoted in examples:
        note = note_from(tmp_path, f"---\ntitle: A\n{key}: {value}\n---\n# A\n")
        assert [p.message for p in note.problems if p.message.startswith(quoted)], (key, value, quoted, note.problems)


def test_json_schema_knows_every_key_and_domain() -> None:
    schema = json.loads((ROOT / "seeds" / "note-schema.json").read_text("utf-8"))
    assert schema["type"] == "object" and schema["additionalProperties"] is True  # unknown keys are kept
    keys = {key for aliases in FIELD_ALIASES.values() for key in aliases}
    assert set(schema["properties"]) == keys
    domains = json.dumps(schema["properties"]["domains"])
    for domain in EXAM.domains:
        assert f'"{domain.name}"' in domains and f'"Domain {domain.number}"' in domains
    for pattern in re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', json.dumps(schema)):
        re.compile(json.loads(f'"{pattern}"'))  # ECMA-262 patterns that Python reads the same way
