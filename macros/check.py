"""Check stage: the one place that decides what is a problem worth reporting.

Returns ``Problem`` objects (file, line, message); the MkDocs adapter logs them so that
``mkdocs build --strict`` fails on any of them.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from .catalog import CatalogError
from .enrich import SiteIndex, Source, section_texts
from .model import Link, Note, Problem
from .paths import ATTACHMENT_DIR
from .scenarios import Scenario, normalize_text

ATTACHMENT_PREFIX = "@attachment/"


def check_notes(notes: Iterable[Note]) -> list[Problem]:
    """Problems found while loading and normalizing notes (front matter, encoding, titles)."""
    return [problem for note in notes for problem in note.problems]


def check_attachments(notes: Iterable[Note], links: Iterable[Link], present: set[str]) -> list[Problem]:
    """An ``@attachment/NAME`` reference whose file is not in the attachments folder."""
    sources = {note.slug: note.source for note in notes}
    problems = []
    for link in links:
        if link.url.startswith(ATTACHMENT_PREFIX):
            name = link.url[len(ATTACHMENT_PREFIX):]
            if name not in present:
                problems.append(Problem(sources[link.note_slug], link.line,
                                        f"attachment '{name}' is missing: put it in the notes' {ATTACHMENT_DIR}/ folder",
                                        "finding", "attachment"))
    return problems


def service_name_problems(note: Note, suspects: Iterable) -> list[Problem]:  # noqa: ANN001 - mentions.Suspect
    """The matcher's suspects in one note's body as problems with file and line."""
    problems = []
    for suspect in suspects:
        line = note.line_at(suspect.start)
        if suspect.kind == "misspelling":
            message = f"'{suspect.text}' looks like a misspelling of '{suspect.suggestion}'"
            hint = "fix the spelling, or add it to that service's misspellings in seeds/services.yml"
        else:
            message = f"'{suspect.text}' looks like an AWS service that is not in the glossary catalog"
            hint = "add it to seeds/services.yml"
        problems.append(Problem(note.source, line, f"{message}: {hint}", "error", "service"))
    return problems


def check_external_links(links: Iterable[Link], notes: Iterable[Note], statuses: dict) -> list[Problem]:  # noqa: ANN001
    """Broken external links (errors) and permanent redirects (findings), at every citing note and line."""
    sources = {note.slug: note.source for note in notes}
    problems = []
    for link in links:
        status = statuses.get(link.url)
        if status is None:
            continue
        if not status.ok:
            problems.append(Problem(sources[link.note_slug], link.line, f"broken link {link.url}: {status.error}", "error", "link"))
        elif status.permanent_redirect and status.final_url and status.final_url != link.url:
            problems.append(Problem(sources[link.note_slug], link.line,
                                    f"{link.url} moved permanently: use {status.final_url}", "finding", "link"))
    return problems


def load_accepted_findings(path: Path) -> list[dict[str, str]]:
    """Entries of ``accepted-findings.yml``: findings the maintainers looked at and accept (file, match, why)."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text("utf-8")) or []
    entries = data if isinstance(data, list) else []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not {"file", "match", "why"} <= set(entry):
            raise CatalogError(f"{path.name}: entry {number} needs 'file', 'match' and 'why'")
    return entries


def apply_accepted(problems: list[Problem], accepted: list[dict[str, str]]) -> list[Problem]:
    """Findings matched by an accepted entry become level 'accepted' (listed, not failing --strict)."""
    result = []
    for problem in problems:
        if problem.level == "finding" and any(
            entry["file"] == problem.file and entry["match"] in problem.message for entry in accepted
        ):
            problem = dataclasses.replace(problem, level="accepted")
        result.append(problem)
    return result


def check_internal_links(notes: Iterable[Note], links: Iterable[Link], index) -> list[Problem]:  # noqa: ANN001 - NoteIndex
    """Relative links, anchors and [[wikilinks]] that lead nowhere."""
    by_slug = {note.slug: note for note in notes}
    problems = []
    for link in links:
        note = by_slug.get(link.note_slug)
        if note is None or link.is_external or link.url.startswith(ATTACHMENT_PREFIX):
            continue
        target = index.resolve(note, link.url, link.wiki)
        if target is not None and target.kind == "missing":
            if link.wiki and link.is_image:  # ![[x.png]]: a missing attachment, as @attachment/x.png is
                problems.append(Problem(note.source, link.line, f"attachment '{link.url}' is missing: put it in the "
                                        f"notes' {ATTACHMENT_DIR}/ folder", "finding", "attachment"))
            else:
                problems.append(Problem(note.source, link.line, f"broken internal {target.message}", "error", "link"))
    return problems


def unsupported_scenario(scenario: Scenario, texts: Sequence[tuple[Source, str]], shown: str) -> Problem:
    missing = [p for p in scenario.evidence if not any(normalize_text(p) in text for _, text in texts)]
    if missing:
        why = "no note section contains " + ", ".join(repr(p) for p in missing)
    else:
        why = "each evidence phrase is in some note, but no single note section contains them all"
    return Problem(shown, scenario.line,
                   f"scenario '{scenario.scenario}' is not supported by the notes ({why}): "
                   "fix the evidence, or remove the pair; it is left off the cheat-sheet", "error", "evidence",
                   code="scenario/unsupported")


def check_scenarios(index: SiteIndex, notes: Iterable[Note], shown: str) -> list[Problem]:
    """Every pair of the scenarios file (``shown``) that no single note section supports."""
    texts = section_texts(notes) if index.unsupported_scenarios else []
    return [unsupported_scenario(scenario, texts, shown) for scenario in index.unsupported_scenarios]
