"""Cheat-sheets: one printable page per exam domain, condensed from the notes.

Pure (no MkDocs). A sheet shows the domain's weight and task statements, the scenario →
answer pairs of ``scenarios.yml`` that some note section supports, the domain's key concepts
(``concepts:`` in ``domains.yml``) that the domain's note sections mention, and the services
that matter most for the domain with their one-line purpose. Every pair and concept links to
the note section it comes from.

``scenarios.yml`` lives beside the notes folder (``seeds/scenarios.yml`` for ``seeds/notes``):
the pairs are curated against that corpus, so a guide built from another notes folder
(``STUDYGUIDE_NOTES``) reads the ``scenarios.yml`` beside *that* folder, if any.
"""
from __future__ import annotations

import functools
import html
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from .catalog import CatalogError, _Entry, _read_yaml
from .enrich import sections_for_domain
from .load import refusal
from .model import Domain, Note, Problem, Section, Service, Site
from .render import domain_page_path, domain_services, glossary_href, md_text, page_front_matter, per_build, relative_url

SCENARIOS_FILE = "scenarios.yml"
PDF_ENV = "STUDYGUIDE_PDF"
CHEATSHEET_DIR = "cheatsheets"
INDEX_PAGE = f"{CHEATSHEET_DIR}/index.md"
ALL_PAGE = f"{CHEATSHEET_DIR}/all.md"
PDF_DIR = f"{CHEATSHEET_DIR}/pdf"  # inside the built site
ALL_PDF = "all-domains.pdf"
MAX_SERVICES = 12  # what fits beside the pairs and concepts on two printed pages
MAX_SOURCES = 3  # note sections linked per pair (the first only on paper); more are counted

_FIELDS = {"domain", "scenario", "answer", "evidence", "__line__"}


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Scenario:
    """One curated pair of ``scenarios.yml``."""

    domain: int
    scenario: str
    answer: str
    evidence: tuple[str, ...]  # every phrase must be in one note section
    line: int  # where the entry starts in the file


@dataclass(frozen=True)
class Source:
    """A note section that supports a pair or mentions a concept."""

    note: Note
    section: Section

    @property
    def target(self) -> str:
        return f"{self.note.page_path}#{self.section.anchor}"


@dataclass(frozen=True)
class SupportedScenario:
    scenario: Scenario
    sources: tuple[Source, ...]  # sections of the pair's domain first, then note order


@dataclass(frozen=True)
class ConceptHit:
    concept: str  # as written in domains.yml
    sources: tuple[Source, ...]  # the domain's sections that mention it, in note order


# --------------------------------------------------------------------------- scenarios file


def scenarios_path(notes_dir: Path) -> Path:
    """``scenarios.yml`` beside the notes folder."""
    return Path(notes_dir).parent / SCENARIOS_FILE


def shown_path(path: Path, root: Path | None) -> str:
    """A path as a contributor types it: relative to the project when inside it."""
    if root is not None:
        try:
            return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def _problem(exc: CatalogError, shown: str, default_line: int | None) -> Problem:
    """A catalog-style error ("file:line: message") as a Problem."""
    text = str(exc)
    match = re.match(rf"{re.escape(shown)}(?::(\d+))?: (.*)", text, re.S)
    if match:
        return Problem(shown, int(match.group(1)) if match.group(1) else default_line, match.group(2), "error", "scenario")
    return Problem(shown, default_line, text, "error", "scenario")


