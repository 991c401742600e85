"""Scoring: the evidence of each section, then of the note, in one explainable score per task statement.

A section's score for task T of domain D is the evidence that points at T (task phrases in its heading
and prose, ``<!-- task: T -->``) plus an even share of the evidence that points at D as a whole (domain
names, keywords, concepts, services of D, ``<!-- domain: D -->``, the note's folder and front matter).
Weights live in ``Weights``; every number that moves an assignment is there.
"""
from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass

from macros.markdown_scan import scan_markdown
from macros.model import Section

from .folders import FolderMatch, FolderNames
from .results import FOLDER, FRONT_MATTER, HEADING, MENTION, PIN, WORD, Evidence, NoteInput, SectionAssignment
from .terms import Outline, normalize


@dataclass(frozen=True)
class Weights:
    """Every weight of the scoring, in one place (tuned on tests/fixtures/domain-eval, never on one note)."""

    pin: float = 1000.0  # <!-- domain: N --> / <!-- task: N.M -->: decides its section
    heading: float = 1.5  # a term in a heading counts this many times a term in the prose
    domain_in_heading: float = 8.0  # "Domain 2" written in a heading (or a "**Domain 2**" lead-in)
    inherited: float = 0.5  # share of its parent's heading evidence a sub-section inherits
    mention: float = 1.2  # a service named, split over the service's domains
    section_front_matter: float = 2.0  # front matter, as context for each section of the note
    section_folder: float = 1.0  # the folder, as context for each section (times the folder's strength)
    min_section: float = 1.0  # a section whose best domain scores less stays unassigned
    domain_margin: float = 0.6  # a section also speaks to domains scoring this share of its best
    task_margin: float = 0.7  # ... and to tasks scoring this share of its best task
    note_front_matter: float = 100.0  # front matter decides the note's primary domain
    note_pins: float = 10.0  # times the share of the note's evidence in sections pinned to the domain
    note_folder: float = 1.2  # times the folder's strength: above any share of the text (at most 1)
    speaks_share: float = 0.2  # a note speaks to a domain with this share of its text evidence
    note_task_margin: float = 0.5
    max_note_tasks: int = 4


WEIGHTS = Weights()
_DOMAIN_NUMBER = re.compile(r"\bdomain\s*(\d{1,2})\b", re.I)
_PIN = re.compile(r"<!--\s*(domains?|tasks?)\s*:\s*([^>]*?)\s*-->", re.I)
_PIN_ITEM = re.compile(r"\s*[,;]\s*|\s+(?=domain\b)|(?<=\d)\s+(?=\d)", re.I)
_TASK_ID = re.compile(r"^(?:task\s*)?(\d{1,2}\.\d{1,2})$", re.I)
_MASKABLE = ("`", "$", "%%", "<", "~~~", "\n    ", "\n\t")  # text without any of these has no code to mask


class Tally:
    """Evidence gathered for one section (or one note): per (kind, label, domain, task), summed."""

    def __init__(self, items: dict[tuple[str, str, int, str | None], float] | None = None) -> None:
        self.items: dict[tuple[str, str, int, str | None], float] = dict(items) if items else {}

    def add(self, kind: str, label: str, domain: int, task: str | None, weight: float) -> None:
        key = (kind, label, domain, task)
        self.items[key] = self.items.get(key, 0.0) + weight

    def merge(self, other: Tally, factor: float = 1.0) -> None:
        items = self.items
        get = items.get
        if factor == 1.0:  # the same sums as ``weight * 1.0``, without the multiplication
            for key, weight in other.items.items():
                items[key] = get(key, 0.0) + weight
            return
        for key, weight in other.items.items():
            items[key] = get(key, 0.0) + weight * factor

    def domain_totals(self) -> dict[int, float]:
        """Evidence per domain."""
        totals: dict[int, float] = {}
        for (_, _, domain, _), weight in self.items.items():
            totals[domain] = totals.get(domain, 0.0) + weight
        return totals

    def evidence(self, domains: tuple[int, ...], limit: int = 8) -> tuple[Evidence, ...]:
        """The ``limit`` heaviest items for ``domains``, ties in a fixed order."""
        # nsmallest, not a full sort: a long section has hundreds of items and only ``limit`` are kept
        found = heapq.nsmallest(limit, [(-weight, domain, kind, label, task or "")
                                         for (kind, label, domain, task), weight in self.items.items()
                                         if weight > 0 and domain in domains])
        return tuple(Evidence(kind, label, domain, task or None, round(-weight, 4))
                     for weight, domain, kind, label, task in found)


