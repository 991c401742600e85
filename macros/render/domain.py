"""The exam domains' pages, read top to bottom by a candidate: the task statements with their coverage (the
knowledge and skills folded), the strongest note sections (folded, their first paragraph visible), the services
the domain's notes mention, the resources; and the domains index."""
from __future__ import annotations

import re

from ..enrich import SiteIndex, heading_plain_text
from ..model import Domain, DomainLink, Exam, Note, Section, Site
from ..paths import CONTRIBUTING_PAGE, COVERAGE_PAGE, DOMAINS_INDEX, RESOURCES_PAGE, cheatsheet_page, domain_page
from .coverage import section_link, task_line
from .home import domain_table
from .markdown import RANKED_BELOW_NOTES, SEARCH_EXCLUDED, md_text, page_front_matter, relative_url
from .resources import resource_item
from .rewrite import glossary_href, link_mentions, rewrite_note_markdown

EXCERPTS_PER_DOMAIN = 8  # note sections quoted (folded) on a domain page; the others are linked
MORE_SECTIONS_ID = "sg-more-from-the-notes"
RESOURCES_PER_DOMAIN = 12  # resources listed on a domain page, most cited first; all are on the Resources page
SUMMARY_CHARACTERS = 220  # of a quoted section's first paragraph, shown above its fold


def render_domain(domain: Domain, site: Site, index: SiteIndex) -> str:
    """A domain's page (see the module docstring)."""
    page = domain_page(domain)
    questions = round(site.exam.questions * domain.weight / 100)
    out = [page_front_matter(title=domain.title, studyguide={"kind": "domain", "domain": domain.number},
                             search=RANKED_BELOW_NOTES),
           f"# {md_text(domain.title)}", "",
           f'<div class="sg-weight" markdown>**Weight: {domain.weight} %** of the scored content, '
           f"about {questions} of the {site.exam.questions} questions.</div>", "",
           f"Printable summary: [Cheat-sheet: {md_text(domain.name)}]({relative_url(page, cheatsheet_page(domain))}) · "
           f"[Coverage]({relative_url(page, COVERAGE_PAGE)}) of the whole outline", ""]
    out += related_domains(domain, site.exam, site.related_exam)
    out += render_task_statements(index, domain, page)
    out += render_excerpts(site, index, domain, page)
    out += render_domain_services(index, domain, page)
    out += render_domain_resources(site, index, domain, page)
    return "\n".join(out) + "\n"


def related_domains(domain: Domain, exam: Exam, related: Exam | None) -> list[str]:
    """Which domains of the successor exam this domain's material now serves (or of the predecessor, which serve
    this one), each with its reason."""
    out = []
    for links, verb in ((domain.serves, "now serves"), (domain.served_by, "comes from")):
        if not links:
            continue
        out += [f'!!! info "In {md_text(links[0].exam)}: this material {verb}"', ""]
        out += [f"    - {_linked_domain(link, related)}: {md_text(link.reason)}" for link in links] + [""]
    return out


def _linked_domain(link: DomainLink, related: Exam | None) -> str:
    other = related.domain(link.domain) if related is not None and related.code == link.exam else None
    return f"**{md_text(other.title if other else f'Domain {link.domain}')}**"


def render_task_statements(index: SiteIndex, domain: Domain, page: str) -> list[str]:
    coverage = next(found for found in index.coverage if found.domain.number == domain.number)
    out = ["## Task statements", "",
           f"{coverage.covered} of {len(coverage.tasks)} covered by the notes; the strongest sections first.", ""]
    for found in sorted(coverage.tasks, key=lambda t: t.covered):  # the gaps first
        out += [f"- {task_line(page, found, 3, short=True)}", ""]
        bullets = [("Knowledge of", found.task.knowledge), ("Skills in", found.task.skills)]
        if any(items for _, items in bullets):
            out += ['    ??? abstract "Knowledge and skills"', ""]
            for label, items in bullets:
                if items:
                    out += [f"        **{label}:**", ""] + [f"        - {md_text(item)}" for item in items] + [""]
    return out


def quoted_sections(found: list[tuple[Note, Section]], limit: int = EXCERPTS_PER_DOMAIN) -> list[tuple[Note, Section]]:
    """The sections to quote: the strongest with text, one per note first (so a page quotes several notes), then
    the next strongest; shown strongest first."""
    with_text = [(position, item) for position, item in enumerate(found) if item[1].body.strip()]
    chosen: dict[int, tuple[Note, Section]] = {}
    seen_notes: set[str] = set()
    for position, (note, section) in with_text:
        if len(chosen) < limit and note.slug not in seen_notes:
            chosen[position] = (note, section)
            seen_notes.add(note.slug)
    for position, item in with_text:
        if len(chosen) >= limit:
            break
        chosen.setdefault(position, item)
    return [chosen[position] for position in sorted(chosen)]


_DOMAIN_PREFIX = re.compile(r"^\s*domain\s*\d+\s*[:.\-–—]?\s*", re.I)