def load_scenarios(path: Path, shown: str, site: Site) -> tuple[list[Scenario], list[Problem]]:
    """Read ``scenarios.yml``: well-formed pairs, and a problem (file:line) for each bad entry.

    A bad entry is skipped, never fatal: the other sheets still build, and ``--strict`` fails
    on the reported problem.
    """
    from .normalize import resolve_domain

    reason = refusal(path, path.parent.resolve())  # it sits beside the notes: a symlink must not leave that folder
    if reason:
        return [], [Problem(shown, None, reason)]
    if not path.is_file():
        return [], []
    try:
        data = _read_yaml(path, shown)
    except CatalogError as exc:
        return [], [_problem(exc, shown, 1)]
    if data is None:
        return [], []
    problems: list[Problem] = []
    try:
        raws = _Entry(data, shown, "file", 1).mappings("scenarios")
    except CatalogError as exc:
        return [], [_problem(exc, shown, 1)]
    lines = _item_lines(path)
    pairs: list[Scenario] = []
    seen: dict[tuple[int, str], int] = {}
    for index, raw in enumerate(raws, 1):
        line = lines[index - 1] if index <= len(lines) else None
        try:
            entry = _Entry(raw, shown, f"scenario #{index}", line)
            unknown = sorted(str(k) for k in entry.data if k not in _FIELDS)
            if unknown:
                raise entry.fail(f"unknown field {', '.join(repr(k) for k in unknown)}; "
                                 f"known: domain, scenario, answer, evidence")
            scenario = entry.text("scenario")
            entry.what = f"scenario '{scenario}'"
            domain = resolve_domain(entry.data.get("domain"), site.exam)
            if domain is None:
                numbers = ", ".join(str(d.number) for d in site.exam.domains)
                raise entry.fail(f"'domain' must be one of {numbers} (or a domain's name), "
                                 f"got {entry.data.get('domain')!r}")
            answer = entry.text("answer")
            evidence = tuple(" ".join(e.split()) for e in entry.texts("evidence"))
            if not evidence:
                raise entry.fail("'evidence' is required: a phrase (or list of phrases) copied from a note")
            key = (domain, normalize_text(scenario))
            if key in seen:
                raise entry.fail(f"the same scenario is already listed for domain {domain} at line {seen[key]}")
            seen[key] = entry.line
            pairs.append(Scenario(domain, scenario, answer, evidence, entry.line))
        except CatalogError as exc:
            problems.append(_problem(exc, shown, line))
    return pairs, problems


def _item_lines(path: Path) -> list[int]:
    """Line of each item of the file's ``scenarios:`` list (plain text items have no ``__line__``)."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "scenarios" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


# --------------------------------------------------------------------------- evidence

_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                              "\u2014": "-", "\u2212": "-", "\u00a0": " ", "*": None, "`": None})


_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")


def normalize_text(text: str) -> str:
    """Text as evidence is compared: case, whitespace runs, typographic quotes/dashes and
    Markdown emphasis ignored, Markdown backslash escapes undone."""
    if text.isascii():  # its own NFKC form, and only "*" and "`" of _TYPOGRAPHIC can occur (replace is faster)
        if "\\" in text:
            text = _MARKDOWN_ESCAPE.sub(r"\1", text)
        return " ".join(text.replace("*", "").replace("`", "").lower().split())
    text = _MARKDOWN_ESCAPE.sub(r"\1", unicodedata.normalize("NFKC", text))
    return " ".join(text.translate(_TYPOGRAPHIC).casefold().split())


def _section_texts(notes: Iterable[Note]) -> list[tuple[Source, str]]:
    return [(Source(note, section), _section_text(section))
            for note in notes if note.dialect != "broken" for section in note.sections]


@functools.lru_cache(maxsize=1 << 16)
def _section_text(section: Section) -> str:
    """A section's normalized text, by value: the check stage, every sheet and the next build under
    ``mkdocs serve`` (unchanged sections) ask for the same sections."""
    return normalize_text(f"{section.title}\n{section.body}")


def find_evidence(scenario: Scenario, texts: Sequence[tuple[Source, str]]) -> tuple[Source, ...]:
    """Note sections containing every evidence phrase: the pair's domain first, then note order."""
    phrases = [normalize_text(p) for p in scenario.evidence]
    found = [source for source, text in texts if all(p in text for p in phrases)]
    return tuple(sorted(found, key=lambda s: scenario.domain not in s.section.domains))


def _unsupported(scenario: Scenario, texts: Sequence[tuple[Source, str]], shown: str) -> Problem:
    missing = [p for p in scenario.evidence if not any(normalize_text(p) in text for _, text in texts)]
    if missing:
        why = "no note section contains " + ", ".join(repr(p) for p in missing)
    else:
        why = "each evidence phrase is in some note, but no single note section contains them all"
    return Problem(shown, scenario.line,
                   f"scenario '{scenario.scenario}' is not supported by the notes ({why}): "
                   "fix the evidence, or remove the pair; it is left off the cheat-sheet", "error", "evidence")


