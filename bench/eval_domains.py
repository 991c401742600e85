"""How well does the guide file notes under their exam domain? Measured on a labeled evaluation set.

    /work/main/.venv/bin/python bench/eval_domains.py                    # tests/fixtures/domain-eval
    /work/main/.venv/bin/python bench/eval_domains.py --notes DIR --labels DIR/labels.yml

The set's ``labels.yml`` maps each note's path (relative to the notes folder) to its true primary
``domain``, all the ``domains`` it speaks to and its main ``tasks``. The site model is built with
``macros.pipeline.build_site`` twice:

* **with folders**: the notes folder as its author filed it (folder names such as ``domain-4/`` may
  carry the answer);
* **flattened**: every note copied into one temporary folder without subfolders (file names kept,
  made unique where two folders hold the same name), so only the notes' own text can decide.

For each it prints the share of notes whose primary domain is right, the share whose assigned
domains overlap the labeled ones, the share whose labeled main task is among the assigned tasks, a
per-domain table, and every misassigned note. It asserts nothing:
it is a measurement (``tests/test_assign.py`` holds the floor: 95 % with folders, 85 % flattened).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import assign, pipeline  # noqa: E402 - the project root must be importable first
from macros.model import Note, Site  # noqa: E402

DEFAULT_NOTES = ROOT / "tests" / "fixtures" / "domain-eval"


def model_domains(note: Note, site: Site) -> tuple[int | None, frozenset[int], tuple[str, ...]]:
    """The guide's answer for one note: its primary domain, every domain it assigns the note to, and its
    main task statements. The one place to change when domain assignment moves to another function or field."""
    outline = assign.outline_for(site.exam, site.catalog)
    mentions = [m for m in site.mentions if m.note_slug == note.slug]
    result = assign.assign_note(assign.note_input(note, mentions, site.notes_dir, str(ROOT)), outline)
    return result.primary, frozenset(result.domains), result.tasks


@dataclass(frozen=True)
class Label:
    domain: int
    domains: frozenset[int]
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    path: str  # as labeled, relative to the evaluation folder
    label: Label
    primary: int | None
    assigned: frozenset[int]
    tasks: tuple[str, ...] = ()

    @property
    def main_task_found(self) -> bool:
        return bool(self.label.tasks) and self.label.tasks[0] in self.tasks

    @property
    def primary_right(self) -> bool:
        return self.primary == self.label.domain

    @property
    def overlaps(self) -> bool:
        return bool(self.assigned & self.label.domains)


def load_labels(path: Path) -> dict[str, Label]:
    """``labels.yml`` → {note path: Label}."""
    raw = yaml.safe_load(path.read_text("utf-8")) or {}
    labels = {}
    for note_path, entry in raw.items():
        domains = entry.get("domains") or [entry["domain"]]
        labels[str(note_path)] = Label(int(entry["domain"]), frozenset(int(d) for d in domains),
                                       tuple(str(t) for t in entry.get("tasks") or ()))
    return labels


def flatten(notes_dir: Path, paths: list[str], target: Path) -> dict[str, str]:
    """Copy the labeled notes into ``target`` without subfolders; {flat name: labeled path}."""
    names: dict[str, str] = {}
    for path in sorted(paths):
        name = Path(path).name
        if name in names:  # same file name in two folders: prefix the folder, as a person would
            name = f"{Path(path).parent.name} - {name}"
        names[name] = path
        shutil.copy2(notes_dir / path, target / name)
    return names


def evaluate(notes_dir: Path, labels: dict[str, Label], rename: Callable[[str], str] = lambda p: p) -> list[Outcome]:
    """Build the site for ``notes_dir`` and compare each labeled note's domains with its label.
    ``rename`` maps a note's path in ``notes_dir`` back to its labeled path."""
    site = pipeline.build_site(ROOT, notes_dir)
    folder = notes_dir.resolve()
    found: dict[str, Note] = {}
    for note in site.notes:
        source = Path(note.source) if Path(note.source).is_absolute() else ROOT / note.source
        found[rename(source.resolve().relative_to(folder).as_posix())] = note
    outcomes = []
    for path, label in sorted(labels.items()):
        note = found.get(path)
        primary, assigned, tasks = model_domains(note, site) if note is not None else (None, frozenset(), ())
        outcomes.append(Outcome(path, label, primary, assigned, tasks))
    missing = sorted(set(labels) - set(found))
    if missing:
        print(f"  not in the site model (counted as wrong): {', '.join(missing)}")
    return outcomes


def share(count: int, total: int) -> str:
    return f"{count}/{total} ({100 * count / total:.0f} %)" if total else "0/0"


def report(title: str, outcomes: list[Outcome]) -> None:
    """Accuracy overall and per labeled domain, then every note whose primary domain is wrong."""
    print(f"\n## {title}\n")
    print(f"{'domain':<8} {'notes':>5}  {'primary right':<16} {'any-domain overlap':<19} main task found")
    for number in [*sorted({o.label.domain for o in outcomes}), None]:
        group = [o for o in outcomes if number is None or o.label.domain == number]
        print(f"{'all' if number is None else number:<8} {len(group):>5}  "
              f"{share(sum(o.primary_right for o in group), len(group)):<16} "
              f"{share(sum(o.overlaps for o in group), len(group)):<19} "
              f"{share(sum(o.main_task_found for o in group), len(group))}")
    wrong = [o for o in outcomes if not o.primary_right]
    if wrong:
        print(f"\nMisassigned ({len(wrong)}): labeled primary → model primary [model's domains]")
        for o in wrong:
            shown = ", ".join(str(d) for d in sorted(o.assigned)) or "none"
            print(f"  {o.label.domain} → {o.primary if o.primary is not None else '-'} [{shown}]  {o.path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=Path, default=DEFAULT_NOTES, help="labeled notes folder")
    parser.add_argument("--labels", type=Path, help="labels file (default: NOTES/labels.yml)")
    args = parser.parse_args(argv)
    notes_dir = args.notes.resolve()
    labels = load_labels(args.labels or notes_dir / "labels.yml")
    print(f"# Domain assignment on {len(labels)} labeled notes of {notes_dir}")
    report("With the author's folders", evaluate(notes_dir, labels))
    with tempfile.TemporaryDirectory(prefix="domain-eval-flat-") as temp:
        names = flatten(notes_dir, list(labels), Path(temp))
        report("Folders flattened away", evaluate(Path(temp), labels, lambda flat: names.get(flat, flat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
