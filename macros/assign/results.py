"""What assignment reads (``NoteInput``) and what it returns (``SectionAssignment``, ``NoteAssignment``).

Frozen dataclasses only, so a result can be cached, compared and shared between pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from macros.model import Mention, Section

# Evidence kinds, strongest first (the order a "why" line lists them in).
PIN = "pin"  # <!-- domain: N --> or <!-- task: N.M --> in a section
FRONT_MATTER = "front matter"  # the note's `domains:` field
FOLDER = "folder"  # a folder the author filed the note in
HEADING = "heading"  # a heading names a domain, keyword or task phrase
MENTION = "mention"  # a service of the catalog is named (its domains)
WORD = "word"  # a task phrase, domain keyword or concept in the prose
KINDS = (PIN, FRONT_MATTER, FOLDER, HEADING, MENTION, WORD)


@dataclass(frozen=True)
class NoteInput:
    """One note as assignment needs it; ``note_input`` builds it from the model."""

    path: str  # source path relative to the notes folder, "/"-separated ("01-data-engineering/kinesis.md")
    title: str
    pins: tuple[int, ...] = ()  # front-matter `domains`, in the author's order
    sections: tuple[Section, ...] = ()
    mentions: tuple[Mention, ...] = ()  # services named in the note; ``section_anchor`` places each

    @property
    def folders(self) -> tuple[str, ...]:
        return tuple(part for part in self.path.split("/")[:-1] if part)


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: what was seen (``label``), what it points at, and how much it weighed."""

    kind: str  # one of KINDS
    label: str  # as a reader would name it: "01-data-engineering", "Kinesis Data Streams", "ingestion"
    domain: int
    task: str | None  # None: evidence for the domain as a whole
    weight: float


@dataclass(frozen=True)
class SectionAssignment:
    """Where one section of a note belongs; empty ``domains`` when nothing pointed anywhere."""

    anchor: str
    task_scores: tuple[tuple[str, float], ...]  # (task id, score), best first; only tasks with a score
    tasks: tuple[str, ...]  # the best task, plus others within the margin
    domains: tuple[int, ...]  # strongest first
    decided_by: Any = field(default=None, repr=False, compare=False)  # score.Tally: all the evidence weighed

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """What decided it: the evidence for ``domains``, heaviest first. Picked when asked (no page shows a
        section's evidence yet; picking it for every section was a tenth of the assignment's time)."""
        return self.decided_by.evidence(self.domains) if self.decided_by is not None and self.domains else ()


@dataclass(frozen=True)
class NoteAssignment:
    """Where one note belongs: ``primary`` files it in the navigation (None: no evidence at all)."""

    path: str
    primary: int | None
    domains: tuple[int, ...]  # every domain it speaks to, strongest first (``primary`` first)
    tasks: tuple[str, ...]  # main task statements, strongest first
    scores: tuple[tuple[int, float], ...]  # (domain, note score), best first
    why: str  # "folder 01-data-engineering; mentions Kinesis Data Streams, Firehose; words: ingestion, stream"
    sections: tuple[SectionAssignment, ...]