def resolve_scenarios(site: Site, root: Path | None = None,
                      path: Path | None = None) -> tuple[list[SupportedScenario], list[Problem]]:
    """Pairs the notes support (with their sections) and a problem for every other one."""
    path = path or scenarios_path(Path(site.notes_dir))
    shown = shown_path(path, root)
    pairs, problems = load_scenarios(path, shown, site)
    texts = _section_texts(site.notes) if pairs else []  # no pairs (no scenarios file): no text to search
    supported = []
    for scenario in pairs:
        sources = find_evidence(scenario, texts)
        if sources:
            supported.append(SupportedScenario(scenario, sources))
        else:
            problems.append(_unsupported(scenario, texts, shown))
    return supported, problems


def check_scenarios(site: Site, root: Path) -> list[Problem]:
    """Check stage: every problem of the scenarios file (bad entries, unsupported pairs)."""
    return resolve_scenarios(site, root)[1]


# --------------------------------------------------------------------------- concepts and services


def concept_pattern(concept: str) -> re.Pattern[str]:
    """Whole words, any case, hyphen or space between words; an ending "s", "es", "ed" or "ing" allowed."""
    words = [re.escape(w) for w in re.split(r"[\s\-]+", normalize_text(concept)) if w]
    return re.compile(r"(?<![\w-])" + r"[\s\-]+".join(words) + r"(?:s|es|ed|ing)?(?![\w-])")


def find_concepts(site: Site, domain: Domain) -> list[ConceptHit]:
    """The domain's concepts that a note section *of that domain* mentions, in ``concepts:`` order."""
    # Once per build and domain (each sheet and the all-domains page ask): linear in the notes.
    return per_build(site, f"concepts:{domain.number}", lambda: _find_concepts(site, domain))


def _find_concepts(site: Site, domain: Domain) -> list[ConceptHit]:
    texts = [(Source(note, section), _section_text(section)) for note, section in sections_for_domain(site.notes, domain)]
    hits = []
    for concept in domain.concepts:
        pattern = concept_pattern(concept)
        # Every word of the concept is in a matching text as written: a substring test skips most texts fast.
        words = [w for w in re.split(r"[\s\-]+", normalize_text(concept)) if w]
        candidates = texts
        for word in sorted(words, key=len, reverse=True):  # the longest word first: it leaves the fewest texts
            candidates = [(source, text) for source, text in candidates if word in text]
        sources = tuple(source for source, text in candidates if pattern.search(text))
        if sources:
            hits.append(ConceptHit(concept, sources))
    return hits


@dataclass(frozen=True)
class SheetService:
    service: Service
    mentions: int  # in the domain's note sections
    answers: int  # supported pairs of the domain whose answer names it
    anywhere: int  # mentions in all notes


def sheet_services(site: Site, domain: Domain, scenarios: Sequence[SupportedScenario] = (),
                   limit: int = MAX_SERVICES) -> list[SheetService]:
    """At most ``limit`` services for the sheet: ``render.domain_services`` plus those the pairs' answers name.

    Only services the notes mention (or a pair's answer names) are kept, ranked by mentions in
    the domain's note sections plus answers, then by mentions in all notes. A corpus whose notes
    mention none of them gets the catalog's services for the domain instead.
    """
    if site.catalog is None:
        return []
    rows = domain_services(site, domain)
    answers: Counter[str] = Counter()
    if site.matcher is not None:
        for pair in scenarios:
            if pair.scenario.domain == domain.number:
                answers.update({found.service_key for found in site.matcher.find(pair.scenario.answer)})
    listed = {service.key for service, _ in rows}
    rows += [(site.catalog.by_key(key), 0) for key in answers if key not in listed and site.catalog.by_key(key)]
    overall = per_build(site, "mention_counts", lambda: Counter(m.service_key for m in site.mentions))
    items = [SheetService(service, count, answers[service.key], overall[service.key]) for service, count in rows]
    items.sort(key=lambda s: (-(s.mentions + s.answers), -s.anywhere, s.service.name.casefold()))
    noted = [s for s in items if s.anywhere or s.answers]
    return (noted or items)[:limit]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
ONE_LINE_CHARS = 140


