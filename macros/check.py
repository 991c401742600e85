"""Check stage: the one place that decides what is a problem worth reporting.

Returns ``Problem`` objects (file, line, message); the MkDocs adapter logs them so that
``mkdocs build --strict`` fails on any of them.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path


from .catalog import CatalogError, _Entry, _read_yaml
from .codes import FINDING_CODES
from .enrich import NoteIndex, SiteIndex, Source, section_texts
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
                                        "finding", "attachment", code="attachment/missing"))
    return problems


def service_name_problems(note: Note, suspects: Iterable) -> list[Problem]:  # noqa: ANN001 - mentions.Suspect
    """The matcher's suspects in one note's body as problems with file and line."""
    problems = []
    for suspect in suspects:
        line = note.line_at(suspect.start)
        if suspect.kind == "misspelling":
            message = f"'{suspect.text}' looks like a misspelling of '{suspect.suggestion}'"
            hint = "fix the spelling, or add it to that service's misspellings in seeds/services.yml"
            code = "service/misspelled"
        else:
            message = f"'{suspect.text}' looks like an AWS service that is not in the glossary catalog"
            hint = "add it to seeds/services.yml"
            code = "service/unknown"
        problems.append(Problem(note.source, line, f"{message}: {hint}", "error", "service", code=code))
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
            problems.append(Problem(sources[link.note_slug], link.line, f"broken link {link.url}: {status.error}", "error", "link",
                                    code="link/external-broken"))
        elif status.permanent_redirect and status.final_url and status.final_url != link.url:
            problems.append(Problem(sources[link.note_slug], link.line,
                                    f"{link.url} moved permanently: use {status.final_url}", "finding", "link",
                                    code="link/moved"))
    return problems


@dataclasses.dataclass(frozen=True)
class Acceptance:
    """An entry of ``accepted-findings.yml``: the finding ``code`` in ``file`` is accepted for now (``why``);
    ``text``, when given, must also appear in the message (to accept one of several findings of a file)."""

    file: str
    code: str
    why: str
    text: str = ""
    line: int | None = None  # where the entry starts in accepted-findings.yml

    def matches(self, problem: Problem) -> bool:
        return problem.file == self.file and problem.code == self.code and self.text in problem.message


_ACCEPTANCE_FIELDS = {"file", "code", "text", "why", "__line__"}


def load_accepted_findings(path: Path, shown: str | None = None) -> list[Acceptance]:
    """Entries of ``accepted-findings.yml`` (file, code, optional text, why); a malformed entry is a
    ``CatalogError`` naming the file and the entry's line."""
    shown = shown or path.name
    if not path.exists():
        return []
    data = _read_yaml(path, shown) or []
    if not isinstance(data, list):
        raise CatalogError(shown, 1, "must be a list of entries with 'file', 'code' and 'why'")
    return accepted_entries(data, shown)


def accepted_entries(data: list, shown: str, folder: str = "") -> list[Acceptance]:
    """The entries of a list of accepted findings read from ``shown``; each ``file`` is relative to ``folder``
    (as messages show it: "seeds/notes/"), when given (a person's studyguide.yml names files in the notes folder)."""
    entries = []
    for number, raw in enumerate(data, start=1):
        entry = _Entry(raw, shown, f"entry {number}")
        unknown = sorted(str(key) for key in entry.data if key not in _ACCEPTANCE_FIELDS)
        if unknown:
            raise entry.fail(f"unknown field {', '.join(repr(k) for k in unknown)}; known: file, code, text, why")
        code = entry.text("code")
        if code not in FINDING_CODES:
            raise entry.fail(f"unknown code '{code}' (the codes are listed in README.md, section Findings)")
        entries.append(Acceptance(folder + entry.text("file").removeprefix("./"), code, entry.text("why"), entry.text("text", required=False),
                                  entry.line))
    return entries


def apply_accepted(problems: list[Problem], accepted: list[Acceptance], shown: str = "accepted-findings.yml",
                   in_scope: Callable[[str], bool] = lambda file: True) -> list[Problem]:
    """Findings matched by an accepted entry become level 'accepted' (listed, not failing --strict); an entry
    about a file of this build (``in_scope``) that matches no finding is reported (stale acceptance)."""
    result = []
    used: set[int] = set()
    for problem in problems:
        if problem.level == "finding":
            matched = [number for number, entry in enumerate(accepted) if entry.matches(problem)]
            if matched:
                used.update(matched)
                problem = dataclasses.replace(problem, level="accepted")
        result.append(problem)
    for number, entry in enumerate(accepted):
        if number not in used and in_scope(entry.file):
            narrowed = f" with '{entry.text}'" if entry.text else ""
            result.append(Problem(shown, entry.line, f"the accepted finding {entry.code} in {entry.file}{narrowed} matches "
                                  "no finding of this build: remove the entry", "finding", code="accepted/stale"))
    return result


