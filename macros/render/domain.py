"""The exam domains' pages: each domain's weight, task statements, services, resources and note sections;
and the domains index."""
from __future__ import annotations

from ..enrich import SiteIndex
from ..model import Domain, Note, Site
from ..paths import CONTRIBUTING_PAGE, DOMAINS_INDEX, RESOURCES_PAGE, cheatsheet_page, domain_page
from .home import domain_table
from .markdown import RANKED_BELOW_NOTES, SEARCH_EXCLUDED, md_text, page_front_matter, relative_url
from .resources import resource_item
from .rewrite import glossary_href, link_mentions, rewrite_note_markdown


def render_domain(domain: Domain, site: Site, index: SiteIndex) -> str:
    """A domain's page: weight, task statements, and every note section that speaks to it."""
    page = domain_page(domain)
    questions = round(site.exam.questions * domain.weight / 100)
    out = [page_front_matter(title=domain.title, studyguide={"kind": "domain", "domain": domain.number},
                             search=RANKED_BELOW_NOTES),
           f"# {md_text(domain.title)}", "",
           f'<div class="sg-weight" markdown>**Weight: {domain.weight} %** of the scored content, '
           f"about {questions} of the {site.exam.questions} questions.</div>", "",
           f"Printable summary: [Cheat-sheet: {md_text(domain.name)}]({relative_url(page, cheatsheet_page(domain))})", "",
           "## Task statements", ""]
    out += [f"- **{task.id}** {md_text(task.text)}" for task in domain.tasks]
    out += [""] + render_domain_services(index, domain, page)
    out += render_domain_resources(site, index, domain, page)
    found = index.domain_sections[domain.number]
    out += ["## What the notes say", ""]
    if not found:
        out += [f"No note speaks to this domain yet. See [Contributing]({relative_url(page, CONTRIBUTING_PAGE)}) to add one.", ""]
    # Quoting every section would make one page hold most of the notes at 3,000 notes: the first
    # EXCERPTS_PER_DOMAIN are quoted, every other one is a link (a reader still reaches each section).
    quoted, listed = found[:EXCERPTS_PER_DOMAIN], found[EXCERPTS_PER_DOMAIN:]
    if listed:
        out += [f"{len(found)} note sections speak to this domain: the first {len(quoted)} are quoted here, "
                f"[the other {len(listed)}](#{MORE_SECTIONS_ID}) are linked below, note by note.", ""]
    for note, section in quoted:
        target = relative_url(page, f"{note.page_path}#{section.anchor}")
        # A quoted section is found by search at its note, not here (SEARCH_EXCLUDED).
        out += [f"### {md_text(section.title)} {{ data-note=\"{note.slug}\" {SEARCH_EXCLUDED} }}", "",
                f"From [{md_text(index.title_of(note))} › {md_text(section.title)}]({target})", ""]
        text = link_mentions(site, rewrite_note_markdown(section.body, note, page, index.notes), page).strip()
        if text:
            out += ['<div class="sg-excerpt" markdown>', "", text, "", "</div>", ""]
    if listed:
        out += [f"## More from the notes {{ #{MORE_SECTIONS_ID} }}", ""]
        by_note: dict[str, tuple[Note, list]] = {}
        for note, section in listed:
            by_note.setdefault(note.slug, (note, []))[1].append(section)
        for note, sections in by_note.values():
            links = " · ".join(f"[{md_text(section.title)}]({relative_url(page, f'{note.page_path}#{section.anchor}')})"
                               for section in sections)
            out.append(f"- [{md_text(index.title_of(note))}]({relative_url(page, note.page_path)}): {links}")
        out.append("")
    return "\n".join(out) + "\n"


EXCERPTS_PER_DOMAIN = 30  # note sections quoted in full on a domain page; the others are linked
MORE_SECTIONS_ID = "sg-more-from-the-notes"


def render_domains_index(site: Site) -> str:
    out = [page_front_matter(title="Exam domains"), "# Exam domains", "",
           f"The {md_text(site.exam.code)} outline has {len(site.exam.domains)} domains.", "",
           domain_table(site.exam, DOMAINS_INDEX)]
    return "\n".join(out) + "\n"


def render_domain_services(index: SiteIndex, domain: Domain, page: str) -> list[str]:
    rows = index.domain_services[domain.number]
    if not rows:
        return []
    out = ["## Services for this domain", "",
           "From the glossary catalog and the notes' sections on this domain, most mentioned first.", "",
           "| Service | Mentions here | What it is for |", "| --- | ---: | --- |"]
    for service, count in rows:
        out.append(f"| [{md_text(service.name)}]({glossary_href(page, service)}) | {count} | {md_text(service.summary)} |")
    return out + [""]


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


RESOURCES_PER_DOMAIN = 30  # resources listed on a domain page, most cited first; all are on the Resources page
