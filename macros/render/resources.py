"""The Resources page: every external link the notes cite, deduplicated, by kind, with its check status."""
from __future__ import annotations

import datetime as dt

from ..enrich import SiteIndex
from ..model import Site
from ..paths import RESOURCES_PAGE, domain_page
from ..resources import KINDS, Resource
from .markdown import RANKED_BELOW_NOTES, md_text, page_front_matter, relative_url


def status_badge(site: Site, url: str) -> str:
    """The last external check's verdict on ``url`` ("not checked" without one: the Build report says so)."""
    status = site.link_status.get(url)
    if status is None:
        return "not checked"
    checked = dt.datetime.fromtimestamp(status.checked_at, dt.timezone.utc).strftime("%Y-%m-%d")
    if status.ok and status.permanent_redirect and status.final_url:
        return f"moved → {md_text(status.final_url)} ({checked})"
    return f"{'✅ OK' if status.ok else '❌ ' + md_text(status.error or 'broken')} ({checked})"


def resource_item(site: Site, index: SiteIndex, resource: Resource, page: str) -> str:
    """One resource as a list item: labels, hints, domains, citing notes, check status and warnings."""
    notes = index.notes_by_slug
    labels = " / ".join(md_text(label) for label in resource.labels) or md_text(resource.url)
    # Readers see which notes cite a resource; the lines (for contributors) are on the Build report's findings.
    slugs = dict.fromkeys(citation.note_slug for citation in resource.citations)
    cited = [f"[{md_text(index.title_of(notes[slug]))}]({relative_url(page, notes[slug].page_path)})" for slug in slugs]
    parts = [f"[{labels}]({resource.url})"]
    if resource.hints:
        parts.append("*" + "; ".join(md_text(h) for h in resource.hints) + "*")
    domains = [site.exam.domain(d) for d in sorted(resource.domains)]
    if domains:
        parts.append(", ".join(f"[Domain {d.number}]({relative_url(page, domain_page(d))} \"{md_text(d.name)}\")"
                               for d in domains if d))
    parts.append("cited in " + ", ".join(cited))
    if resource.url in site.link_status:  # unchecked links say nothing: the Build report tells how to check
        parts.append(f"status: {status_badge(site, resource.url)}")
    item = "- " + " — ".join(parts)
    by_url, link_problems = index.link_flags.by_url, index.link_flags.problems
    flagged = sorted({index for url in {c.url for c in resource.citations} for index in by_url.get(url, ())})
    for flag in dict.fromkeys(link_problems[index].message for index in flagged):
        item += f"\n    - ⚠️ Suspicious link: {md_text(flag)}"
    return item


def render_resources(site: Site, index: SiteIndex) -> str:
    """Every external link of every note, deduplicated, by kind and exam domain."""
    page = RESOURCES_PAGE
    found = index.resources
    checked = "" if site.link_status else " The links have not been checked against the web yet."
    out = [page_front_matter(title="Resources", studyguide={"kind": "resources"}, search=RANKED_BELOW_NOTES), "# Resources", "",
           f"{len(found)} distinct external resources cited by the notes, grouped by kind. Each names the exam "
           "domains it serves (from the note section that cites it, or the service it documents); every domain page "
           f"lists its own.{checked} ⚠️ Suspicious link marks a link that looks wrong.", ""]
    for kind, title in KINDS:
        of_kind = [r for r in found if r.kind == kind]
        if not of_kind:
            continue
        of_kind.sort(key=lambda r: (min(r.domains, default=99), r.labels[0].casefold() if r.labels else r.url))
        out += [f"## {title}", ""] + [resource_item(site, index, r, page) for r in of_kind] + [""]
    return "\n".join(out) + "\n"
