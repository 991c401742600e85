"""A note's primary domain, the domains and tasks it speaks to, and the "why" line, from its sections.

The note's score for domain D is, strongest evidence first:
``note_front_matter × (front matter names D) + note_pins × (share of the note's evidence in sections
pinned to D) + note_folder × (strength of the folder naming D) + (share of the note's text evidence
that points at D)``. The text share is at most 1 and the folder weighs 1.2: the folder the author filed
a note in beats its words; front matter and pins beat both. Ties go to the lower domain number.
"""
from __future__ import annotations

from .folders import FolderMatch
from .results import FOLDER, FRONT_MATTER, HEADING, KINDS, MENTION, PIN, WORD, NoteAssignment, NoteInput, \
    SectionAssignment
from .score import Tally, Weights, heading_tally, ranked, task_scores
from .terms import Outline

MAX_WHY_ITEMS = 3  # per kind of evidence


def note_scores(note: NoteInput, sections: list[tuple[Tally, tuple[int, ...]]], folders: list[FolderMatch],
                outline: Outline, weights: Weights) -> tuple[dict[int, float], dict[int, float], Tally]:
    """(score per domain, share of the text evidence per domain, the note's evidence).

    ``sections`` are (own evidence, pinned domains) per section: a pinned section's evidence counts for
    the domains it pins, whatever its words point at."""
    text = Tally()
    if note.title and not any(section.title.casefold() == note.title.casefold() for section in note.sections):
        text.merge(heading_tally(note.title, outline, weights))  # a title no heading repeats (a note without H1)
    pinned_mass: dict[int, float] = {}
    for own, pins in sections:
        if pins:
            mass = max(sum(own.items.values()), 1.0) / len(pins)
            for number in pins:
                pinned_mass[number] = pinned_mass.get(number, 0.0) + mass
                text.add(PIN, outline.names[number], number, None, mass)
        else:
            text.merge(own)
    by_domain = text.domain_totals()
    total = sum(by_domain.values())
    shares = {n: w / total for n, w in by_domain.items()} if total >= weights.min_section else {}
    scores: dict[int, float] = {n: s for n, s in shares.items()}
    all_mass = total or 1.0
    for number, mass in pinned_mass.items():
        scores[number] = scores.get(number, 0.0) + weights.note_pins * mass / all_mass
    for position, number in enumerate(note.pins):
        scores[number] = scores.get(number, 0.0) + weights.note_front_matter / (1 + position)
        text.add(FRONT_MATTER, outline.names[number], number, None, weights.note_front_matter / (1 + position))
    for match in folders:
        scores[match.domain] = scores.get(match.domain, 0.0) + weights.note_folder * match.strength
        text.add(FOLDER, match.folder, match.domain, None, weights.note_folder * match.strength)
    return {n: round(s, 6) for n, s in scores.items() if s > 0}, shares, text


def decide_note(note: NoteInput, sections: tuple[SectionAssignment, ...], scores: dict[int, float],
                shares: dict[int, float], evidence: Tally, outline: Outline, weights: Weights) -> NoteAssignment:
    order = ranked(scores, {n: n for n in scores})
    primary = order[0] if order else None
    # the author's own filing (folder, front matter, pins) always counts as a domain the note speaks to
    strong = {domain for (kind, _, domain, _) in evidence.items if kind in (FOLDER, FRONT_MATTER, PIN)}
    domains = tuple(n for n in order if n == primary or n in strong or shares.get(n, 0.0) >= weights.speaks_share)
    tasks_scored, _ = task_scores(_task_evidence(evidence), outline)
    candidates = [t for t in ranked(tasks_scored, outline.task_order) if outline.task_domain[t] in domains]
    tasks: tuple[str, ...] = ()
    if candidates:
        best = tasks_scored[candidates[0]]
        tasks = tuple(t for t in candidates if tasks_scored[t] >= weights.note_task_margin * best)
        tasks = tasks[:weights.max_note_tasks]
    return NoteAssignment(note.path, primary, domains, tasks, tuple((n, scores[n]) for n in order),
                          why_line(evidence, primary), sections)


def _task_evidence(evidence: Tally) -> Tally:
    """The note's evidence that names tasks (words, headings, task pins): what its tasks are ranked by."""
    tally = Tally()
    for (kind, label, domain, task), weight in evidence.items.items():
        if task is not None:
            tally.add(kind, label, domain, task, weight)
    return tally


def why_line(evidence: Tally, primary: int | None) -> str:
    """"folder 01-data-engineering; mentions Kinesis Data Streams, Firehose; words: ingestion, stream":
    the evidence for the primary domain, by kind (strongest kind first), at most three items each."""
    if primary is None:
        return "no evidence for any domain"
    by_kind: dict[str, dict[str, float]] = {kind: {} for kind in KINDS}
    for (kind, label, domain, _task), weight in evidence.items.items():
        if domain == primary and weight > 0:
            by_kind[kind][label] = by_kind[kind].get(label, 0.0) + weight
    # a word that is (part of) a service named is said once, as the service
    named = " | ".join(label.casefold() for label in by_kind[MENTION])
    by_kind[WORD] = {label: w for label, w in by_kind[WORD].items() if label.casefold() not in named}
    parts = []
    for kind, prefix in ((PIN, "pinned: "), (FRONT_MATTER, "front matter: "), (FOLDER, "folder "),
                         (HEADING, "headings: "), (MENTION, "mentions "), (WORD, "words: ")):
        labels = sorted(by_kind[kind], key=lambda label: (-round(by_kind[kind][label], 6), label))[:MAX_WHY_ITEMS]
        if labels:
            parts.append(prefix + ", ".join(labels))
    return "; ".join(parts)