def excerpt_title(note: Note, section: Section, domain: Domain) -> str:
    """"Section — Note"; a section titled after the domain ("Domain 2: Exploratory Data Analysis (🔄 In
    Progress)") is named by its note alone, so the page does not repeat the domain's name."""
    title = section.title
    names_domain = bool(_DOMAIN_PREFIX.match(title)) or domain.name.casefold() in title.casefold()
    if section.level <= 1 or names_domain:
        rest = _DOMAIN_PREFIX.sub("", title)
        rest = re.sub(re.escape(domain.name), "", rest, flags=re.I)
        rest = re.sub(r"\([^)]*\)", "", rest).strip(" :-–—()")
        return note.title if section.level <= 1 or not rest or names_domain else f"{rest} — {note.title}"
    return f"{title} — {note.title}"


def first_paragraph(body: str, limit: int = SUMMARY_CHARACTERS) -> str:
    """The first paragraph of prose of a section, as plain text, cut at a word near ``limit``."""
    for block in re.split(r"\n\s*\n", body):
        lines = [line for line in block.split("\n") if line.strip() and not line.lstrip().startswith(("<!--", "```", "|"))]
        text = " ".join(heading_plain_text(line.strip().lstrip("-*+>").strip()) for line in lines)
        if text.strip():
            text = " ".join(text.split())
            return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
    return ""


def _summary_text(text: str) -> str:
    """Text for a ``??? "summary"``: no double quotes (they end it), Markdown escaped."""
    return md_text(text.replace('"', "'"))


def render_excerpts(site: Site, index: SiteIndex, domain: Domain, page: str) -> list[str]:
    found = index.domain_sections[domain.number]
    # The quoted sections are found by search at their notes, not here: the section is left out of the index.
    out = [f"## What the notes say {{ {SEARCH_EXCLUDED} }}", ""]
    if not found:
        return out + [f"No note speaks to this domain yet. See [Contributing]({relative_url(page, CONTRIBUTING_PAGE)}) "
                      "to add one.", ""]
    quoted = quoted_sections(found)
    taken = {(note.slug, section.anchor) for note, section in quoted}
    listed = [(note, section) for note, section in found if (note.slug, section.anchor) not in taken]
    out += [f"{len(found)} note sections speak to this domain, strongest first: {len(quoted)} are quoted here "
            "(click one to read it)" + (f", [the other {len(listed)}](#{MORE_SECTIONS_ID}) are linked below." if listed
                                        else "."), ""]
    for note, section in quoted:
        summary = first_paragraph(section.body)
        out += [f'??? quote "{_summary_text(excerpt_title(note, section, domain))}"', ""]
        text = link_mentions(site, rewrite_note_markdown(section.body, note, page, index.notes), page).strip()
        out += ["    " + line if line.strip() else "" for line in text.split("\n")] + [""]
        out += [f"    From {section_link(page, note, section)}", ""]
        if summary:  # visible under the folded section: what it says, before a click
            out += [md_text(summary) + "\n{: .sg-excerpt-summary }", ""]
    if listed:
        out += [f"### More from the notes {{ #{MORE_SECTIONS_ID} }}", ""]
        by_note: dict[str, tuple[Note, list[Section]]] = {}
        for note, section in listed:
            by_note.setdefault(note.slug, (note, []))[1].append(section)
        for note, sections in by_note.values():
            links = " · ".join(f"[{md_text(section.title)}]({relative_url(page, f'{note.page_path}#{section.anchor}')})"
                               for section in sections)
            out.append(f"- [{md_text(index.title_of(note))}]({relative_url(page, note.page_path)}): {links}")
        out.append("")
    return out


def render_domains_index(site: Site) -> str:
    out = [page_front_matter(title="Exam domains"), "# Exam domains", "",
           f"The {md_text(site.exam.code)} outline has {len(site.exam.domains)} domains.", "",
           domain_table(site.exam, DOMAINS_INDEX)]
    return "\n".join(out) + "\n"


def render_domain_services(index: SiteIndex, domain: Domain, page: str) -> list[str]:
    rows = index.domain_services[domain.number]
    mentioned = [(service, count) for service, count in rows if count]
    silent = [service for service, count in rows if not count]
    if not rows:
        return []
    out = ["## Services in this domain's notes", ""]
    if mentioned:
        out += ["Most mentioned first; hover a name for what it is for.", "", "| Service | Mentions here |",
                "| --- | ---: |"]
        out += [f"| [{md_text(service.name)}]({glossary_href(page, service)} \"{_summary_text(service.summary)}\") "
                f"| {count} |" for service, count in mentioned]
        out.append("")
    if silent:
        names = ", ".join(f"[{md_text(service.name)}]({glossary_href(page, service)})" for service in silent)
        out += [f'??? note "Not covered yet: {len(silent)} services of this domain no note mentions"', "",
                f"    {names}", ""]
    return out


def render_domain_resources(site: Site, index: SiteIndex, domain: Domain, page: str) -> list[str]:
    items = [r for r in index.resources if domain.number in r.domains]
    if not items:
        return []
    more = []
    if len(items) > RESOURCES_PER_DOMAIN:  # the most cited ones; the Resources page lists every one
        keep = {id(r) for r in sorted(items, key=lambda r: -len(r.citations))[:RESOURCES_PER_DOMAIN]}
        more = [f"- … and {len(items) - RESOURCES_PER_DOMAIN} more on the "
                f"[Resources]({relative_url(page, RESOURCES_PAGE)}) page."]
        items = [r for r in items if id(r) in keep]
    return (["## Resources for this domain", "",
             f"From the [Resources]({relative_url(page, RESOURCES_PAGE)}) the notes cite.", ""]
            + [resource_item(site, index, r, page) for r in items] + more + [""])
