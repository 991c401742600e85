"""The glossary catalog (seeds/services.yml): the real file loads, and every mistake a contributor can make
is rejected with a CatalogError naming the file and the line(s) at fault."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from macros.catalog import CatalogError, available_exams, exam_file, load_catalog, load_exam

SERVICES_YML = ROOT / "seeds" / "services.yml"
DOMAIN_NUMBERS = {d.number for d in load_exam(ROOT / "seeds" / "exams" / "mls-c01.yml").domains}
MLA = load_exam(exam_file(ROOT, "mla-c01"), "seeds/exams/mla-c01.yml")
MLA_NUMBERS = {d.number for d in MLA.domains}
SHOWN = "catalog/services.yml"  # how the file is named in messages (the loader's ``shown``)


# --- the real catalog -------------------------------------------------------------------------

def test_the_real_catalog_loads_with_every_category_defined() -> None:
    catalog = load_catalog(SERVICES_YML, DOMAIN_NUMBERS)
    raw = yaml.safe_load(SERVICES_YML.read_text("utf-8"))
    assert len(catalog.services) == len(raw["services"]) >= 60
    assert list(catalog.categories) == [c["key"] for c in raw["categories"]]
    used = {s.category for s in catalog.services}
    assert used <= set(catalog.categories), used - set(catalog.categories)
    assert all(catalog.category_titles[c] for c in catalog.categories)
    assert len({s.key for s in catalog.services}) == len(catalog.services)
    for service in catalog.services:
        assert service.docs_url.startswith("https://"), service.name
        assert service.summary and set(service.domains) <= DOMAIN_NUMBERS, service.name


def test_each_entry_knows_the_line_it_starts_on() -> None:
    lines = SERVICES_YML.read_text("utf-8").split("\n")
    for service in load_catalog(SERVICES_YML, DOMAIN_NUMBERS).services:
        assert service.line is not None
        assert re.match(rf"\s*- name: {re.escape(service.name)}\s*$", lines[service.line - 1]), service.name


def test_polly_lists_poly_as_an_accepted_misspelling() -> None:
    polly = next(s for s in load_catalog(SERVICES_YML, DOMAIN_NUMBERS).services if s.name == "Amazon Polly")
    assert "Poly" in polly.misspellings and "Poly" in polly.names


# --- rejected catalogs ------------------------------------------------------------------------

HEAD = """\
categories:
  - key: ml
    title: Machine learning
  - key: storage
    title: Storage
services:
"""


def entry(name: str, *extra: str, category: str = "ml") -> str:
    """One service entry; ``extra`` lines are added as written (indented 4 spaces)."""
    lines = [f"  - name: {name}", f"    category: {category}", f"    summary: What {name} is for.",
             f"    docs: https://docs.aws.amazon.com/{name.split()[-1].lower()}/"]
    return "\n".join(lines + [f"    {line}" for line in extra]) + "\n"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle`` (starting with it, if it starts with a space)."""
    hits = [number for number, line in enumerate(text.split("\n"), start=1)
            if needle in line and (not needle.startswith(" ") or line.startswith(needle))]
    assert len(hits) >= occurrence, (needle, text)
    return hits[occurrence - 1]


