"""The notes index, the index page of each group of notes (notes filed under exam domains) and the tags page."""
from __future__ import annotations

from ..enrich import SiteIndex
from ..model import Domain, Note, Site
from ..paths import NOTES_INDEX, domain_page, note_group_page
from .home import note_table
from .markdown import NOT_SEARCHED, md_text, page_front_matter, relative_url


NOTES_GROUPED_OVER = 30  # past this many notes, the Notes navigation files them under exam domains


def notes_grouped(site: Site) -> bool:
    """Whether the notes are filed under exam domains (navigation and one index page per domain)."""
    return len(site.notes) > NOTES_GROUPED_OVER


def note_group_title(domain: Domain | None) -> str:
    return domain.name if domain else "Other"


def render_note_group(domain: Domain | None, notes: list[Note], titles: dict[str, str] | None = None) -> str:
    """The index page of one group of notes: every note filed under that domain (or under none)."""
    page = note_group_page(domain)
    title = f"Notes: {note_group_title(domain)}"
    if domain is not None:
        intro = (f"{len(notes)} notes filed under [{md_text(domain.title)}]({relative_url(page, domain_page(domain))}): "
                 "their primary domain, from their front matter, folder, headings and words (each note page says why). "
                 "A note is filed under one domain only; the domain page gathers every note section on it.")
    else:
        intro = f"{len(notes)} notes in which no evidence points at an exam domain."
    return (page_front_matter(title=title, studyguide={"kind": "note-group", "domain": domain.number if domain else None},
                              search=NOT_SEARCHED)
            + f"# {md_text(title)}\n\n{intro}\n\n" + note_table(notes, page, titles) + "\n")


def _note_group_links(index: SiteIndex, page: str) -> str:
    return " · ".join(f"[{md_text(note_group_title(domain))}]({relative_url(page, note_group_page(domain))}) "
                      f"({len(members)})" for domain, members in index.note_groups)


def render_notes_index(site: Site, index: SiteIndex) -> str:
    published = [n for n in site.notes if not n.draft]
    drafts = [n for n in site.notes if n.draft]  # present only when drafts are built (mkdocs serve)
    listed = ("\n## Drafts\n\nShown by `mkdocs serve` only; the published site leaves them out.\n\n"
              + note_table(drafts, NOTES_INDEX, index.listed_titles) + "\n") if drafts else ""
    groups = (f"By exam domain: {_note_group_links(index, NOTES_INDEX)}.\n\n" if notes_grouped(site) else "")
    return (page_front_matter(title="Notes") + "# Notes\n\n"
            + f"{len(published)} notes, each on its own page.\n\n" + groups + note_table(published, NOTES_INDEX, index.listed_titles) + "\n"
            + listed)


def render_tags_index() -> str:
    return page_front_matter(title="Tags") + "# Tags\n\n<!-- material/tags -->\n"
