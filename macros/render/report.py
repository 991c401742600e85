"""The Build report page: what the checks found, the findings accepted for now, the external links' status."""
from __future__ import annotations

from ..model import Problem, Site
from ..paths import LINK_REPORT, REPORT_PAGE
from .markdown import RANKED_BELOW_NOTES, md_text, page_front_matter, relative_url
from .resources import status_badge


def _problem_rows(problems: list[Problem]) -> list[str]:
    rows = ["| Where | Finding |", "| --- | --- |"]
    rows += [f"| `{p.file}{':' + str(p.line) if p.line else ''}` | {md_text(p.message)} |" for p in problems]
    return rows


def render_report(site: Site) -> str:
    """What the checks found: problems that fail `--strict`, findings accepted for now, external links."""
    failing = [p for p in site.problems if p.level not in ("accepted", "info")]
    notes = [p for p in site.problems if p.level == "info"]
    accepted = [p for p in site.problems if p.level == "accepted"]
    out = [page_front_matter(title="Build report", studyguide={"kind": "report"}, search=RANKED_BELOW_NOTES), "# Build report", "",
           "Every build checks the notes: front matter, titles, internal links and anchors, attachments, service "
           "names, and suspicious external links. Problems fail `mkdocs build --strict`; findings the maintainers "
           "accepted in `seeds/accepted-findings.yml` are listed here instead, so they stay visible.", "",
           f"## Problems ({len(failing)})", ""]
    out += _problem_rows(failing) if failing else ["None: the notes build clean."]
    out += ["", f"## Accepted findings ({len(accepted)})", ""]
    out += _problem_rows(accepted) if accepted else ["None."]
    out += ["", f"## Files not published ({len(site.skipped)})", "",
            "Folders and files of the notes folder that are not notes, and why (a hidden one that holds notes is "
            "also a problem above).", ""]
    if site.skipped:
        out += ["| File or folder | Why |", "| --- | --- |"]
        out += [f"| {md_text(s.file)} | {md_text(s.reason)} |" for s in site.skipped]
    else:
        out += ["None."]
    if notes:
        out += ["", f"## Notes ({len(notes)})", "", "Worth knowing; they never fail a build.", ""] + _problem_rows(notes)
    out += ["", "## Notes and their files", "",
            "Where each note's page comes from: its file and the format it was read as (see Contributing).", "",
            "| Note | File | Format |", "| --- | --- | --- |"]
    titles = site.index.listed_titles if site.index is not None else {}
    for note in sorted(site.notes, key=lambda n: n.source):
        out.append(f"| [{md_text(titles.get(note.slug, note.title))}]({relative_url(REPORT_PAGE, note.page_path)}) "
                   f"| {md_text(note.source)} | {md_text(note.dialect)} |")
    if site.index is not None and site.index.unreferenced_assets:
        count = len(site.index.unreferenced_assets)
        out += ["", f"{count} file{'s' if count != 1 else ''} of the notes folder "
                f"{'are' if count != 1 else 'is'} linked by no note, so not published.", ""]
    out += ["", "## External links", ""]
    if site.link_status:
        broken = [s for s in site.link_status.values() if not s.ok]
        out += [f"Last check: {len(site.link_status)} URLs, {len(broken)} broken. "
                f"The JSON report is published as [{LINK_REPORT}]({relative_url(REPORT_PAGE, LINK_REPORT)}).", "",
                "| URL | Status |", "| --- | --- |"]
        out += [f"| {md_text(url)} | {status_badge(site, url)} |" for url in sorted(site.link_status)]
    else:
        out += ["No external check has run yet. `STUDYGUIDE_CHECK_EXTERNAL=1 mkdocs build` checks every external "
                "URL (cached for a day in `.cache/studyguide/`)."]
    return "\n".join(out) + "\n"
