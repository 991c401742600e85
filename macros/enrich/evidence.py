"""Enrich stage, evidence: which note sections support each scenario pair of ``scenarios.yml`` (every
evidence phrase in one section), which of a domain's key concepts its sections mention, and sentences
that read like a pair (suggestions for contributors). Used by the cheat-sheets and their checks.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Domain, Note, Section, Site
from ..scenarios import Scenario, normalize_text


@dataclass(frozen=True)
class Source:
    """A note section that supports a pair or mentions a concept."""

    note: Note
    section: Section

    @property
    def target(self) -> str:
        return f"{self.note.page_path}#{self.section.anchor}"


@dataclass(frozen=True)
class SupportedScenario:
    scenario: Scenario
    sources: tuple[Source, ...]  # sections of the pair's domain first, then note order


@dataclass(frozen=True)
class ConceptHit:
    concept: str  # as written in the outline (seeds/exams/<code>.yml)
    sources: tuple[Source, ...]  # the domain's sections that mention it, in note order


def section_texts(notes: Iterable[Note]) -> list[tuple[Source, str]]:
    return [(Source(note, section), _section_text(section))
            for note in notes if note.dialect != "broken" for section in note.sections]


@functools.lru_cache(maxsize=1 << 16)
def _section_text(section: Section) -> str:
    """A section's normalized text, by value: the check stage, every sheet and the next build under
    ``mkdocs serve`` (unchanged sections) ask for the same sections."""
    return normalize_text(f"{section.title}\n{section.body}")


def find_evidence(scenario: Scenario, texts: Sequence[tuple[Source, str]]) -> tuple[Source, ...]:
    """Note sections containing every evidence phrase: the pair's domain first, then note order."""
    phrases = [normalize_text(p) for p in scenario.evidence]
    found = [source for source, text in texts if all(p in text for p in phrases)]
    return tuple(sorted(found, key=lambda s: scenario.domain not in s.section.domains))


def resolve_scenarios(pairs: Sequence[Scenario], notes: Iterable[Note]) -> tuple[list[SupportedScenario], list[Scenario]]:
    """Pairs the notes support (with their sections), and the pairs no single note section supports."""
    texts = section_texts(notes) if pairs else []  # no pairs (no scenarios file): no text to search
    supported, unsupported = [], []
    for scenario in pairs:
        sources = find_evidence(scenario, texts)
        if sources and scenario.choices:  # a predecessor's pair: the served domain its best section speaks to
            spoken = [d for source in sources for d in source.section.domains]
            chosen = next((d for d in spoken if d in scenario.choices), scenario.choices[0])
            scenario = dataclasses.replace(scenario, domain=chosen)
            sources = tuple(sorted(sources, key=lambda s: chosen not in s.section.domains))
        if sources:
            supported.append(SupportedScenario(scenario, sources))
        else:
            unsupported.append(scenario)
    return supported, unsupported


@functools.lru_cache(maxsize=4096)
def concept_pattern(concept: str) -> re.Pattern[str]:
    """Whole words, any case, hyphen or space between words; an ending "s", "es", "ed" or "ing" allowed."""
    words = [re.escape(w) for w in re.split(r"[\s\-]+", normalize_text(concept)) if w]
    return re.compile(r"(?<![\w-])" + r"[\s\-]+".join(words) + r"(?:s|es|ed|ing)?(?![\w-])")


@functools.lru_cache(maxsize=4096)
def _concept_words(concept: str) -> tuple[str, ...]:
    """The concept's words, longest first: a substring test for each skips most texts before the pattern runs."""
    return tuple(sorted((w for w in re.split(r"[\s\-]+", normalize_text(concept)) if w), key=len, reverse=True))


@functools.lru_cache(maxsize=1 << 17)  # a section is asked once per domain it speaks to
def section_concepts(section: Section, concepts: tuple[str, ...]) -> frozenset[str]:
    """Which of ``concepts`` a section mentions. By value, like ``_section_text``: under ``mkdocs serve`` a
    rebuild asks again only for the sections that changed."""
    text = _section_text(section)
    return frozenset(concept for concept in concepts
                     if all(word in text for word in _concept_words(concept)) and concept_pattern(concept).search(text))


def find_concepts(domain: Domain, sections: Iterable[tuple[Note, Section]]) -> list[ConceptHit]:
    """The domain's concepts that a note section *of that domain* (``sections``) mentions, in ``concepts:``
    order. Asked once per build and domain (``SiteIndex.concepts``): linear in the notes."""
    concepts = tuple(domain.concepts)
    by_concept: dict[str, list[Source]] = {}
    for note, section in sections:
        for concept in section_concepts(section, concepts):
            by_concept.setdefault(concept, []).append(Source(note, section))
    return [ConceptHit(concept, tuple(by_concept[concept])) for concept in concepts if concept in by_concept]


# Phrases after which the notes name the answer to a scenario. Used only to *suggest* pairs to
# contributors: the notes' prose is too varied for the sheets to trust it unreviewed.
_CUES = re.compile(r"\b(optimal solution|can be (?:achieved|accomplished|streamlined|handled|mitigated|addressed)"
                   r"|is achievable with|particularly suited for|often indicates?|an excellent use case"
                   r"|offers a cost-effective solution|enables? efficient)\b", re.I)


@dataclass(frozen=True)
class Suggestion:
    file: str
    line: int
    sentence: str


def suggest_scenarios(site: Site, scenarios: Sequence[SupportedScenario] = ()) -> list[Suggestion]:
    """Sentences that read like "scenario → answer" and that no supported pair cites."""
    cited = {normalize_text(p) for pair in scenarios for p in pair.scenario.evidence}
    found = []
    for note in site.notes:
        if note.dialect == "broken":
            continue
        for match in re.finditer(r"[^.!?\n]*[.!?]", note.body):
            sentence = " ".join(match.group(0).split())
            if not _CUES.search(sentence):
                continue
            folded = normalize_text(sentence)
            if any(phrase in folded for phrase in cited):
                continue
            found.append(Suggestion(note.source, note.line_at(match.start() + len(match.group(0)) - len(match.group(0).lstrip())), sentence))
    return found
