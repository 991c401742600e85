"""Cheat-sheets: one printable page per exam domain, condensed from the notes.

A sheet shows the domain's weight and task statements, the scenario → answer pairs of ``scenarios.yml``
that some note section supports, the domain's key concepts (``concepts:`` in ``exams/<code>.yml``) that the
domain's note sections mention, and the services that matter most for the domain with their one-line
purpose. Every pair and concept links to the note section it comes from (``enrich.evidence`` finds them).
"""
from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..enrich import SiteIndex, Source, SupportedScenario
from ..model import Domain, Service, Site
from ..paths import ALL_PDF, CHEATSHEET_ALL, CHEATSHEET_INDEX, cheatsheet_page, domain_page, pdf_href, pdf_name
from .markdown import NOT_SEARCHED, RANKED_BELOW_NOTES, md_text, page_front_matter, relative_url
from .rewrite import glossary_href

MAX_SERVICES = 12  # what fits beside the pairs and concepts on two printed pages
MAX_SOURCES = 3  # note sections linked per pair (the first only on paper); more are counted


@dataclass(frozen=True)
class SheetService:
    service: Service
    mentions: int  # in the domain's note sections
    answers: int  # supported pairs of the domain whose answer names it
    anywhere: int  # mentions in all notes


def sheet_services(site: Site, index: SiteIndex, domain: Domain, scenarios: Sequence[SupportedScenario] = (),
                   limit: int = MAX_SERVICES) -> list[SheetService]:
    """At most ``limit`` services for the sheet: the domain's services (``SiteIndex.domain_services``) plus those
    the pairs' answers name.

    Only services the notes mention (or a pair's answer names) are kept, ranked by mentions in
    the domain's note sections plus answers, then by mentions in all notes. A corpus whose notes
    mention none of them gets the catalog's services for the domain instead.
    """
    if site.catalog is None:
        return []
    rows = list(index.domain_services[domain.number])
    answers: Counter[str] = Counter()
    if site.matcher is not None:
        for pair in scenarios:
            if pair.scenario.domain == domain.number:
                answers.update({found.service_key for found in site.matcher.find(pair.scenario.answer)})
    listed = {service.key for service, _ in rows}
    rows += [(site.catalog.by_key(key), 0) for key in answers if key not in listed and site.catalog.by_key(key)]
    overall = index.mention_counts
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


def sheet_title(domain: Domain) -> str:
    return f"Cheat-sheet: {domain.name}"


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
        # so the URL is relative to the page as served (cheatsheets/<slug>/ → cheatsheets/pdf/): ``pdf_href``.
        parts.append(f'<a class="sg-pdf" href="{html.escape(pdf_href(page, pdf_name(domain)))}">PDF of this sheet</a>')
        parts.append(f'<a class="sg-pdf" href="{pdf_href(page, ALL_PDF)}">PDF of all domains</a>')
    else:
        parts.append('<span class="sg-pdf-missing" title="Run STUDYGUIDE_PDF=1 mkdocs build to make them">'
                     "PDF copies are not part of this build</span>")
    parts.append(f"[Domain page]({relative_url(page, domain_page(domain))})")
    return '<div class="sg-tools" markdown>\n\n' + " · ".join(parts) + "\n\n</div>"


def sheet_body(site: Site, index: SiteIndex, domain: Domain, page: str, level: int = 1, pdf: bool = False) -> list[str]:
    """Markdown lines of one sheet, its title at heading ``level``, wrapped for the print CSS."""
    scenarios = index.scenarios
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
    concepts = index.concepts[domain.number]
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
        out += [f"None of this domain's concepts (`concepts:` in `seeds/exams/{site.exam.code.lower()}.yml`) is in its notes yet.", ""]
    services = sheet_services(site, index, domain, scenarios)
    if services:
        out += [f"{sub} Services {{ .sg-part }}", "", '<div class="sg-services" markdown>', ""]
        for item in services:
            service = item.service
            out.append(f"- **[{md_text(service.name)}]({glossary_href(page, service)})** "
                       f"{md_text(one_line(service.summary))}")
        out += ["", "</div>", ""]
    out += ["</div>", ""]
    return out


def render_cheatsheet(site: Site, index: SiteIndex, domain: Domain, pdf: bool = False) -> str:
    """The Markdown of a domain's cheat-sheet page (``pdf``: this build makes PDFs, the page links them)."""
    page = cheatsheet_page(domain)
    meta = page_front_matter(title=sheet_title(domain),
                             description=f"One printable page per domain: {domain.title}",
                             studyguide={"kind": "cheatsheet", "domain": domain.number}, search=RANKED_BELOW_NOTES)
    return meta + "\n".join(sheet_body(site, index, domain, page, 1, pdf))


def render_all(site: Site, index: SiteIndex, pdf: bool = False) -> str:
    """Every sheet on one page (printed once into ``all-domains.pdf``), each from a new sheet of paper."""
    out = [page_front_matter(title="Cheat-sheets: all domains", studyguide={"kind": "cheatsheet", "domain": "all"},
                             search=NOT_SEARCHED),  # each domain's own sheet is searched
           '<div class="sg-screen-only" markdown>', "", "# Cheat-sheets: all domains", "",
           "Every domain's cheat-sheet on one page, for printing in one go: each starts on a new sheet of paper.",
           "", "</div>", ""]
    for domain in site.exam.domains:
        out += sheet_body(site, index, domain, CHEATSHEET_ALL, 2, pdf)
    return "\n".join(out) + "\n"


def render_index(site: Site, pdf: bool = False) -> str:
    """The cheat-sheets index: one line per domain, and the combined page."""
    out = [page_front_matter(title="Cheat-sheets", studyguide={"kind": "cheatsheet-index"}), "# Cheat-sheets", "",
           "One sheet per exam domain, made to be printed (A4 or US Letter, at most two pages each): "
           "scenario → answer pairs, key concepts and services, each linked to the note it comes from.", ""]
    for domain in site.exam.domains:
        link = f"[{md_text(sheet_title(domain))}]({relative_url(CHEATSHEET_INDEX, cheatsheet_page(domain))})"
        extra = f' · <a class="sg-pdf" href="{html.escape(pdf_href(CHEATSHEET_INDEX, pdf_name(domain)))}">PDF</a>' if pdf else ""
        out.append(f"- {link} — domain {domain.number}, {domain.weight} %{extra}")
    extra = f' · <a class="sg-pdf" href="{pdf_href(CHEATSHEET_INDEX, ALL_PDF)}">PDF</a>' if pdf else ""
    out += [f"- [All domains on one page]({relative_url(CHEATSHEET_INDEX, CHEATSHEET_ALL)}){extra}", ""]
    if not pdf:
        out += ["PDF copies are made by `STUDYGUIDE_PDF=1 mkdocs build`; this build has none. "
                "Use your browser's Print on a sheet instead.", ""]
    return "\n".join(out)


def cheatsheet_pages(site: Site, index: SiteIndex, pdf: bool = False) -> dict[str, str]:
    """docs path → Markdown of the index, one sheet per domain and the combined page."""
    pages = {CHEATSHEET_INDEX: render_index(site, pdf)}
    for domain in site.exam.domains:
        pages[cheatsheet_page(domain)] = render_cheatsheet(site, index, domain, pdf)
    pages[CHEATSHEET_ALL] = render_all(site, index, pdf)
    return pages
