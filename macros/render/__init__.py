"""Render stage: the Markdown of every generated page, from the site model and its per-build index.

One module per page kind; ``markdown`` holds the helpers they share. Every generated page starts
with front matter carrying ``render_macros: false``: notes are contributed by strangers, so their
text is data and never a Jinja template. Text taken from notes into other pages goes through
``md_text`` so it cannot open HTML or Markdown syntax.
"""
from __future__ import annotations

from ..enrich import SiteIndex
from ..model import Site
from ..paths import (COVERAGE_PAGE, DOMAINS_INDEX, FLASHCARDS_PAGE, GLOSSARY_PAGE, NOTES_INDEX, REPORT_PAGE, RESOURCES_PAGE,
                     TAGS_PAGE, domain_page)
from ..paths import note_group_page
from .anki import anki_package
from .cheatsheet import cheatsheet_pages
from .coverage import coverage_summary, render_coverage
from .domain import render_domain, render_domains_index
from .flashcards import Flashcard, flashcard_links, flashcards, render_flashcards, study_progress
from .glossary import render_glossary
from .home import cheatsheet_links, domain_table, exam_summary, for_exam, home_notes, note_table
from .markdown import md_text, page_front_matter, relative_url
from .note import note_page_inputs, render_note
from .note_memo import NOTE_PAGES, link_surface
from .notes_index import (NOTES_GROUPED_OVER, note_group_title, notes_grouped, render_note_group, render_notes_index,
                          render_tags_index)
from .report import render_report
from .resources import render_resources

__all__ = [
    "NOTES_GROUPED_OVER", "Flashcard", "anki_package", "cheatsheet_links", "coverage_summary", "domain_table",
    "exam_summary", "flashcard_links", "flashcards", "for_exam", "generated_pages", "home_notes", "md_text",
    "note_group_title", "note_table", "notes_grouped", "page_front_matter", "relative_url", "study_progress",
]


def generated_pages(site: Site, index: SiteIndex | None = None, pdf: bool = False) -> dict[str, str]:
    """Every generated page: docs path → Markdown. Drafts are included only when the site has them;
    ``pdf``: this build prints the cheat-sheets, so their pages link the PDFs."""
    index = index or site.index
    pages: dict[str, str] = {
        DOMAINS_INDEX: render_domains_index(site),
        COVERAGE_PAGE: render_coverage(site, index),
        NOTES_INDEX: render_notes_index(site, index),
        RESOURCES_PAGE: render_resources(site, index),
        REPORT_PAGE: render_report(site),
        FLASHCARDS_PAGE: render_flashcards(site, index, flashcards(site, index)),
    }
    if site.catalog is not None:
        pages[GLOSSARY_PAGE] = render_glossary(site, index)
    if any(note.tags for note in site.notes):
        pages[TAGS_PAGE] = render_tags_index()
    for domain in site.exam.domains:
        pages[domain_page(domain)] = render_domain(domain, site, index)
    shared = (site.exam, site.catalog, site.matcher, link_surface(site, index))
    for note in site.notes:
        pages[note.page_path] = NOTE_PAGES.page(note, shared, note_page_inputs(note, site, index),
                                                lambda: render_note(note, site, index))  # noqa: B023 - called at once
    NOTE_PAGES.keep_only({note.slug for note in site.notes})
    pages.update(cheatsheet_pages(site, index, pdf))
    if notes_grouped(site):
        for domain, members in index.note_groups:
            pages[note_group_page(domain)] = render_note_group(domain, members, index.listed_titles)
    return pages