def check_name_clashes(index: NoteIndex) -> list[Problem]:
    """A title or alias two notes claim: reported at the second, naming the first (where [[it]] leads)."""
    return [Problem(other.source, None, f"the title or alias '{name}' is also the title or alias of "
                    f"'{first.source}': a [[{name}]] link leads there", "finding", "title", code="note/duplicate-title")
            for name, first, other in index.clashes]


def check_internal_links(notes: Iterable[Note], links: Iterable[Link], index) -> list[Problem]:  # noqa: ANN001 - NoteIndex
    """Relative links, anchors, [[wikilinks]] and embeds that lead nowhere, or to one of several notes or files
    (ambiguous: the message names both)."""
    by_slug = {note.slug: note for note in notes}
    problems = []
    for link in links:
        note = by_slug.get(link.note_slug)
        if note is None or link.is_external or link.url.startswith(ATTACHMENT_PREFIX):
            continue
        target = index.resolve(note, link.url, link.wiki)
        if target is None:
            continue
        if target.kind == "missing":
            if link.is_image and target.code == "link/broken":  # ![[x.png]], ![](x.png): a missing attachment
                problems.append(Problem(note.source, link.line, f"attachment '{link.url}' is missing: put it in the "
                                        f"notes folder (e.g. its {ATTACHMENT_DIR}/ folder)"
                                        f"{index.suggestion(link.url)}", "finding", "attachment",
                                        code="attachment/missing"))
            else:
                problems.append(Problem(note.source, link.line, f"broken internal {target.message}", "error", "link",
                                        code=target.code))
        elif target.others:
            kind = "file" if target.kind == "attachment" else "note"
            if kind == "file":
                chosen, others = index.shown_prefix + target.attachment, [index.shown_prefix + o for o in target.others]
            else:
                chosen, others = by_slug[target.note_slug].source if target.note_slug in by_slug else "", target.others
            named = ", ".join(f"'{other}'" for other in others)
            problems.append(Problem(note.source, link.line, f"'{link.url}' is ambiguous: it names the {kind}s "
                                    f"'{chosen}' and {named}; '{chosen}' (the shortest path) is used: write the "
                                    "path to choose",
                                    "finding", "link", code="attachment/ambiguous" if kind == "file" else "link/ambiguous"))
    return problems


def check_embed_cycles(notes: Iterable[Note], links: Iterable[Link], index) -> list[Problem]:  # noqa: ANN001 - NoteIndex
    """An ``![[Note]]`` embed whose note embeds, directly or not, the note it is written in: the page shows one level
    only (the inner embed as a link), so the cycle is reported where each of its embeds is written."""
    by_slug = {note.slug: note for note in notes}
    embeds: dict[str, list[tuple[Link, str]]] = {}
    for link in links:
        note = by_slug.get(link.note_slug)
        if note is None or not (link.wiki and link.is_image):
            continue
        target = index.resolve(note, link.url, True)
        if target is not None and target.kind == "note" and target.note_slug != note.slug:
            embeds.setdefault(note.slug, []).append((link, target.note_slug))

    def reaches(start: str, goal: str) -> bool:
        seen, stack = {start}, [start]
        while stack:
            for _link, nxt in embeds.get(stack.pop(), []):
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    return [Problem(by_slug[slug].source, link.line, f"'![[{link.url}]]' embeds '{by_slug[target].source}', which embeds "
                    "this note back: each page shows the other's text once, with the inner embed as a link", "finding",
                    "link", code="link/embed-cycle")
            for slug, found in embeds.items() for link, target in found if reaches(target, slug)]


def check_assets(index, published) -> list[Problem]:  # noqa: ANN001 - SiteIndex, Callable[[Path], bool]
    """A file a note links or embeds whose type the site never publishes (it could run script)."""
    assets = index.notes.assets
    prefix = index.notes.shown_prefix
    return [Problem(prefix + path, None, "a note links or embeds this file, which is not published: only passive "
                    "types (images, PDF, audio, video, plain data) are", "error", "attachment",
                    code="attachment/unpublished")
            for path in index.referenced_assets if not published(assets.files[path])]


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
    return [unsupported_scenario(scenario, texts, scenario.source or shown) for scenario in index.unsupported_scenarios]
