"""The typed data model shared by every stage of the pipeline.

Dataclasses only: no I/O, no MkDocs. Catalog data (domains, services) is frozen;
notes are built once by ``normalize`` and then only read.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Literal

from . import paths

if TYPE_CHECKING:
    from .markdown_scan import MarkdownScan

# error: the note is wrong (fails --strict); finding: worth fixing, listed on the report
# page, and failing --strict unless the maintainers accepted it (seeds/accepted-findings.yml).
# accepted: a finding listed in accepted-findings.yml, shown on the report page only.
# info: worth knowing, never failing (a scenario pair left out of a successor exam's sheets).
Level = Literal["error", "finding", "accepted", "info"]
RESERVED_NOTE_SLUGS = paths.RESERVED_NOTE_SLUGS  # kept importable from the model


# Characters that would split or disguise a log line: C0/C1 controls, line and paragraph separators,
# bidi embeddings, overrides and isolates (a file named "x\u202egnp.md" shows as "xpng.md").
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # os.fsdecode's stand-ins for bytes of a name that are not UTF-8


def printable(text: str) -> str:
    """``text`` safe for one line of a log or message: controls escaped (``\\n``, ``\\u202e``), undecodable bytes
    of a file name shown as U+FFFD."""
    text = _SURROGATE.sub("\ufffd", text)
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Sort key that reads numbers as numbers, case-insensitively: "2. Data" before "10. Models"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _DIGITS.split(text.casefold()) if part)


def note_order(note: Note) -> tuple:
    """How lists and the navigation order notes: by title, naturally, then by slug."""
    return natural_key(note.title), note.slug


@dataclass(frozen=True)
class Problem:
    """Something wrong in the input, always tied to the file (and line) it came from."""

    file: str  # path as a contributor would type it, e.g. "seeds/notes/x.md"
    line: int | None
    message: str
    level: Level = "error"
    field: str | None = None  # front-matter field, where one is at fault
    code: str = ""  # stable kind of finding ("link/broken"): accepted-findings.yml matches on it; see README

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return printable(f"{where}: {self.message}")  # one problem is always one log line


@dataclass(frozen=True)
class Skipped:
    """A folder or note-like file of the notes folder that is not read as a note, and why."""

    file: str  # shown like a problem's file; a folder ends with "/"
    reason: str
    expected: bool  # a tool's folder, a template, attachments: logged at info level; else also a finding


@dataclass(frozen=True)
class Task:
    """One task statement of an exam domain, e.g. 1.2 'Identify and implement a data-ingestion solution.'"""

    id: str
    text: str
    knowledge: tuple[str, ...] = ()  # the exam guide's "Knowledge of" bullets for the task
    skills: tuple[str, ...] = ()  # the exam guide's "Skills in" bullets
    vocabulary: tuple[str, ...] = ()  # words and phrases that indicate the task in study notes


@dataclass(frozen=True)
class DomainLink:
    """A domain of another exam that one domain's material maps to, and why."""

    exam: str  # exam code, e.g. "MLA-C01"
    domain: int
    reason: str


@dataclass(frozen=True)
class Domain:
    """One exam domain from ``seeds/exams/<code>.yml``."""

    number: int
    name: str
    slug: str
    weight: int  # percent of the scored content
    tasks: tuple[Task, ...]
    keywords: tuple[str, ...]  # phrases pointing at the domain as a whole (headings, words, folders: macros.assign)
    concepts: tuple[str, ...] = ()  # key concepts a cheat-sheet looks for in the notes
    serves: tuple[DomainLink, ...] = ()  # successor exam's domains this domain's material now serves
    served_by: tuple[DomainLink, ...] = ()  # predecessor exam's domains whose material serves this one

    @property
    def title(self) -> str:
        return f"Domain {self.number}: {self.name}"


@dataclass(frozen=True)
class SourcedFact:
    """A fact the sources state, with where it comes from (the seeds disagree on some)."""

    value: str
    source: str


