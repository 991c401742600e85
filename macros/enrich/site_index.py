"""Enrich stage, the per-build index: everything derived from all notes at once, built once by
``pipeline.build_site`` and read by the check and render stages (never recomputed per page, never kept
in module globals).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import ahocorasick

from ..model import Domain, Link, Note, Problem, Section, Service, Site
from ..paths import ATTACHMENT_DIR
from ..resources import Resource, collect_resources
from ..scenarios import Scenario
from .assets import AssetIndex
from .coverage import DomainCoverage, StatedProgress, TaskCoverage, domain_coverage, stated_progress, task_coverage
from .evidence import ConceptHit, SupportedScenario, find_concepts, resolve_scenarios
from .index import NoteIndex, backlinks
from .sections import group_by_domain, sections_for_domain
from .titles import listed_titles


@dataclass
class LinkFlags:
    """The link problems (``Problem.field == "link"``), and for each cited URL the indexes of those whose
    message names it: a resource's warnings on the Resources and domain pages."""

    by_url: dict[str, list[int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @cached_property
    def by_line(self) -> dict[str, dict[tuple[str, int], list[str]]]:
        """File → (cited URL, line) → the messages of the problems there: each note's page looks up its own,
        instead of walking every flagged URL once per note."""
        found: dict[str, dict[tuple[str, int], list[str]]] = {}
        for url, indexes in self.by_url.items():
            for i in indexes:
                problem = self.problems[i]
                if problem.line is not None:
                    found.setdefault(problem.file, {}).setdefault((url, problem.line), []).append(problem.message)
        return found


@dataclass
class SiteIndex:
    """Derived data of one build (see the module docstring). ``link_flags`` is filled after the check."""

    notes_by_slug: dict[str, Note]
    notes: NoteIndex  # titles, aliases, file names and paths → link targets
    backlinks: dict[str, list[Link]]  # note slug → links from other notes to it
    note_groups: list[tuple[Domain | None, list[Note]]]  # notes by primary domain (``group_by_domain``)
    domain_sections: dict[int, list[tuple[Note, Section]]]  # domain number → its note sections, in note order
    resources: list[Resource]
    mention_counts: Counter[str]  # service key → mentions in all notes
    domain_services: dict[int, list[tuple[Service, int]]]  # domain number → services for it, most mentioned first
    concepts: dict[int, list[ConceptHit]]  # domain number → its key concepts its sections mention
    scenarios: list[SupportedScenario]  # pairs of scenarios.yml the notes support
    unsupported_scenarios: list[Scenario]  # pairs no single note section supports (the check reports them)
    task_coverage: dict[str, TaskCoverage] = field(default_factory=dict)  # task id → its sections, strongest first
    coverage: list[DomainCoverage] = field(default_factory=list)  # per domain, in exam order
    stated_progress: list[StatedProgress] = field(default_factory=list)  # progress front matter states
    link_flags: LinkFlags = field(default_factory=LinkFlags)
    listed_titles: dict[str, str] = field(default_factory=dict)  # slug → title, with a subtitle where titles clash

    def title_of(self, note: Note) -> str:
        """How ``note`` is named where notes are listed (``titles.listed_titles``)."""
        return self.listed_titles.get(note.slug, note.title)
    referenced_assets: list[str] = field(default_factory=list)  # asset paths some note links or embeds (published)
    unreferenced_assets: list[str] = field(default_factory=list)  # the other asset files (not published)


def referenced_assets(links: Sequence[Link], index: NoteIndex, notes_by_slug: dict[str, Note]) -> list[str]:
    """The asset files the notes link or embed (paths relative to the notes folder), each once, in path order."""
    found: set[str] = set()
    for link in links:
        note = notes_by_slug.get(link.note_slug)
        if note is None or link.is_external:
            continue
        target = index.resolve(note, link.url, link.wiki)
        if target is not None and target.kind == "attachment":
            found.add(target.attachment)
    return sorted(found)


def build_site_index(site: Site, attachments: set[str], scenarios: Sequence[Scenario] = (),
                     assets: AssetIndex | None = None, shown_folder: str | None = None) -> SiteIndex:
    """The index of ``site`` (notes enriched, mentions found); ``attachments``: the names in the attachments folder;
    ``assets``: every asset file of the notes folder; ``shown_folder``: the notes folder as note sources show it."""
    note_index = NoteIndex(site.notes, site.notes_dir, attachments, assets, shown_folder)
    notes_by_slug = {note.slug: note for note in site.notes}
    referenced = set(referenced_assets(site.links, note_index, notes_by_slug))
    domain_sections = {domain.number: sections_for_domain(site.notes, domain) for domain in site.exam.domains}
    supported, unsupported = resolve_scenarios(scenarios, site.notes)
    tasks = task_coverage(site.notes, site.exam)
    return SiteIndex(
        notes_by_slug=notes_by_slug,
        notes=note_index,
        backlinks=backlinks(site.links, note_index, site.notes),
        note_groups=group_by_domain(site.notes, site.exam),
        domain_sections=domain_sections,
        resources=collect_resources(site.links, site.notes, site.catalog, site.exam),
        mention_counts=Counter(m.service_key for m in site.mentions),
        domain_services={domain.number: domain_services(site, domain, domain_sections[domain.number])
                         for domain in site.exam.domains},
        concepts={domain.number: find_concepts(domain, domain_sections[domain.number]) for domain in site.exam.domains},
        scenarios=supported,
        unsupported_scenarios=unsupported,
        task_coverage=tasks,
        coverage=domain_coverage(site.notes, site.exam, tasks),
        stated_progress=stated_progress(site.notes),
        listed_titles=listed_titles(site.notes),
        referenced_assets=sorted(referenced),
        unreferenced_assets=[path for path in note_index.assets.files
                             if path not in referenced and not path.startswith(f"{ATTACHMENT_DIR}/")],
    )


def domain_services(site: Site, domain: Domain, sections: list[tuple[Note, Section]]) -> list[tuple[Service, int]]:
    """Services that matter for a domain (catalog, or mentions in its ``sections``), most mentioned first."""
    if site.catalog is None:
        return []
    in_domain = {(note.slug, section.anchor) for note, section in sections}
    counts = Counter(m.service_key for m in site.mentions if (m.note_slug, m.section_anchor) in in_domain)
    services = [s for s in site.catalog.services if domain.number in s.domains_in(site.exam) or counts[s.key]]
    return sorted(((s, counts[s.key]) for s in services), key=lambda item: (-item[1], item[0].name.casefold()))


def link_flags(problems: Sequence[Problem], links: Sequence[Link]) -> LinkFlags:
    """The link problems and, per cited URL, which of them name it: each message is scanned once for every
    cited URL (one automaton), instead of every problem once per resource."""
    flagged = [p for p in problems if p.field == "link"]
    urls = {link.url for link in links if link.is_external and link.url}
    found: dict[str, list[int]] = {}
    if not flagged or not urls:
        return LinkFlags(found, flagged)
    automaton = ahocorasick.Automaton()
    for url in urls:
        automaton.add_word(url, url)
    automaton.make_automaton()
    for index, problem in enumerate(flagged):
        for _end, url in automaton.iter(problem.message):
            hits = found.setdefault(url, [])
            if not hits or hits[-1] != index:
                hits.append(index)
    return LinkFlags(found, flagged)
