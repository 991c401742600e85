"""The service glossary: every catalog service with its names, domains and the note sections mentioning it."""
from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..enrich import SiteIndex
from ..model import Mention, Note, Service, Site
from ..paths import CONTRIBUTING_PAGE, GLOSSARY_PAGE, domain_page
from .markdown import RANKED_BELOW_NOTES, md_text, page_front_matter, relative_url


def mentions_by_service(mentions: Iterable[Mention]) -> dict[str, list[Mention]]:
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        grouped[mention.service_key].append(mention)
    return grouped


_VENDOR = re.compile(r"^(?:Amazon|AWS)\s+", re.I)


def glossary_letter(service: Service) -> str:
    """The letter of the A–Z bar a service is filed under: its name without "Amazon"/"AWS" (else every entry
    is an A), "#" for a name that starts with neither a letter."""
    first = _VENDOR.sub("", service.name)[:1].upper()
    return first if first.isalpha() and first.isascii() else "#"


def _entry_open(service: Service) -> str:
    """The wrapper the glossary's filter (javascripts/glossary.js) shows or hides: letter and every name."""
    names = " | ".join([service.name, *service.aliases, *service.former_names, *service.misspellings])
    return (f'<div class="sg-entry" data-letter="{html.escape(glossary_letter(service))}" '
            f'data-names="{html.escape(names)}" markdown>')


def _service_entry(service: Service, site: Site, mentions: list[Mention], notes: dict[str, Note]) -> list[str]:
    page = GLOSSARY_PAGE
    titles = site.index.listed_titles if site.index is not None else {}
    out = [_entry_open(service), "", f"### {md_text(service.name)} {{ #{service.key} }}", "", md_text(service.summary), ""]
    facts = []
    if service.aliases:
        facts.append("**Also written:** " + ", ".join(md_text(a) for a in service.aliases))
    if service.former_names:
        facts.append("**Formerly:** " + ", ".join(md_text(a) for a in service.former_names))
    if service.misspellings:
        facts.append("**Misspelled in notes as:** " + ", ".join(md_text(a) for a in service.misspellings))
    domains = [site.exam.domain(d) for d in service.domains_in(site.exam) if site.exam.domain(d)]
    if domains:
        facts.append("**Exam domains:** " + ", ".join(
            f"[{d.number}. {md_text(d.name)}]({relative_url(page, domain_page(d))})" for d in domains))
    facts.append(f"**Documentation:** [{md_text(service.docs_url)}]({service.docs_url})")
    out += [f"- {fact}" for fact in facts] + [""]
    if mentions:
        per_section = Counter((m.note_slug, m.section_anchor) for m in mentions)
        out += [f"**Mentioned in** ({len(mentions)} mention{'s' if len(mentions) != 1 else ''} "
                f"in {len(per_section)} section{'s' if len(per_section) != 1 else ''}):", ""]
        listed = list(per_section.items())
        if len(listed) > MENTIONS_PER_SERVICE:
            # One entry could list most of the notes at 3,000 notes: keep the sections that mention the
            # service most (in note order); the rest is counted, and the search finds it.
            keep = {key for key, _ in sorted(listed, key=lambda item: -item[1])[:MENTIONS_PER_SERVICE]}
            rest = [(key, count) for key, count in listed if key not in keep]
            listed = [(key, count) for key, count in listed if key in keep]
        else:
            rest = []
        for (slug, anchor), count in listed:
            note = notes[slug]
            section = next((s for s in note.sections if s.anchor == anchor), None)
            label = md_text(titles.get(slug, note.title)) + (f" › {md_text(section.title)}" if section and section.level > 1 else "")
            target = relative_url(page, f"{note.page_path}#{anchor}" if anchor else note.page_path)
            out.append(f"- [{label}]({target}) ({count})")
        if rest:
            out.append(f"- … and {len(rest)} more sections in {len({slug for (slug, _), _ in rest})} notes "
                       f"({sum(count for _, count in rest)} mentions): search the guide for {md_text(service.name)}.")
        out.append("")
    return out + ["</div>", ""]


MENTIONS_PER_SERVICE = 30  # sections listed under a glossary entry's "Mentioned in"; the others are counted


def render_glossary(site: Site, index: SiteIndex) -> str:
    """The service glossary: by category, alphabetical; services no note mentions listed apart."""
    catalog = site.catalog
    assert catalog is not None
    grouped = mentions_by_service(site.mentions)
    notes = index.notes_by_slug
    mentioned = [s for s in catalog.services if grouped.get(s.key)]
    uncovered = [s for s in catalog.services if not grouped.get(s.key)]
    out = [page_front_matter(title="Service glossary", studyguide={"kind": "glossary"},
                                             search=RANKED_BELOW_NOTES), "# Service glossary", "",
           f"{len(catalog.services)} AWS services and SageMaker features: what each is for, which exam domains it "
           f"serves, and every note section that mentions it. {len(mentioned)} are mentioned by the notes, "
           f"{len(uncovered)} are [not yet covered by any note](#not-yet-covered-by-any-note). "
           "Filter by name or jump by letter with the bar below.", "",
           '<div class="sg-glossary" markdown>', ""]
    for category in catalog.categories:
        services = sorted((s for s in mentioned if s.category == category), key=lambda s: s.name.casefold())
        if not services:
            continue
        out += ['<section class="sg-category" markdown>', "",
                f"## {md_text(catalog.category_titles.get(category, category))}", ""]
        for service in services:
            out += _service_entry(service, site, grouped[service.key], notes)
        out += ["</section>", ""]
    out += ["## Not yet covered by any note", "",
            "No note mentions these services yet: a note about one of them is a welcome contribution "
            f"(see [Contributing]({relative_url(GLOSSARY_PAGE, CONTRIBUTING_PAGE)})).", ""]
    for category in catalog.categories:
        services = sorted((s for s in uncovered if s.category == category), key=lambda s: s.name.casefold())
        if services:
            out += ['<section class="sg-category" markdown>', "",
                    f"**{md_text(catalog.category_titles.get(category, category))}**", ""]
            for service in services:
                out += _service_entry(service, site, [], notes)
            out += ["</section>", ""]
    return "\n".join(out + ["</div>"]) + "\n"
