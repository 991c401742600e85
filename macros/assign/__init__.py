"""Every note lands in its exam domain and task statement, explained.

Pure functions, no I/O, no MkDocs. Evidence, strongest first, combined in one score per (section, task
statement): pins in a section (``<!-- domain: 2 -->``, ``<!-- task: 2.1 -->``), the note's front-matter
``domains``, the folder it is filed in, its headings, and its text (outline phrases, domain concepts,
the services it names). See ``score`` (sections), ``note`` (the note), ``terms`` (the outline's
vocabulary) and ``folders`` (folder names).

    outline = outline_for(site.exam, site.catalog)          # once per exam, reused
    result = assign_note(note_input(note, mentions, notes_dir), outline)
    result.primary, result.domains, result.tasks, result.why, result.sections
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import PurePosixPath

from macros.model import Catalog, Exam, Mention, Note, Placement

from .folders import FolderNames, folder_evidence
from .note import decide_note, note_scores
from .results import Evidence, NoteAssignment, NoteInput, SectionAssignment
from .score import WEIGHTS, Weights, decide_section, section_tallies
from .terms import Outline, compile_outline, outline_for

__all__ = ["WEIGHTS", "Evidence", "NoteAssignment", "NoteInput", "Outline", "SectionAssignment", "Weights",
           "assign_note", "assign_notes", "compile_outline", "note_input", "outline_for", "place_note", "relative_path"]

_FOLDER_NAMES: dict[int, tuple[Exam, FolderNames]] = {}


def _folder_names(outline: Outline) -> FolderNames:
    cached = _FOLDER_NAMES.get(id(outline))
    if cached is None or cached[0] is not outline.exam:
        if len(_FOLDER_NAMES) >= 8:
            _FOLDER_NAMES.clear()
        cached = _FOLDER_NAMES[id(outline)] = (outline.exam, FolderNames(outline.exam))
    return cached[1]


def assign_note(note: NoteInput, outline: Outline, weights: Weights = WEIGHTS) -> NoteAssignment:
    """Where one note belongs (its sections, its primary domain, the others, its tasks) and why."""
    names = _folder_names(outline)
    folders = folder_evidence(note.folders, names)
    found = section_tallies(note, outline, names, folders, weights)
    sections = tuple(decide_section(section, decide, pins, outline, weights) for section, _, decide, pins in found)
    pinned = [(own, tuple(dict.fromkeys([*pins[0], *(outline.task_domain[t] for t in pins[1])])))
              for _, own, _, pins in found]
    scores, shares, evidence = note_scores(note, pinned, folders, outline, weights)
    return decide_note(note, sections, scores, shares, evidence, outline, weights)


def relative_path(source: str, notes_dir: str, root: str = "") -> str:
    """A note's path inside the notes folder ("01-data-engineering/kinesis.md"), from ``Note.source``
    (relative to the project ``root``, or absolute); its file name alone when it is outside the folder."""
    path = PurePosixPath(source.replace("\\", "/"))
    folder = PurePosixPath(notes_dir.replace("\\", "/"))
    candidates = [folder]
    if root and not folder.is_absolute():
        candidates.append(PurePosixPath(root.replace("\\", "/")) / folder)
    if root and folder.is_absolute():
        try:
            candidates.append(folder.relative_to(PurePosixPath(root.replace("\\", "/"))))
        except ValueError:
            pass
    for base in candidates:
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.name


def note_input(note: Note, mentions: Iterable[Mention], notes_dir: str, root: str = "") -> NoteInput:
    """What ``assign_note`` reads, from a note of the model and the mentions of the site (any notes')."""
    return NoteInput(path=relative_path(note.source, notes_dir, root), title=note.title, pins=note.domains,
                     sections=note.sections, mentions=tuple(m for m in mentions if m.note_slug == note.slug))


def assign_notes(notes: Iterable[Note], mentions: Iterable[Mention], exam: Exam, catalog: Catalog | None,
                 notes_dir: str, root: str = "") -> dict[str, NoteAssignment]:
    """Note slug → its assignment, for every note of a site (broken notes have no sections: no evidence
    but their front matter and folder)."""
    outline = outline_for(exam, catalog)
    by_note: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_note.setdefault(mention.note_slug, []).append(mention)
    return {note.slug: assign_note(note_input(note, by_note.get(note.slug, ()), notes_dir, root), outline)
            for note in notes}


def place_note(note: Note, result: NoteAssignment) -> None:
    """Put an assignment on its note: ``Note.placement``, and each section's domains, tasks and task scores."""
    by_anchor = {section.anchor: section for section in result.sections}
    note.sections = tuple(
        dataclasses.replace(section, domains=found.domains, tasks=found.tasks, task_scores=found.task_scores)
        if (found := by_anchor.get(section.anchor)) is not None else section
        for section in note.sections)
    note.placement = Placement(result.path, result.primary, result.domains, result.tasks, result.why)
