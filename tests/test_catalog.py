"""The glossary catalog (seeds/services.yml): the real file loads, and every mistake a contributor can make
is rejected with a CatalogError naming the file and the line(s) at fault."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from macros.catalog import CatalogError, load_catalog, load_exam

SERVICES_YML = ROOT / "seeds" / "services.yml"
DOMAIN_NUMBERS = {d.number for d in load_exam(ROOT / "seeds" / "exams" / "mls-c01.yml").domains}
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