def one_line(summary: str, limit: int = ONE_LINE_CHARS) -> str:
    """A catalog summary's first sentence up to its first ";", cut at a word (with "…") past ``limit``."""
    text = _SENTENCE_END.split(" ".join(summary.split()), maxsplit=1)[0]
    text = text.split("; ", 1)[0]
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:(")
    return cut + "…"


# --------------------------------------------------------------------------- render


def cheatsheet_page_path(domain: Domain) -> str:
    return f"{CHEATSHEET_DIR}/{domain.slug}.md"


def sheet_title(domain: Domain) -> str:
    return f"Cheat-sheet: {domain.name}"


def pdf_requested(environ: dict[str, str] | None = None) -> bool:
    """Whether this build makes PDFs (``STUDYGUIDE_PDF=1``); the pages link them only then."""
    value = (os.environ if environ is None else environ).get(PDF_ENV, "").strip().lower()
    return value in {"1", "true", "yes", "on"}


def pdf_name(domain: Domain) -> str:
    return f"{domain.slug}.pdf"


_GENERIC_TITLE = re.compile(r"(?:domain\s*\d+\b.*|overview|introduction|background|notes?)", re.I)


def _short(text: str, limit: int = 36) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"


def source_label(source: Source) -> str:
    """How a sheet names a note section: its heading, with the note's title when the heading
    alone says nothing ("Domain 1", the note's own title)."""
    note, section = source.note, source.section
    if section.level == 1:
        return _short(note.title, 60)
    if _GENERIC_TITLE.fullmatch(section.title.strip()):
        return f"{_short(note.title)} › {section.title}"
    return section.title


def _source_link(page: str, source: Source, label: str | None = None) -> str:
    note, section = source.note, source.section
    title = f"{note.title} › {section.title}" if section.level > 1 else note.title
    title = " ".join(title.split()).replace("\\", "\\\\").replace('"', "'")  # a Markdown link title
    text = label or md_text(source_label(source))
    return f'[{text}]({relative_url(page, source.target)} "{title}")'


def _sources(page: str, sources: Sequence[Source]) -> str:
    """The first supporting section by name; on screen, up to ``MAX_SOURCES`` more by number."""
    more = [_source_link(page, s, str(i)) for i, s in enumerate(sources[1:MAX_SOURCES], 2)]
    if len(sources) > MAX_SOURCES:
        more.append(f"+{len(sources) - MAX_SOURCES}")
    extra = f' <span class="sg-src-more">{" ".join(more)}</span>' if more else ""
    return f'<span class="sg-src">{_source_link(page, sources[0])}{extra}</span>'


def _answer(site: Site, page: str, answer: str) -> str:
    text = md_text(answer)
    if site.matcher is None:
        return text
    return site.matcher.link(text, lambda service: glossary_href(page, service))


def _tools(page: str, domain: Domain, pdf: bool) -> str:
    """Print button, PDF links (only when this build makes them) and the domain page link: screen only."""
    parts = ['<a class="md-button sg-print" href="#" title="Print this cheat-sheet">Print</a>']
    if pdf:
        # Raw HTML: MkDocs neither validates it (the PDFs appear after the build) nor rewrites it,
        # so the URL is relative to the page as served: cheatsheets/<slug>/ → cheatsheets/pdf/.
        parts.append(f'<a class="sg-pdf" href="../pdf/{html.escape(pdf_name(domain))}">PDF of this sheet</a>')
        parts.append(f'<a class="sg-pdf" href="../pdf/{ALL_PDF}">PDF of all domains</a>')
    else:
        parts.append('<span class="sg-pdf-missing" title="Run STUDYGUIDE_PDF=1 mkdocs build to make them">'
                     "PDF copies are not part of this build</span>")
    parts.append(f"[Domain page]({relative_url(page, domain_page_path(domain))})")
    return '<div class="sg-tools" markdown>\n\n' + " · ".join(parts) + "\n\n</div>"


def sheet_body(site: Site, domain: Domain, page: str, level: int = 1, pdf: bool = False,
               scenarios: Sequence[SupportedScenario] | None = None) -> list[str]:
    """Markdown lines of one sheet, its title at heading ``level``, wrapped for the print CSS."""
    if scenarios is None:
        scenarios = resolve_scenarios(site)[0]
    h = "#" * level
    sub = "#" * (level + 1)
    questions = round(site.exam.questions * domain.weight / 100)
    tasks = " ".join(f"**{task.id}** {md_text(task.text)}" for task in domain.tasks)
    out = [f'<div class="sg-cheatsheet" data-domain="{domain.number}" markdown>', "",
           '<div class="sg-sheet-head" markdown>', "",
           f"{h} {md_text(sheet_title(domain))} {{ .sg-sheet-title }}", "",
           f"**Domain {domain.number} · {domain.weight} %** of the scored content, about {questions} of "
           f"{site.exam.questions} questions ({md_text(site.exam.code)}).", "",
           _tools(page, domain, pdf), "",
           '<div class="sg-tasks" markdown>', "", f"**Tasks** {tasks}", "", "</div>", "",
           "</div>", ""]
    pairs = [p for p in scenarios if p.scenario.domain == domain.number]
    out += [f"{sub} Scenario → answer {{ .sg-part }}", ""]
    if pairs:
        out += ['<div class="sg-pairs" markdown>', ""]
        for pair in pairs:
            out.append(f"- {md_text(pair.scenario.scenario)} → **{_answer(site, page, pair.scenario.answer)}** "
                       f"{_sources(page, pair.sources)}")
        out += ["", "</div>", ""]
    else:
        out += ["No scenario of `scenarios.yml` for this domain is supported by the notes yet.", ""]
    concepts = find_concepts(site, domain)
    out += [f"{sub} Key concepts {{ .sg-part }}", ""]
    if concepts:
        items = []
        for hit in concepts:
            items.append(_source_link(page, hit.sources[0], md_text(hit.concept)))
        # The separator stays with the concept before it, so no line starts with one.
        spans = [f'<span class="sg-concept">{item}{" ·" if i < len(items) - 1 else ""}</span>'
                 for i, item in enumerate(items)]
        out += ['<div class="sg-concepts" markdown>', "", " ".join(spans), "", "</div>", ""]
    else:
        out += ["None of this domain's concepts (`concepts:` in `seeds/domains.yml`) is in its notes yet.", ""]
    services = sheet_services(site, domain, scenarios)
    if services:
        out += [f"{sub} Services {{ .sg-part }}", "", '<div class="sg-services" markdown>', ""]
        for item in services:
            service = item.service
            out.append(f"- **[{md_text(service.name)}]({glossary_href(page, service)})** "
                       f"{md_text(one_line(service.summary))}")
        out += ["", "</div>", ""]
    out += ["</div>", ""]
    return out


def render_cheatsheet(site: Site, domain: Domain, pdf: bool | None = None,
                      scenarios: Sequence[SupportedScenario] | None = None) -> str:
    """The Markdown of a domain's cheat-sheet page."""
    page = cheatsheet_page_path(domain)
    pdf = pdf_requested() if pdf is None else pdf
    meta = page_front_matter(title=sheet_title(domain),
                             description=f"One printable page per domain: {domain.title}",
                             studyguide={"kind": "cheatsheet", "domain": domain.number})
    return meta + "\n".join(sheet_body(site, domain, page, 1, pdf, scenarios))


def render_all(site: Site, pdf: bool | None = None,
               scenarios: Sequence[SupportedScenario] | None = None) -> str:
    """Every sheet on one page (printed once into ``all-domains.pdf``), each from a new sheet of paper."""
    pdf = pdf_requested() if pdf is None else pdf
    out = [page_front_matter(title="Cheat-sheets: all domains", studyguide={"kind": "cheatsheet", "domain": "all"}),
           '<div class="sg-screen-only" markdown>', "", "# Cheat-sheets: all domains", "",
           "Every domain's cheat-sheet on one page, for printing in one go: each starts on a new sheet of paper.",
           "", "</div>", ""]
    for domain in site.exam.domains:
        out += sheet_body(site, domain, ALL_PAGE, 2, pdf, scenarios)
    return "\n".join(out) + "\n"


def render_index(site: Site, pdf: bool | None = None) -> str:
    """The cheat-sheets index: one line per domain, and the combined page."""
    pdf = pdf_requested() if pdf is None else pdf
    out = [page_front_matter(title="Cheat-sheets", studyguide={"kind": "cheatsheet-index"}), "# Cheat-sheets", "",
           "One sheet per exam domain, made to be printed (A4 or US Letter, at most two pages each): "
           "scenario → answer pairs, key concepts and services, each linked to the note it comes from.", ""]
    for domain in site.exam.domains:
        link = f"[{md_text(sheet_title(domain))}]({relative_url(INDEX_PAGE, cheatsheet_page_path(domain))})"
        extra = f' · <a class="sg-pdf" href="pdf/{html.escape(pdf_name(domain))}">PDF</a>' if pdf else ""
        out.append(f"- {link} — domain {domain.number}, {domain.weight} %{extra}")
    extra = f' · <a class="sg-pdf" href="pdf/{ALL_PDF}">PDF</a>' if pdf else ""
    out += [f"- [All domains on one page]({relative_url(INDEX_PAGE, ALL_PAGE)}){extra}", ""]
    if not pdf:
        out += ["PDF copies are made by `STUDYGUIDE_PDF=1 mkdocs build`; this build has none. "
                "Use your browser's Print on a sheet instead.", ""]
    return "\n".join(out)


def cheatsheet_pages(site: Site, pdf: bool | None = None) -> dict[str, str]:
    """docs path → Markdown of the index, one sheet per domain and the combined page."""
    pdf = pdf_requested() if pdf is None else pdf
    scenarios = resolve_scenarios(site)[0]
    pages = {INDEX_PAGE: render_index(site, pdf)}
    for domain in site.exam.domains:
        pages[cheatsheet_page_path(domain)] = render_cheatsheet(site, domain, pdf, scenarios)
    pages[ALL_PAGE] = render_all(site, pdf, scenarios)
    return pages


def cheatsheet_nav(site: Site) -> dict[str, list]:
    """The "Cheat-sheets" navigation section."""
    return {"Cheat-sheets": [INDEX_PAGE] + [{d.name: cheatsheet_page_path(d)} for d in site.exam.domains]
            + [{"All domains": ALL_PAGE}]}


def cheatsheet_links(site: Site, page: str) -> str:
    """One line of Markdown linking every sheet, for the home page."""
    links = [f"[{md_text(d.name)}]({relative_url(page, cheatsheet_page_path(d))})" for d in site.exam.domains]
    return ("**Printable cheat-sheets**, one per domain: " + " · ".join(links)
            + f" · [all on one page]({relative_url(page, ALL_PAGE)})")


def pdf_targets(site: Site) -> list[tuple[str, str]]:
    """(page URL inside the built site, PDF file name) of every PDF the build makes."""
    targets = [(f"{CHEATSHEET_DIR}/{d.slug}/", pdf_name(d)) for d in site.exam.domains]
    return targets + [(f"{CHEATSHEET_DIR}/all/", ALL_PDF)]


# --------------------------------------------------------------------------- suggestions

# Phrases after which the notes name the answer to a scenario. Used only to *suggest* pairs to
# contributors: the notes' prose is too varied for the sheets to trust it unreviewed.
_CUES = re.compile(r"\b(optimal solution|can be (?:achieved|accomplished|streamlined|handled|mitigated|addressed)"
                   r"|is achievable with|particularly suited for|often indicates?|an excellent use case"
                   r"|offers a cost-effective solution|enables? efficient)\b", re.I)


@dataclass(frozen=True)
class Suggestion:
    file: str
    line: int
    sentence: str


def suggest_scenarios(site: Site, scenarios: Sequence[SupportedScenario] = ()) -> list[Suggestion]:
    """Sentences that read like "scenario → answer" and that no supported pair cites."""
    cited = {normalize_text(p) for pair in scenarios for p in pair.scenario.evidence}
    found = []
    for note in site.notes:
        if note.dialect == "broken":
            continue
        for match in re.finditer(r"[^.!?\n]*[.!?]", note.body):
            sentence = " ".join(match.group(0).split())
            if not _CUES.search(sentence):
                continue
            folded = normalize_text(sentence)
            if any(phrase in folded for phrase in cited):
                continue
            found.append(Suggestion(note.source, note.line_at(match.start() + len(match.group(0)) - len(match.group(0).lstrip())), sentence))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m macros.cheatsheet suggest``: sentences worth a pair in ``scenarios.yml``."""
    import sys

    from .pipeline import build_site

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] != ["suggest"]:
        print("usage: python -m macros.cheatsheet suggest", file=sys.stderr)
        return 2
    root = Path.cwd()
    site = build_site(root)
    supported, problems = resolve_scenarios(site, root)
    for problem in problems:
        print(problem)
    for suggestion in suggest_scenarios(site, supported):
        print(f"{suggestion.file}:{suggestion.line}: {suggestion.sentence}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
