"""Every generated page's docs path and URL, in one place: nothing else writes a page path.

Docs paths are what MkDocs calls ``src_uri`` (``notes/x.md``); URLs are where the built page is
served (``notes/x/``, directory URLs). Imports nothing at run time (``model`` imports this module).
"""
from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # type hints only: model imports paths
    from .model import Domain

HOME_PAGE = "index.md"
CONTRIBUTING_PAGE = "contributing.md"

NOTES_DIR = "notes"
NOTES_INDEX = f"{NOTES_DIR}/index.md"
ATTACHMENT_DIR = "attachments"  # inside the notes folder; published at notes/attachments/
NOTE_GROUPS_SLUG = "by-domain"
NOTE_GROUPS_DIR = f"{NOTES_DIR}/{NOTE_GROUPS_SLUG}"
# Generated pages under notes/ (the Notes index, the by-domain group pages, the attachments folder): a note
# whose file name would give it one of these URLs gets another slug (normalize.note_slug), never the page.
RESERVED_NOTE_SLUGS = frozenset({"index", NOTE_GROUPS_SLUG, ATTACHMENT_DIR, "assets"})

DOMAINS_DIR = "domains"
DOMAINS_INDEX = f"{DOMAINS_DIR}/index.md"

COVERAGE_PAGE = "coverage.md"
GLOSSARY_PAGE = "glossary.md"
RESOURCES_PAGE = "resources.md"
REPORT_PAGE = "report.md"
TAGS_PAGE = "tags.md"
LINK_REPORT = "reports/links.json"  # the last external check's JSON report, published as is
NOTES_REPORT = "reports/notes.json"  # every note's place in the outline, as data

FLASHCARDS_PAGE = "flashcards.md"
DOWNLOADS_DIR = "downloads"  # generated static files (the Anki deck), not pages

CHEATSHEET_DIR = "cheatsheets"
CHEATSHEET_INDEX = f"{CHEATSHEET_DIR}/index.md"
CHEATSHEET_ALL = f"{CHEATSHEET_DIR}/all.md"
PDF_DIR = f"{CHEATSHEET_DIR}/pdf"  # inside the built site
ALL_PDF = "all-domains.pdf"


def note_page(slug: str) -> str:
    return f"{NOTES_DIR}/{slug}.md"


def attachment_page(name: str) -> str:
    return f"{NOTES_DIR}/{ATTACHMENT_DIR}/{name}"


ASSET_DIR = "assets"  # images and files of the notes folder outside attachments/, published at notes/assets/<path>


def asset_page(published_name: str) -> str:
    return f"{NOTES_DIR}/{ASSET_DIR}/{published_name}"


def domain_page(domain: Domain) -> str:
    return f"{DOMAINS_DIR}/{domain.slug}.md"


def note_group_page(domain: Domain | None) -> str:
    """The index page of the notes filed under ``domain`` (None: under no domain, "Other")."""
    return f"{NOTE_GROUPS_DIR}/{domain.slug if domain else 'other'}/index.md"


def cheatsheet_page(domain: Domain) -> str:
    return f"{CHEATSHEET_DIR}/{domain.slug}.md"


def anki_package(exam_code: str) -> str:
    """The Anki package of the exam's flashcards (a static file, published as is)."""
    return f"{DOWNLOADS_DIR}/{exam_code.lower()}-flashcards.apkg"


def pdf_name(domain: Domain) -> str:
    return f"{domain.slug}.pdf"


def page_url(docs_path: str) -> str:
    """Where MkDocs serves a page (directory URLs): ``a/b.md`` → ``a/b/``, ``a/index.md`` → ``a/``."""
    stem = docs_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def pdf_href(from_page: str, name: str) -> str:
    """A PDF's URL relative to a page's served URL (raw HTML links are not rewritten by MkDocs)."""
    return posixpath.relpath(f"{PDF_DIR}/{name}", page_url(from_page).rstrip("/") or ".")


def pdf_targets(domains: tuple[Domain, ...] | list[Domain]) -> list[tuple[str, str]]:
    """(page URL inside the built site, PDF file name) of every PDF a build with PDFs makes."""
    targets = [(page_url(cheatsheet_page(d)), pdf_name(d)) for d in domains]
    return targets + [(page_url(CHEATSHEET_ALL), ALL_PDF)]
