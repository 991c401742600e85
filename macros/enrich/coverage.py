"""Enrich stage, coverage: which task statements of the outline the notes cover (sections assigned to them,
strongest first), each domain's share of covered tasks, and the author's own progress (checklists in the
domain's sections, and progress stated in front matter such as ``progress_percentage: 35``).

Reads the assignment the pipeline put on the sections (``Section.tasks``, ``Section.task_scores``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Domain, Exam, Note, Section, Task

# A task-list item of Python-Markdown's tasklist extension: "- [x] done", "* [ ] to do".
_CHECKBOX = re.compile(r"^\s*[-*+]\s+\[([ xX])\]\s", re.M)
# Front-matter keys that state how far the author is ("progress_percentage", "progress", "percent_complete").
_PROGRESS_KEY = re.compile(r"progress|percent|complete", re.I)


@dataclass(frozen=True)
class TaskCoverage:
    task: Task
    domain: int
    sections: tuple[tuple[Note, Section], ...]  # every section assigned to the task, strongest first

    @property
    def covered(self) -> bool:
        return bool(self.sections)


@dataclass(frozen=True)
class Checklist:
    done: int = 0
    open: int = 0

    @property
    def total(self) -> int:
        return self.done + self.open


@dataclass(frozen=True)
class DomainCoverage:
    domain: Domain
    tasks: tuple[TaskCoverage, ...]  # in outline order
    notes: int  # notes with a section on the domain
    checklist: Checklist  # checkboxes in the sections whose strongest domain this is

    @property
    def covered(self) -> int:
        return sum(task.covered for task in self.tasks)

    @property
    def share(self) -> float:
        return self.covered / len(self.tasks) if self.tasks else 0.0


@dataclass(frozen=True)
class StatedProgress:
    note: Note
    key: str  # as the front matter spells it
    percent: float


def task_coverage(notes: Sequence[Note], exam: Exam) -> dict[str, TaskCoverage]:
    """Task id → the sections assigned to it, strongest first (ties in note order)."""
    found: dict[str, list[tuple[Note, Section]]] = {t.id: [] for d in exam.domains for t in d.tasks}
    for note in notes:
        for section in note.sections:
            for task in section.tasks:
                if task in found:
                    found[task].append((note, section))
    return {task.id: TaskCoverage(task, domain.number, tuple(sorted(
        found[task.id], key=lambda item, t=task.id: -item[1].strength(task=t))))
        for domain in exam.domains for task in domain.tasks}


def checklist(sections: Iterable[Section]) -> Checklist:
    done = total = 0
    for section in sections:
        if "[" not in section.body:
            continue
        for mark in _CHECKBOX.findall(section.body):
            total += 1
            done += mark != " "
    return Checklist(done, total - done)


def domain_coverage(notes: Sequence[Note], exam: Exam, tasks: dict[str, TaskCoverage]) -> list[DomainCoverage]:
    """Per domain: its tasks' coverage, how many notes speak to it, and the checkboxes of its sections."""
    found = []
    for domain in exam.domains:
        speaking = {note.slug for note in notes for s in note.sections if domain.number in s.domains}
        own = [s for note in notes for s in note.sections if s.domains[:1] == (domain.number,)]
        found.append(DomainCoverage(domain, tuple(tasks[t.id] for t in domain.tasks), len(speaking), checklist(own)))
    return found


def stated_progress(notes: Iterable[Note]) -> list[StatedProgress]:
    """Progress an author states in front matter (a number from 0 to 100 under a key naming progress)."""
    found = []
    for note in notes:
        for key, value in note.extra.items():
            if _PROGRESS_KEY.search(str(key)) and isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and 0 <= value <= 100:
                found.append(StatedProgress(note, str(key), float(value)))
    return found