def prose_of(body: str) -> str:
    """A section's text outside code, math, comments and HTML (its words are the only ones that count)."""
    if not any(mark in body for mark in _MASKABLE):
        return body
    scan = scan_markdown(body)
    return " ".join(body[start:end] for start, end in scan.prose_segments())


def section_pins(body: str, outline: Outline, names: FolderNames) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(domains, task ids) pinned by ``<!-- domain: 2 -->`` / ``<!-- task: 2.1 -->`` comments in a section."""
    if "<!--" not in body:
        return (), ()
    domains: list[int] = []
    tasks: list[str] = []
    for kind, value in _PIN.findall(body):
        for item in _PIN_ITEM.split(value):
            item = item.strip()
            if kind.lower().startswith("task"):
                task = _TASK_ID.match(item)
                if task and task.group(1) in outline.task_domain and task.group(1) not in tasks:
                    tasks.append(task.group(1))
                continue
            number = domain_named(item, outline, names)
            if number is not None and number not in domains:
                domains.append(number)
    return tuple(domains), tuple(tasks)


def domain_named(item: str, outline: Outline, names: FolderNames) -> int | None:
    """The domain a pin names: "2", "Domain 2", "Modeling", "EDA"."""
    numbered = re.fullmatch(r"(?:domain\s*)?(\d{1,2})", item, re.I)
    if numbered:
        number = int(numbered.group(1))
        return number if number in outline.names else None
    named = names.name_match(item)
    return named[0] if named else None


def _add_terms(tally: Tally, normalized: str, outline: Outline, kind: str, factor: float) -> None:
    """Each outline term in the text, its count dampened (1 + ln n), times ``factor``."""
    items = tally.items
    terms = outline.terms
    for index, count in outline.term_counts(normalized).items():
        term = terms[index]
        dampened = factor * (1 + math.log(count)) if count > 1 else factor
        for domain, task, weight in term.targets:
            key = (kind, term.label, domain, task)
            items[key] = items.get(key, 0.0) + weight * dampened


def heading_tally(title: str, outline: Outline, weights: Weights) -> Tally:
    """The evidence of a heading (or a note's title): "Domain N", domain names and keywords, task phrases."""
    tally = Tally()
    for match in _DOMAIN_NUMBER.finditer(title):
        number = int(match.group(1))
        if number in outline.names:
            tally.add(HEADING, title, number, None, weights.domain_in_heading)
    if not tally.items:
        _add_terms(tally, normalize(title), outline, HEADING, weights.heading)
        # a heading names its subject: label its evidence with the heading, as a reader would cite it
        relabeled = Tally()
        for (kind, _label, domain, task), weight in tally.items.items():
            relabeled.add(kind, title, domain, task, weight)
        tally = relabeled
    return tally


def body_tally(section: Section, mentions: list[tuple[str, str]], outline: Outline, weights: Weights) -> Tally:
    """The evidence of a section's prose (terms) and of the services it names (``(key, spelling)``)."""
    tally = Tally()
    _add_terms(tally, normalize(prose_of(section.body)), outline, WORD, 1.0)
    for key, count in sorted(Counter(key for key, _ in mentions).items()):
        domains = outline.service_domains.get(key, ())
        if not domains:
            continue
        weight = weights.mention * (1 + math.log(count)) / len(domains)
        for number in domains:
            tally.add(MENTION, outline.service_names.get(key, key), number, None, weight)
    return tally


def context_tally(pins: tuple[int, ...], folders: list[FolderMatch], weights: Weights,
                  outline: Outline) -> Tally:
    """What the note as a whole says about each of its sections: front matter, then folders."""
    tally = Tally()
    for position, number in enumerate(pins):
        tally.add(FRONT_MATTER, outline.names[number], number, None, weights.section_front_matter / (1 + position))
    for match in folders:
        tally.add(FOLDER, match.folder, match.domain, None, weights.section_folder * match.strength)
    return tally


def task_scores(tally: Tally, outline: Outline) -> tuple[dict[str, float], set[str]]:
    """(score per task: its own evidence plus an even share of its domain's domain-wide evidence;
    the tasks with evidence of their own)."""
    scores, own_tasks, _ = _scores_and_totals(tally, outline)
    return scores, own_tasks


def _scores_and_totals(tally: Tally, outline: Outline) -> tuple[dict[str, float], set[str], dict[int, float]]:
    """``task_scores`` and ``Tally.domain_totals`` from one pass over the evidence."""
    own: dict[str, float] = {}
    wide: dict[int, float] = {}
    totals: dict[int, float] = {}
    total_of, wide_of, own_of = totals.get, wide.get, own.get
    for (_, _, domain, task), weight in tally.items.items():
        totals[domain] = total_of(domain, 0.0) + weight
        if task is None:
            wide[domain] = wide_of(domain, 0.0) + weight
        else:
            own[task] = own_of(task, 0.0) + weight
    scores = dict(own)
    for domain, weight in wide.items():
        tasks = outline.tasks_of[domain]
        for task in tasks:
            scores[task] = scores.get(task, 0.0) + weight / len(tasks)
    return {task: score for task, score in scores.items() if score > 0}, set(own), totals


def ranked(scores: dict, order: dict) -> list:  # noqa: ANN001 - domain numbers or task ids
    """Keys best first; ties broken by the outline's order (never by dict order). Evidence is summed in
    the order of the text, so the same note always gives the same sums."""
    return [key for _, _, key in sorted((-score, order[key], key) for key, score in scores.items())]


def decide_section(section: Section, tally: Tally, pinned: tuple[tuple[int, ...], tuple[str, ...]],
                   outline: Outline, weights: Weights) -> SectionAssignment:
    """Assigned domains and tasks of one section from all its evidence (own, inherited, context, pins)."""
    scores, own_tasks, totals = _scores_and_totals(tally, outline)
    task_ranking = ranked(scores, outline.task_order)
    pin_domains, pin_tasks = pinned
    if pin_domains or pin_tasks:
        domains = tuple(dict.fromkeys([*pin_domains, *(outline.task_domain[t] for t in pin_tasks)]))
        tasks = pin_tasks or _within(task_ranking, scores, own_tasks, domains, weights.task_margin, outline)
    else:
        order = ranked(totals, {n: n for n in totals})
        if not order or totals[order[0]] < weights.min_section:
            return SectionAssignment(section.anchor, _rounded(task_ranking, scores), (), ())
        best = totals[order[0]]
        domains = tuple(n for n in order if totals[n] >= weights.domain_margin * best)
        tasks = _within(task_ranking, scores, own_tasks, domains, weights.task_margin, outline)
    return SectionAssignment(section.anchor, _rounded(task_ranking, scores), tasks, domains, decided_by=tally)


def _rounded(ranking: list[str], scores: dict[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple((task, round(scores[task], 4)) for task in ranking)


def _within(ranking: list[str], scores: dict[str, float], own_tasks: set[str], domains: tuple[int, ...],
            margin: float, outline: Outline) -> tuple[str, ...]:
    """The best task with evidence of its own in ``domains``, and the others within ``margin`` of it."""
    candidates = [t for t in ranking if t in own_tasks and outline.task_domain[t] in domains]
    if not candidates:
        return ()
    best = scores[candidates[0]]
    return tuple(t for t in candidates if scores[t] >= margin * best)


def section_tallies(note: NoteInput, outline: Outline, names: FolderNames, folders: list[FolderMatch],
                    weights: Weights) -> list[tuple[Section, Tally, Tally, tuple[tuple[int, ...], tuple[str, ...]]]]:
    """Per section: (section, own evidence, evidence to decide it by, pins)."""
    by_anchor: dict[str, list[tuple[str, str]]] = {}
    for mention in note.mentions:
        by_anchor.setdefault(mention.section_anchor, []).append((mention.service_key, mention.text))
    context = context_tally(note.pins, folders, weights, outline)
    headings: dict[str, Tally] = {}  # anchor → heading evidence, with what it inherited
    found = []
    for section in note.sections:
        heading = heading_tally(section.title, outline, weights)
        own = body_tally(section, by_anchor.get(section.anchor, []), outline, weights)
        own.merge(heading)
        inherited = headings.get(section.parent) if section.parent is not None else None
        carried = heading
        if inherited is not None:
            carried = Tally(heading.items)
            carried.merge(inherited, weights.inherited)
        headings[section.anchor] = carried
        decide = Tally(own.items)
        if inherited is not None:
            decide.merge(inherited, weights.inherited)
        decide.merge(context)
        pins = section_pins(section.body, outline, names)
        for number in pins[0]:
            decide.add(PIN, outline.names[number], number, None, weights.pin)
        for task in pins[1]:
            decide.add(PIN, f"task {task}", outline.task_domain[task], task, weights.pin)
        found.append((section, own, decide, pins))
    return found
