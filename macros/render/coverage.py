"""The Coverage page (every task statement: how many note sections cover it, the strongest ones; per domain the
share of tasks covered and the author's own progress) and the home page's coverage summary."""
from __future__ import annotations

from ..enrich import Checklist, SiteIndex, TaskCoverage
from ..model import Note, Section, Site
from ..paths import COVERAGE_PAGE, domain_page
from .markdown import NOT_SEARCHED, md_text, page_front_matter, relative_url

STRONGEST_PER_TASK = 5  # sections linked per task statement; the domain page quotes them


def section_link(page: str, note: Note, section: Section, short: bool = False) -> str:
    """"[Note › Section](…#anchor)", or the note alone for its title section; ``short``: the section's title
    alone, the note's as the tooltip."""
    if short and section.level > 1:
        return f"[{md_text(section.title)}]({relative_url(page, f'{note.page_path}#{section.anchor}')} " \
               f"\"{md_text(note.title).replace(chr(34), chr(39))}\")"
    label = md_text(note.title) + (f" › {md_text(section.title)}" if section.level > 1 else "")
    return f"[{label}]({relative_url(page, f'{note.page_path}#{section.anchor}')})"


def task_line(page: str, found: TaskCoverage, limit: int = STRONGEST_PER_TASK, short: bool = False) -> str:
    """"**2.1** Sanitize and prepare data … — 3 sections: [a](…) · [b](…)"."""
    # The empty span is where the reader's own tick goes (docs/javascripts/study.js, [data-task]).
    head = f'<span data-task="{found.task.id}"></span>**{found.task.id}** {md_text(found.task.text)}'
    if not found.sections:
        return f"{head} — **not covered** by any note yet"
    count = len(found.sections)
    links = " · ".join(section_link(page, note, section, short) for note, section in found.sections[:limit])
    more = f" (and {count - limit} more)" if count > limit else ""
    return f"{head} — {count} section{'s' if count != 1 else ''}: {links}{more}"


def _checked(checklist: Checklist) -> str:
    if not checklist.total:
        return "no checklist"
    return f"{checklist.done} of {checklist.total} items checked ({round(100 * checklist.done / checklist.total)} %)"


def render_coverage(site: Site, index: SiteIndex) -> str:
    page = COVERAGE_PAGE
    tasks = [found for domain in index.coverage for found in domain.tasks]
    uncovered = [found for found in tasks if not found.covered]
    out = [page_front_matter(title="Coverage", studyguide={"kind": "coverage"}, search=NOT_SEARCHED), "# Coverage", "",
           f"How much of the {md_text(site.exam.code)} outline the notes cover: {len(tasks) - len(uncovered)} of "
           f"{len(tasks)} task statements have at least one note section assigned to them (see "
           "[how a section is assigned](#how-sections-are-assigned)).", "",
           coverage_table(site, index, page), "", f"## Not covered yet ({len(uncovered)})", ""]
    out += [f"- {task_line(page, found)}" for found in uncovered] or ["Every task statement has a note section."]
    out += ["", "## Task statements", ""]
    for domain in index.coverage:
        link = f"[{md_text(domain.domain.title)}]({relative_url(page, domain_page(domain.domain))})"
        out += [f"### {md_text(domain.domain.title)}", "",
                f"{link}: {domain.covered} of {len(domain.tasks)} task statements covered "
                f"({round(100 * domain.share)} %), by {domain.notes} note{'s' if domain.notes != 1 else ''}.", ""]
        out += [f"- {task_line(page, found)}" for found in sorted(domain.tasks, key=lambda t: t.covered)] + [""]
    out += ["## Your progress", "",
            "Checklists (`- [x]` done, `- [ ]` to do) in the note sections of each domain:", "",
            "| Domain | Checklist |", "| --- | --- |"]
    out += [f"| {md_text(d.domain.title)} | {_checked(d.checklist)} |" for d in index.coverage]
    if index.stated_progress:
        out += ["", "Progress the notes state in their front matter:", ""]
        out += [f"- [{md_text(p.note.title)}]({relative_url(page, p.note.page_path)}): "
                f"{p.percent:g} % (`{md_text(p.key)}`)" for p in index.stated_progress]
    out += ["", "## How sections are assigned", "",
            "Each note section is scored against every task statement of the outline from its pins "
            "(`<!-- domain: 2 -->`, `<!-- task: 2.1 -->`), the note's front matter `domains`, the folder it is "
            "filed in, its headings and its words (the outline's phrases and the services it names). A section "
            "covers the tasks it scores best on; the strongest sections are listed first.", ""]
    return "\n".join(out) + "\n"


def coverage_table(site: Site, index: SiteIndex, page: str) -> str:
    """Domain, weight, task statements covered, notes: the home page's summary and the Coverage page's head."""
    lines = ["| Domain | Weight | Tasks covered | Notes |", "| --- | ---: | ---: | ---: |"]
    for found in index.coverage:
        domain = found.domain
        lines.append(f"| [{md_text(domain.title)}]({relative_url(page, domain_page(domain))}) | {domain.weight} % "
                     f"| {found.covered} of {len(found.tasks)} | {found.notes} |")
    return "\n".join(lines)


def coverage_summary(site: Site, page: str) -> str:
    """The home page's coverage table, linking the Coverage page."""
    return (coverage_table(site, site.index, page)
            + f"\n\nEvery task statement, the notes that cover it and your checklists: "
              f"[Coverage]({relative_url(page, COVERAGE_PAGE)}).")
