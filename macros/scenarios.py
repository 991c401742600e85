"""The curated scenario → answer pairs of ``scenarios.yml`` (the cheat-sheets' first part): read and validated.

``scenarios.yml`` lives beside the notes folder (``seeds/scenarios.yml`` for ``seeds/notes``): the
pairs are curated against that corpus, so a guide built from another notes folder
(``STUDYGUIDE_NOTES``) reads the ``scenarios.yml`` beside *that* folder, if any. Whether the notes
support a pair is the enrich stage's question (``enrich.evidence``).
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .catalog import CatalogError, _Entry, _read_yaml
from .load import refusal
from .model import Exam, Problem
from .normalize import resolve_domain

SCENARIOS_FILE = "scenarios.yml"
_FIELDS = {"domain", "scenario", "answer", "evidence", "__line__"}


@dataclass(frozen=True)
class Scenario:
    """One curated pair of ``scenarios.yml``."""

    domain: int
    scenario: str
    answer: str
    evidence: tuple[str, ...]  # every phrase must be in one note section
    line: int  # where the entry starts in the file
    source: str = ""  # the file, as shown (scenarios.yml or the person's studyguide.yml)
    # A pair written for the predecessor exam, in a successor's guide: the successor's domains its domain serves
    # (``Domain.serves`` order); the one its supporting note section speaks to is chosen (``enrich.evidence``).
    choices: tuple[int, ...] = ()


def scenarios_path(notes_dir: Path) -> Path:
    """``scenarios.yml`` beside the notes folder."""
    return Path(notes_dir).parent / SCENARIOS_FILE


def _problem(exc: CatalogError, default_line: int | None) -> Problem:
    """A bad entry of the scenarios file as a Problem."""
    return Problem(exc.file, exc.line or default_line, exc.message, "error", "scenario", code="scenario/invalid")


def load_scenarios(path: Path, shown: str, exam: Exam) -> tuple[list[Scenario], list[Problem]]:
    """Read ``scenarios.yml``: well-formed pairs, and a problem (file:line) for each bad entry.

    A bad entry is skipped, never fatal: the other sheets still build, and ``--strict`` fails
    on the reported problem.
    """
    reason = refusal(path, path.parent.resolve())  # it sits beside the notes: a symlink must not leave that folder
    if reason:
        return [], [Problem(shown, None, reason, "error", code="file/refused")]
    if not path.is_file():
        return [], []
    try:
        data = _read_yaml(path, shown)
    except CatalogError as exc:
        return [], [_problem(exc, 1)]
    if data is None:
        return [], []
    try:
        raws = _Entry(data, shown, "file", 1).mappings("scenarios")
    except CatalogError as exc:
        return [], [_problem(exc, 1)]
    return scenario_entries(raws, shown, exam, _item_lines(path))


def scenario_entries(raws: list, shown: str, exam: Exam, lines: list[int]) -> tuple[list[Scenario], list[Problem]]:
    """The pairs of a ``scenarios:`` list read from ``shown`` (``lines``: each item's line, where known)."""
    problems: list[Problem] = []
    pairs: list[Scenario] = []
    seen: dict[tuple[int, str], int] = {}
    for index, raw in enumerate(raws, 1):
        line = lines[index - 1] if index <= len(lines) else None
        try:
            entry = _Entry(raw, shown, f"scenario #{index}", line)
            unknown = sorted(str(k) for k in entry.data if k not in _FIELDS)
            if unknown:
                raise entry.fail(f"unknown field {', '.join(repr(k) for k in unknown)}; "
                                 f"known: domain, scenario, answer, evidence")
            scenario = entry.text("scenario")
            entry.what = f"scenario '{scenario}'"
            domain = resolve_domain(entry.data.get("domain"), exam)
            if domain is None:
                numbers = ", ".join(str(d.number) for d in exam.domains)
                raise entry.fail(f"'domain' must be one of {numbers} (or a domain's name), "
                                 f"got {entry.data.get('domain')!r}")
            answer = entry.text("answer")
            evidence = tuple(" ".join(e.split()) for e in entry.texts("evidence"))
            if not evidence:
                raise entry.fail("'evidence' is required: a phrase (or list of phrases) copied from a note")
            key = (domain, normalize_text(scenario))
            if key in seen:
                raise entry.fail(f"the same scenario is already listed for domain {domain} at line {seen[key]}")
            seen[key] = entry.line
            pairs.append(Scenario(domain, scenario, answer, evidence, entry.line, shown))
        except CatalogError as exc:
            problems.append(_problem(exc, line))
    return pairs, problems


def scenarios_exam(exam: Exam, related: Exam | None) -> Exam:
    """The exam whose domains ``scenarios.yml`` names: the predecessor's, in a successor's guide (the pairs were
    written against the MLS-C01 notes), else the guide's own."""
    return related if related is not None and exam.predecessor and related.code == exam.predecessor else exam


def map_to_successor(pairs: list[Scenario], written_for: Exam, exam: Exam, shown: str) -> tuple[list[Scenario], list[Problem]]:
    """Pairs written for ``written_for`` (the predecessor) moved to the domains of ``exam`` their domain serves
    (``Domain.serves``); a pair whose domain serves none is left out, with an info-level note (not an error)."""
    if written_for is exam:
        return pairs, []
    mapped, notes = [], []
    for pair in pairs:
        domain = written_for.domain(pair.domain)
        choices = tuple(dict.fromkeys(link.domain for link in (domain.serves if domain else ())
                                      if link.exam == exam.code and exam.domain(link.domain)))
        if choices:
            mapped.append(dataclasses.replace(pair, domain=choices[0], choices=choices))
        else:
            notes.append(Problem(shown, pair.line, f"scenario '{pair.scenario}' is for {written_for.code} domain "
                                 f"{pair.domain}, which serves no {exam.code} domain: left off the cheat-sheets",
                                 "info", "scenario", code="scenario/unmapped"))
    return mapped, notes


def _item_lines(path: Path) -> list[int]:
    """Line of each item of the file's ``scenarios:`` list (plain text items have no ``__line__``)."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "scenarios" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                              "\u2014": "-", "\u2212": "-", "\u00a0": " ", "*": None, "`": None})


_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")


def normalize_text(text: str) -> str:
    """Text as evidence is compared: case, whitespace runs, typographic quotes/dashes and
    Markdown emphasis ignored, Markdown backslash escapes undone."""
    if text.isascii():  # its own NFKC form, and only "*" and "`" of _TYPOGRAPHIC can occur (replace is faster)
        if "\\" in text:
            text = _MARKDOWN_ESCAPE.sub(r"\1", text)
        return " ".join(text.replace("*", "").replace("`", "").lower().split())
    text = _MARKDOWN_ESCAPE.sub(r"\1", unicodedata.normalize("NFKC", text))
    return " ".join(text.translate(_TYPOGRAPHIC).casefold().split())