def rejected(tmp_path: Path, text: str) -> str:
    path = tmp_path / "services.yml"
    path.write_text(text, "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, DOMAIN_NUMBERS, shown=SHOWN)
    return str(caught.value)


# Two entries that collide: (text, the words the message must contain). Both lines must be named.
COLLISIONS = {
    "alias used by two services": (
        HEAD + entry("Amazon Foo", "aliases: [Foo, Shared Name]") + entry("Amazon Bar", "aliases: [Bar, Shared Name]"),
        ["'Shared Name'", "'Amazon Foo'"]),
    "alias equal to another service's name (any case)": (
        HEAD + entry("Amazon Foo") + entry("Amazon Bar", "aliases: [amazon foo]"),
        ["'amazon foo'", "'Amazon Foo'"]),
    "former name equal to another service's alias": (
        HEAD + entry("Amazon Foo", "aliases: [Foo]") + entry("Amazon Bar", "former_names: [Foo]"),
        ["'Foo'", "'Amazon Foo'"]),
    "duplicate key": (
        HEAD + entry("Amazon Foo", "key: same-anchor") + entry("Amazon Bar", "key: same-anchor"),
        ["'same-anchor'"]),
    "duplicate key from the slug of the name": (
        HEAD + entry("Amazon Foo") + entry("Amazon Fooo", "key: amazon-foo"),
        ["'amazon-foo'"]),
}


@pytest.mark.parametrize("case", list(COLLISIONS))
def test_a_collision_names_the_file_and_both_lines(tmp_path: Path, case: str) -> None:
    text, words = COLLISIONS[case]
    message = rejected(tmp_path, text)
    first, second = line_of(text, "- name:", 1), line_of(text, "- name:", 2)
    assert message.startswith(f"{SHOWN}:{second}: "), message
    assert re.search(rf"\bline {first}\b", message), message
    for word in words:
        assert word in message, (word, message)


# One bad entry: (text, needle for the line at fault, the words the message must contain).
ENTRY_ERRORS = {
    "unknown category": (
        HEAD + entry("Amazon Foo") + entry("Amazon Bar", category="analytics"),
        "name: Amazon Bar", ["unknown category 'analytics'", "ml, storage"]),
    "needs_context word that is not an alias": (
        HEAD + entry("Amazon Foo", "aliases: [Foo]", "needs_context: [Fooo]"),
        "name: Amazon Foo", ["needs_context", "Fooo"]),
    "docs URL over http": (
        HEAD + "  - name: Amazon Foo\n    category: ml\n    summary: s\n    docs: http://docs.aws.amazon.com/foo/\n",
        "name: Amazon Foo", ["https://", "http://docs.aws.amazon.com/foo/"]),
    "docs missing": (
        HEAD + "  - name: Amazon Foo\n    category: ml\n    summary: s\n",
        "name: Amazon Foo", ["'docs' is required"]),
    "domain that the exam does not have": (
        HEAD + entry("Amazon Foo", "domains: [1, 9]"), "name: Amazon Foo", ["domains", "9"]),
    "domain that is not a number": (
        HEAD + entry("Amazon Foo", "domains: [Modeling]"), "name: Amazon Foo", ["domains", "Modeling"]),
    "domains not a list": (
        HEAD + entry("Amazon Foo", "domains: {a: 1}"), "name: Amazon Foo", ["domains"]),
    "category listed twice": (
        "categories:\n  - key: ml\n    title: ML\n  - key: ml\n    title: ML again\nservices:\n" + entry("Amazon Foo"),
        "title: ML again", ["'ml'", "twice"]),
}


@pytest.mark.parametrize("case", list(ENTRY_ERRORS))
def test_a_bad_entry_names_the_file_and_its_line(tmp_path: Path, case: str) -> None:
    text, needle, words = ENTRY_ERRORS[case]
    message = rejected(tmp_path, text)
    expected_line = line_of(text, needle)
    if needle.startswith("title:"):
        expected_line -= 1  # a category entry starts on its "- key:" line
    assert message.startswith(f"{SHOWN}:{expected_line}: "), message
    for word in words:
        assert word in message, (word, message)


def test_a_field_written_twice_in_one_entry_names_both_lines(tmp_path: Path) -> None:
    """YAML keeps the last of two equal keys: the first list of aliases would vanish without a word."""
    text = HEAD + entry("Amazon Foo", "aliases: [Foo]", "summary: Written twice.")
    message = rejected(tmp_path, text)
    first, second = line_of(text, "summary:", 1), line_of(text, "summary:", 2)
    assert message.startswith(f"{SHOWN}:{second}: "), message
    assert "summary" in message and re.search(rf"\bline {first}\b", message), message


@pytest.mark.parametrize("text, mistake", [
    (HEAD + entry("Amazon Foo") + "  - name: [unclosed\n    category: ml\n", "[unclosed"),
    (HEAD + entry("Amazon Foo") + "  - name: Amazon Bar\n   category: ml\n", "   category: ml"),
    ("categories:\n\t- key: ml\n", "\t- key"),
], ids=["unclosed-list", "bad-indent", "tab"])
def test_invalid_yaml_names_the_file_and_line(tmp_path: Path, text: str, mistake: str) -> None:
    message = rejected(tmp_path, text)
    match = re.match(rf"{re.escape(SHOWN)}:(\d+): not valid YAML: \S", message)
    assert match, message
    # YAML notices some mistakes only on the line after them (an unclosed "[" at the next key).
    assert int(match.group(1)) in (line_of(text, mistake), line_of(text, mistake) + 1), message


def test_a_catalog_without_services_is_rejected(tmp_path: Path) -> None:
    message = rejected(tmp_path, HEAD)
    assert message.startswith(f"{SHOWN}:1: ") and "'services'" in message, message


# --- mla_domains ------------------------------------------------------------------------------

def test_every_service_says_which_mla_domains_it_serves() -> None:
    """``mla_domains`` is written on every entry (an empty list: out of MLA-C01's scope) and names MLA domains."""
    raw = yaml.safe_load(SERVICES_YML.read_text("utf-8"))["services"]
    missing = [entry["name"] for entry in raw if "mla_domains" not in entry]
    assert not missing, missing
    catalog = load_catalog(SERVICES_YML, DOMAIN_NUMBERS, mla_domain_numbers=MLA_NUMBERS)
    assert all(set(s.mla_domains) <= MLA_NUMBERS for s in catalog.services)
    assert sum(bool(s.mla_domains) for s in catalog.services) >= len(catalog.services) * 0.9


@pytest.mark.parametrize("value, words", [
    ("[1, 7]", ["mla_domains", "7"]),
    ("[Deployment]", ["mla_domains", "Deployment"]),
    ('["1"]', ["mla_domains", "'1'"]),
], ids=["no-such-domain", "a-name", "quoted-number"])
def test_a_bad_mla_domain_names_the_entry(tmp_path: Path, value: str, words: list[str]) -> None:
    text = HEAD + entry("Amazon Foo", "domains: [1]", f"mla_domains: {value}")
    path = tmp_path / "services.yml"
    path.write_text(text, "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, DOMAIN_NUMBERS, shown=SHOWN, mla_domain_numbers=MLA_NUMBERS)
    message = str(caught.value)
    assert message.startswith(f"{SHOWN}:{line_of(text, 'name: Amazon Foo')}: "), message
    assert all(word in message for word in words), message


def test_a_misspelt_service_field_is_rejected_with_a_suggestion(tmp_path: Path) -> None:
    text = HEAD + entry("Amazon Foo", "domains: [1]", "mla_domain: [2]")
    message = rejected(tmp_path, text)
    assert message.startswith(f"{SHOWN}:{line_of(text, 'mla_domain:')}: "), message
    assert "unknown key 'mla_domain'" in message and "did you mean 'mla_domains'?" in message, message


# --- exam outlines (seeds/exams/<code>.yml) ---------------------------------------------------

@pytest.mark.parametrize("code", available_exams(ROOT))
def test_every_outline_loads_with_unique_prefixed_task_ids(code: str) -> None:
    exam = load_exam(exam_file(ROOT, code), f"seeds/exams/{code}.yml")
    assert exam.code.lower() == code
    assert sum(d.weight for d in exam.domains) == 100
    ids = [t.id for d in exam.domains for t in d.tasks]
    assert len(ids) == len(set(ids))
    for domain in exam.domains:
        assert domain.tasks and all(t.id.startswith(f"{domain.number}.") for t in domain.tasks)
        for task in domain.tasks:
            assert 10 <= len(task.vocabulary) <= 30, (task.id, len(task.vocabulary))
            assert task.knowledge or task.skills, task.id


def test_the_mla_outline_has_four_domains_and_the_guide_lists_for_every_task() -> None:
    assert MLA.code == "MLA-C01" and MLA.predecessor == "MLS-C01"
    assert [d.number for d in MLA.domains] == [1, 2, 3, 4]
    assert [d.weight for d in MLA.domains] == [28, 26, 22, 24]
    assert MLA.scored_questions is not None and MLA.unscored_questions is not None
    assert MLA.scored_questions + MLA.unscored_questions == MLA.questions
    tasks = {t.id: t for d in MLA.domains for t in d.tasks}
    assert "Ingest and store data." == tasks["1.1"].text
    assert "Secure AWS resources." == tasks["4.3"].text
    for task in tasks.values():
        assert task.knowledge and task.skills, task.id  # the MLA guide has both lists for every task


def test_the_two_outlines_link_their_domains_both_ways() -> None:
    """MLS-C01's ``serves`` and MLA-C01's ``from_mls_c01`` are one mapping written twice: they must agree."""
    mls = load_exam(exam_file(ROOT, "mls-c01"))
    assert mls.successor == MLA.code and MLA.predecessor == mls.code
    forward = {(d.number, link.domain) for d in mls.domains for link in d.serves}
    backward = {(link.domain, d.number) for d in MLA.domains for link in d.served_by}
    assert forward == backward
    assert {m for m, _ in forward} == {d.number for d in mls.domains}  # every old domain serves somewhere
    assert {a for _, a in forward} <= MLA_NUMBERS
    assert all(link.reason for d in (*mls.domains, *MLA.domains) for link in (*d.serves, *d.served_by))


def test_an_unknown_exam_code_lists_the_available_ones() -> None:
    with pytest.raises(CatalogError) as caught:
        exam_file(ROOT, "saa-c03")
    assert "saa-c03" in str(caught.value)
    assert all(code in str(caught.value) for code in available_exams(ROOT))
    assert exam_file(ROOT, "MLA-C01") == exam_file(ROOT, "mla-c01")


OUTLINE = """\
exam:
  code: TST-C01
  name: Test exam
  questions: 65
  score_scale: 100–1000
  passing_score: 700
domains:
  - number: 1
    name: First
    weight: 60
    tasks:
      - id: "1.1"
        text: Do the first thing.
        knowledge: [A fact]
        skills: [Doing it]
        vocabulary: [thing, first thing]
  - number: 2
    name: Second
    weight: 40
    tasks:
      - id: "2.1"
        text: Do the second thing.
"""

# One mistake in an outline: (replace this, with this, the line's needle, the words the message must contain).
OUTLINE_ERRORS = {
    "unknown task key, with a suggestion": (
        "        knowledge: [A fact]", "        knowlege: [A fact]", "knowlege:",
        ["unknown key 'knowlege'", "did you mean 'knowledge'?"]),
    "unknown domain key, with a suggestion": (
        "    weight: 40", "    wieght: 40", "wieght:", ["unknown key 'wieght'", "did you mean 'weight'?"]),
    "unknown exam key": (
        "  passing_score: 700", "  passing_score: 700\n  cost: 150 USD", "cost:", ["unknown key 'cost'", "known: "]),
    "serves without a successor": (
        "    weight: 40", "    weight: 40\n    serves: [{domain: 1, reason: r}]", "serves:", ["unknown key 'serves'"]),
    "duplicate task id": (
        "        vocabulary: [thing, first thing]",
        "        vocabulary: [thing, first thing]\n      - id: '1.1'\n        text: Again.", "id: '1.1'",
        ["task 1.1 is listed twice (first at line 12)"]),
    "task id without its domain's prefix": (
        '      - id: "2.1"', '      - id: "3.1"', 'id: "3.1"', ["'2.<n>'", "'3.1'"]),
    "task id that is not numbered": (
        '      - id: "2.1"', '      - id: "2.a"', 'id: "2.a"', ["'2.<n>'", "'2.a'"]),
    "weights not 100": (
        "    weight: 40", "    weight: 30", "exam:", ["90 %", "not 100 %"]),
    "skills not a list of text": (
        "        skills: [Doing it]", "        skills: Doing it", 'id: "1.1"', ["'skills' must be a list of text"]),
    "vocabulary with a number": (
        "        vocabulary: [thing, first thing]", "        vocabulary: [thing, 42]", 'id: "1.1"',
        ["'vocabulary' must be a list of text"]),
    "vocabulary phrase twice": (
        "        vocabulary: [thing, first thing]", "        vocabulary: [thing, Thing]", 'id: "1.1"',
        ["'vocabulary' lists 'Thing' twice"]),
    "scored and unscored not the total": (
        "  questions: 65", "  questions: 65\n  scored_questions: 50\n  unscored_questions: 10", "code:",
        ["50 scored + 10 unscored", "65"]),
}


@pytest.mark.parametrize("case", list(OUTLINE_ERRORS))
def test_a_bad_outline_names_the_file_and_line(tmp_path: Path, case: str) -> None:
    old, new, needle, words = OUTLINE_ERRORS[case]
    assert old in OUTLINE
    text = OUTLINE.replace(old, new, 1)
    path = tmp_path / "tst-c01.yml"
    path.write_text(text, "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_exam(path, "seeds/exams/tst-c01.yml")
    message = str(caught.value)
    assert message.startswith(f"seeds/exams/tst-c01.yml:{line_of(text, needle)}: "), message
    for word in words:
        assert word in message, (word, message)


def test_the_sample_outline_loads(tmp_path: Path) -> None:
    path = tmp_path / "tst-c01.yml"
    path.write_text(OUTLINE, "utf-8")
    exam = load_exam(path)
    assert exam.domains[0].tasks[0].vocabulary == ("thing", "first thing")
    assert exam.domains[1].tasks[0].knowledge == ()
