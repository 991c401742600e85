"""The Resources page: every external link the notes cite, deduplicated, by kind, with its check status."""
from __future__ import annotations

import datetime as dt

from ..enrich import SiteIndex
from ..model import Site
from ..paths import RESOURCES_PAGE, domain_page
from ..resources import KINDS, Resource
from .markdown import RANKED_BELOW_NOTES, md_text, page_front_matter, relative_url


def status_badge(site: Site, url: str) -> str:
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
    cited = []
    lines_by_note: dict[str, list[str]] = {}  # one pass: a resource may be cited by most notes
    for citation in resource.citations:
        lines_by_note.setdefault(citation.note_slug, []).append(str(citation.line))
    for slug, lines in lines_by_note.items():
        note = notes[slug]
        cited.append(f"[{md_text(note.title)}]({relative_url(page, note.page_path)}) (line {', '.join(lines)})")
    parts = [f"[{labels}]({resource.url})"]
    if resource.hints:
        parts.append("*" + "; ".join(md_text(h) for h in resource.hints) + "*")
    domains = [site.exam.domain(d) for d in sorted(resource.domains)]
    if domains:
        parts.append("domains " + ", ".join(
            f"[{d.number}]({relative_url(page, domain_page(d))} \"{md_text(d.name)}\")" for d in domains if d))
    parts.append("cited in " + ", ".join(cited))
    parts.append(f"status: {status_badge(site, resource.url)}")
    item = "- " + " — ".join(parts)
    by_url, link_problems = index.link_flags.by_url, index.link_flags.problems
    flagged = sorted({index for url in {c.url for c in resource.citations} for index in by_url.get(url, ())})
    for flag in dict.fromkeys(link_problems[index].message for index in flagged):
        item += f"\n    - ⚠️ {md_text(flag)}"
    return item


def render_resources(site: Site, index: SiteIndex) -> str:
    """Every external link of every note, deduplicated, by kind and exam domain."""
    page = RESOURCES_PAGE
    found = index.resources
    checked = "" if site.link_status else (" External links have not been checked yet: run "
                                          "`STUDYGUIDE_CHECK_EXTERNAL=1 mkdocs build`.")
    out = [page_front_matter(title="Resources", studyguide={"kind": "resources"}, search=RANKED_BELOW_NOTES), "# Resources", "",
           f"{len(found)} distinct external resources cited by the notes, grouped by kind. Each names the exam "
           "domains it serves (from the note section that cites it, or the service it documents); every domain page "
           f"lists its own.{checked} ⚠️ marks a link that looks wrong.", ""]
    for kind, title in KINDS:
        of_kind = [r for r in found if r.kind == kind]
        if not of_kind:
            continue
        of_kind.sort(key=lambda r: (min(r.domains, default=99), r.labels[0].casefold() if r.labels else r.url))
        out += [f"## {title}", ""] + [resource_item(site, index, r, page) for r in of_kind] + [""]
    return "\n".join(out) + "\n"