@dataclass(frozen=True)
class Exam:
    """The exam the guide is for, from the ``exam:`` block of ``seeds/exams/<code>.yml``."""

    code: str
    name: str
    questions: int
    question_types: tuple[str, ...]
    score_scale: str
    passing_score: int
    durations: tuple[SourcedFact, ...]
    retired: dt.date | None
    exam_guide_url: str
    domains: tuple[Domain, ...]
    successor: str = ""  # code of the exam that replaced this one
    predecessor: str = ""  # code of the exam this one replaced
    scored_questions: int | None = None  # of ``questions``, where the sources say
    unscored_questions: int | None = None

    def domain(self, number: int) -> Domain | None:
        return next((d for d in self.domains if d.number == number), None)


@dataclass(frozen=True)
class Service:
    """One AWS service (or SageMaker feature) of the glossary catalog ``seeds/services.yml``."""

    key: str  # anchor on the glossary page
    name: str  # canonical, current name
    category: str
    summary: str  # what it is for, one or two sentences for an exam candidate
    docs_url: str
    domains: tuple[int, ...] = ()  # MLS-C01 domain numbers
    mla_domains: tuple[int, ...] = ()  # MLA-C01 domain numbers
    aliases: tuple[str, ...] = ()  # other names the notes may use
    former_names: tuple[str, ...] = ()  # names AWS used before
    misspellings: tuple[str, ...] = ()  # accepted, documented misspellings ("Poly")
    needs_context: tuple[str, ...] = ()  # aliases that are ordinary English ("Glue", "Lambda")
    line: int | None = None  # where the entry starts in services.yml

    def domains_in(self, exam: Exam) -> tuple[int, ...]:
        """The service's domains in ``exam``'s numbering: ``mla_domains`` for MLA-C01, ``domains`` (MLS-C01's)
        for any other outline."""
        return self.mla_domains if exam.code.upper().startswith("MLA") else self.domains

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that refers to this service, canonical first."""
        return (self.name, *self.aliases, *self.former_names, *self.misspellings)


@dataclass(frozen=True)
class Catalog:
    """The glossary catalog: services plus the category order the glossary uses."""

    categories: tuple[str, ...]
    services: tuple[Service, ...]
    category_titles: dict[str, str] = field(default_factory=dict)

    def by_key(self, key: str) -> Service | None:
        return next((s for s in self.services if s.key == key), None)


@dataclass(frozen=True)
class Section:
    """A heading of a note and the text under it up to the next heading."""

    note_slug: str
    title: str  # heading text as the reader sees it (plain text)
    anchor: str  # id of the heading in the built page
    level: int  # 1..6
    line: int  # line of the heading in the source file (1-based)
    body: str  # Markdown of the section's own text, without sub-sections
    domains: tuple[int, ...] = ()  # exam domains this section speaks to, strongest first (assigned, or pinned)
    parent: str | None = None  # anchor of the enclosing section
    tasks: tuple[str, ...] = ()  # task statements it speaks to, strongest first (assigned)
    task_scores: tuple[tuple[str, float], ...] = ()  # (task id, score), best first: ranks sections on pages

    def strength(self, domain: int | None = None, task: str | None = None) -> float:
        """How strongly the section speaks to ``task`` (or to its best task of ``domain``, or at all)."""
        key = task if task else (f"{domain}." if domain is not None else "")
        return self._strengths.get(key, 0.0)

    @cached_property
    def _strengths(self) -> dict[str, float]:
        """Best score per task id, per domain ("3.") and overall (""): domain pages, coverage and the glossary
        sort every section by it, build after build (a reused note keeps its sections, and this)."""
        best: dict[str, float] = {}
        for task, score in self.task_scores:
            for key in (task, task[:task.index(".") + 1] if "." in task else task, ""):
                if key not in best or score > best[key]:
                    best[key] = score
        return best


@dataclass(frozen=True)
class Mention:
    """A service named in a note section."""

    service_key: str
    note_slug: str
    section_anchor: str
    line: int
    text: str  # the spelling used


@dataclass(frozen=True)
class Link:
    """A link written in a note."""

    url: str
    label: str
    title: str  # the Markdown link title ("KNOW THIS!"), often a hint such as "65 questions"
    note_slug: str
    section_anchor: str
    line: int
    is_image: bool = False
    context: str = ""  # text after the link on its line, e.g. "(8 hours)"
    wiki: bool = False  # written as [[target]] (Obsidian)

    @property
    def is_external(self) -> bool:
        return self.url[:8].lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Placement:
    """Where a note belongs in the exam outline (filled by the pipeline from ``assign``)."""

    path: str  # the note's path inside the notes folder ("01-data-engineering/kinesis.md"): its folders are evidence
    primary: int | None  # the domain the navigation files it under (None: no evidence for any)
    domains: tuple[int, ...]  # every domain it speaks to, strongest first
    tasks: tuple[str, ...]  # its main task statements, strongest first
    why: str  # "folder 01-data-engineering; mentions Amazon Kinesis Data Streams; words: shard"


@dataclass
class Note:
    """One note, whatever its dialect. Filled by ``normalize.normalize_note``."""

    source: str  # path as shown to contributors, e.g. "seeds/notes/001_x.txt"
    slug: str  # stable URL part derived from the file name
    title: str
    dialect: str  # "markdown", "essay", "broken"
    body: str  # Markdown, starting with the H1 title
    body_line: int  # line of the source file on which ``body``'s first source line stands
    description: str = ""
    tags: tuple[str, ...] = ()
    domains: tuple[int, ...] = ()  # pinned by front matter
    created: dt.date | None = None
    updated: dt.date | None = None
    studied: dt.date | None = None  # when the author started studying this (entity notes)
    changed: dt.date | None = None  # when the source file last changed (git, else mtime); filled by pipeline
    draft: bool = False
    status: str = ""
    attachments: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # front-matter keys not understood, kept
    sections: tuple[Section, ...] = ()
    raw_text: str = ""  # the text as read, shown verbatim when the note is broken
    source_lines: tuple[int, ...] = ()  # source-file line of each line of ``body``
    problems: tuple[Problem, ...] = ()
    placement: Placement | None = None  # filled by the pipeline (assign), with ``sections``' domains and tasks
    # The one reading of ``body`` (``normalize.note_markdown``): what is code, HTML, a link or a heading.
    markdown: MarkdownScan | None = field(default=None, repr=False, compare=False)

    # (body, offset where each of its lines starts), filled on first use: line_at is asked for every
    # mention and link, and counting line ends from the top each time made long notes quadratic.
    _line_starts: tuple[str, list[int]] | None = field(default=None, init=False, repr=False, compare=False)

    def line_at(self, offset: int) -> int:
        """Source-file line of a character offset into ``body``."""
        if self._line_starts is None or self._line_starts[0] is not self.body:
            self._line_starts = (self.body, [0, *accumulate(len(line) + 1 for line in self.body.split("\n"))])
        index = bisect_right(self._line_starts[1], offset) - 1
        if not self.source_lines:
            return self.body_line + index
        return self.source_lines[min(index, len(self.source_lines) - 1)]

    @property
    def url(self) -> str:
        return paths.page_url(self.page_path)

    @property
    def page_path(self) -> str:
        return paths.note_page(self.slug)


@dataclass
class Site:
    """Everything the render stage needs, built before MkDocs renders a page."""

    exam: Exam
    catalog: Catalog | None
    notes: list[Note]
    problems: list[Problem] = field(default_factory=list)
    related_exam: Exam | None = None  # the exam's successor (or predecessor), when its outline is there too
    skipped: list[Skipped] = field(default_factory=list)  # folders and files of the notes folder left out
    mentions: list[Mention] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    notes_dir: str = "seeds/notes"
    matcher: Any = field(default=None, repr=False, compare=False)  # mentions.ServiceMatcher of the catalog
    link_status: dict[str, Any] = field(default_factory=dict)  # url -> linkcheck.UrlStatus of the last check
    link_report: str = ""  # where the last external check's JSON report is
    # slug -> (mentions.Found list, heading offsets): the matcher's scan of each note's body in the enrich
    # stage, reused by render to link mentions without scanning every note a second time.
    note_scans: dict[str, tuple[list[Any], list[int]]] = field(default_factory=dict, repr=False, compare=False)
    # enrich.SiteIndex: everything derived from all notes at once (backlinks, groups, resources…), built once
    # by pipeline.build_site; every page renderer reads it instead of recomputing.
    index: Any = field(default=None, repr=False, compare=False)

    def note(self, slug: str) -> Note | None:
        return next((n for n in self.notes if n.slug == slug), None)
