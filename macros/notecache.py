"""Per-note memo of the pipeline's per-file work, so ``mkdocs serve`` redoes only the notes that changed.

``analyze_notes`` runs, for every note file, load → normalize → sections → links → mentions →
service-name problems → its place in the exam outline (``assign``: depends on the note, its folder and the
outline only), and remembers the result (a ``NoteWork``) under the file's path. The
result is reused while its key is unchanged: the path as shown, the SHA-1 of the file's bytes,
the slug the folder gives the note (a clash with another file changes it), and a fingerprint of
what every note depends on (``exams/<code>.yml`` and ``services.yml`` bytes, the notes folder). The cross-note steps
(internal-link and resource checks, backlinks, domain grouping, rendering) are not memoized:
they rerun on every build and are linear in the number of notes.

A reused ``Note`` is the same object as in the previous build, so later stages treat notes as
read-only; the pipeline sets the one per-build field (``Note.changed``) afresh every build.
The memo lives as long as the process: one ``mkdocs build`` fills it once; ``mkdocs serve``
keeps it between rebuilds (MkDocs reloads hooks.py, but ``macros`` stays imported).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from . import assign, check, enrich, load, normalize
from .model import Exam, Link, Mention, Note, Problem

T = TypeVar("T")


@dataclass
class NoteWork:
    """Everything the pipeline derives from one note file alone."""

    path: Path  # the file as found in the notes folder
    note: Note  # sections filled
    links: list[Link] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    service_problems: list[Problem] = field(default_factory=list)  # suspects: unknown services, misspellings
    scan: tuple[list[Any], list[int]] | None = None  # (mentions.Found list, heading offsets) of note.body


class NoteCache:
    """The memo: path → (key, work), with hit and miss counters (tests and the benchmark read them)."""

    def __init__(self) -> None:
        self.entries: dict[Path, tuple[tuple[Any, ...], NoteWork]] = {}
        self.inputs: dict[tuple[Any, ...], tuple[str, Any]] = {}  # (file, what) -> (digest, object built from it)
        self.hits = 0
        self.misses = 0

    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses, "size": len(self.entries)}

    def clear(self) -> None:
        self.entries.clear()
        self.inputs.clear()
        self.hits = self.misses = 0


CACHE = NoteCache()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None  # never memoized; the stage that reads it reports why it cannot be read


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha1(data).hexdigest() if data is not None else None  # noqa: S324 - a cache key, not security


def file_digest(path: Path) -> str | None:
    """SHA-1 of a file's bytes, or None when it cannot be read (such a file is never memoized)."""
    return _digest(_read(path))


def by_content(path: Path, build: Callable[[], T], *extra: Any) -> T:
    """``build()``, memoized by the bytes of ``path`` (plus ``extra``): the catalog files between rebuilds.

    An unreadable file is not memoized, so ``build`` reports it the way it always does.
    """
    digest = file_digest(path)
    if digest is None:
        return build()
    slot = (str(path), *extra)
    known = CACHE.inputs.get(slot)
    if known is None or known[0] != digest:
        known = CACHE.inputs[slot] = (digest, build())
    return known[1]


def analyze_note(path: Path, shown: str, exam: Exam, matcher, taken_slugs: set[str],  # noqa: ANN001
                 data: bytes | None = None, notes_dir: Path | None = None, outline: assign.Outline | None = None,
                 inside: str = "", shared: frozenset[str] = frozenset()) -> NoteWork:
    """Load, normalize and enrich one note file (no cache); ``data``: its bytes, if already read; ``notes_dir``: the
    notes folder nothing may be read outside of. With an ``outline``, the note is placed in it (``inside``: its path
    in the notes folder, whose names are evidence); ``shared``: file names several notes share (their slugs)."""
    note = normalize.normalize_note(load.load_note(path, shown, data, notes_dir), exam, taken_slugs, shared)
    work = NoteWork(path, note, enrich.enrich_note(note, exam))
    if matcher is not None and note.dialect != "broken":
        found, suspects, headings = matcher.find_and_suspects(normalize.note_markdown(note))
        work.scan = (found, headings)
        work.mentions = enrich.note_mentions(note, found)
        work.service_problems = check.service_name_problems(note, suspects)
    if outline is not None:
        placed = assign.assign_note(assign.NoteInput(inside or path.name, note.title, note.domains, note.sections,
                                                     tuple(work.mentions)), outline)
        assign.place_note(note, placed)
    return work


def analyze_notes(notes_dir: Path, root: Path, exam: Exam, matcher, context: tuple[Any, ...],  # noqa: ANN001
                  outline: assign.Outline | None = None, files: list[Path] | None = None) -> list[NoteWork]:
    """Every note of ``notes_dir`` (or ``files``, its notes found already) in folder order, reusing the memo for
    files whose key is unchanged.

    ``context`` fingerprints what every note depends on besides its own bytes (catalog files, the exam);
    ``outline``: the exam's compiled outline every note is placed in.
    """
    resolved_root = root.resolve()
    resolved_notes = notes_dir.resolve()
    taken: set[str] = set()
    found: list[NoteWork] = []
    resolved_dirs: dict[Path, Path] = {}
    paths = load.find_note_files(notes_dir) if files is None else files
    shared = normalize.shared_names(paths)
    for path in paths:
        shown = load.shown_path(path, resolved_root, resolved_dirs)
        # The slug depends on the notes before this one (a.md beside a.txt): decided here, part of the key.
        slug = normalize.note_slug(path, taken, shared)
        try:
            # Read once: for the key, and by load_note on a miss.
            data: bytes | None = load.read_inside(path, resolved_notes, resolved_dirs)
        except OSError:
            data = None  # not memoized; load_note tries again and says why it cannot (or must not) be read
        digest = _digest(data)
        key = (shown, digest, slug, context, str(notes_dir))
        entry = CACHE.entries.get(path)
        if digest is not None and entry is not None and entry[0] == key:
            CACHE.hits += 1
            found.append(entry[1])
            continue
        CACHE.misses += 1
        taken.discard(slug)  # normalize_note takes the slug again, from the same state: the same slug
        work = analyze_note(path, shown, exam, matcher, taken, data, resolved_notes, outline,
                            path.relative_to(notes_dir).as_posix(), shared)
        if digest is not None:
            CACHE.entries[path] = (key, work)
        found.append(work)
    # Only this folder's notes stay: memory stays bounded by one folder, however many folders a process builds.
    current = {work.path for work in found}
    for stale in [path for path in CACHE.entries if path not in current]:
        del CACHE.entries[stale]
    return found
