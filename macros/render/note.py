"""A note's page: its body as written (links resolved, mentions linked), then what the guide knows about it."""
from __future__ import annotations

import html
from itertools import accumulate, groupby

from ..enrich import SiteIndex, lead_in_anchors
from ..model import Note, Site
from ..normalize import note_markdown
from ..paths import domain_page
from .home import iso_date
from .markdown import md_text, page_front_matter, relative_url
from .rewrite import apply_edits, mention_edits, note_link_edits


def _fence_for(text: str) -> str:
    longest = max((len(list(run)) for tick, run in groupby(text) if tick == "`"), default=0)
    return "`" * max(3, longest + 1)


def _details_table(note: Note) -> str:
    rows: list[tuple[str, str]] = []  # the source file and its format are on the Build report (contributors' details)
    for label, value in (("File last changed", iso_date(note.changed)),
                         ("Created", iso_date(note.created)), ("Updated", iso_date(note.updated)),
                         ("Studied since", iso_date(note.studied)), ("Status", md_text(note.status)),
                         ("Description", md_text(note.description))):
        if value:
            rows.append((label, value))
    if note.attachments:
        rows.append(("Attachments", ", ".join(md_text(a) for a in note.attachments)))
    for key, value in note.extra.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        rows.append((md_text(key), md_text(shown).replace("\n", " ")))
    lines = ["| Field | Value |", "| --- | --- |"]
    lines += [f"| {label} | {value} |" for label, value in rows]
    return "\n".join(lines)


def note_link_flags(note: Note, site: Site, index: SiteIndex) -> dict[tuple[str, str], list[str]]:
    """(URL, label) of each link of ``note`` a link finding names (at the link's line) → the findings' messages.
    Accepted findings count: they stay visible to readers."""
    by_line = index.link_flags.by_line.get(note.source)
    if not by_line:  # most notes: no need to look at the site's links
        return {}
    found: dict[tuple[str, str], list[str]] = {}
    for link in site.links:
        messages = by_line.get((link.url, link.line)) if link.note_slug == note.slug else None
        if messages:
            found.setdefault((link.url, link.label), []).extend(m for m in messages if m not in found.get((link.url, link.label), []))
    return found


def note_header(note: Note) -> list[str]:
    """Markdown lines under a note's title: the draft notice, then when it last changed and its own dates."""
    out = []
    if note.draft:
        out += ['!!! warning "Draft — not published"', "",
                "    This note is a draft (`draft: true` or `published: false`): `mkdocs serve` shows it so that "
                "you can preview it, and the published site leaves it out. Set `draft: false` to publish it.", ""]
    dates = [f"last updated {iso_date(note.changed)}"] if note.changed else []
    dates += [f"{label} {iso_date(value)}" for label, value in (("created", note.created), ("studied since", note.studied))
              if value]
    if dates:
        line = " · ".join(dates)
        out += [line[0].upper() + line[1:], "{: .sg-byline }", ""]
    return out


def placement_lines(note: Note, site: Site) -> list[str]:
    """Why the note is filed where it is: its primary domain (linked), the other domains and main tasks, and the
    evidence ("why" line) the assignment found."""
    placement = note.placement
    if placement is None:
        return []
    page = note.page_path
    linked = [f"[{md_text(d.title)}]({relative_url(page, domain_page(d))})"
              for d in (site.exam.domain(n) for n in placement.domains) if d]
    if not linked:
        return [f"**Exam domain:** none found ({md_text(placement.why)}).", ""]
    out = [f"**Exam domain:** {linked[0]}" + (f"; also {', '.join(linked[1:])}" if linked[1:] else ""), ""]
    tasks = {t.id: t for d in site.exam.domains for t in d.tasks}
    if placement.tasks:
        out += ["**Task statements:** " + "; ".join(f"{t} {md_text(tasks[t].text)}" for t in placement.tasks if t in tasks), ""]
    return out + [f"**Why:** {md_text(placement.why)}", "{: .sg-why }", ""]


def note_page_inputs(note: Note, site: Site, index: SiteIndex) -> tuple[tuple, tuple]:
    """What a note's page reads besides the note and the link surface (``note_memo``): (objects, values). The
    objects: its mention scan and the notes it embeds (the same objects while their files are unchanged); the
    values: when its file last changed, the notes linking to it, the link findings about it."""
    scan = site.note_scans.get(note.slug) if site.matcher is not None else None
    embedded = []
    if note.markdown is not None:
        for link in note.markdown.links:
            if link.kind == "embed":
                target = index.notes.resolve(note, link.target + (f"#{link.anchor}" if link.anchor else ""), wiki=True)
                if target is not None and target.kind == "note":
                    embedded.append(index.notes_by_slug.get(target.note_slug))
    linking = tuple(dict.fromkeys(link.note_slug for link in index.backlinks.get(note.slug, [])))
    flags = tuple((key, tuple(messages)) for key, messages in note_link_flags(note, site, index).items())
    return (scan, *embedded), (note.changed, linking, flags)


def render_note(note: Note, site: Site, index: SiteIndex) -> str:
    """A note's page: its body, nothing dropped, then what the guide knows about it."""
    linked_from = index.backlinks.get(note.slug, [])
    # Material's templates print titles and tags unescaped (nav, <title>, tag chips): escape them here.
    meta = dict(title=html.escape(note.title), tags=[html.escape(t) for t in note.tags],
                description=html.escape(note.description) or None, studyguide={"kind": "note", "source": note.source})
    if note.dialect == "broken":
        problems = "\n".join(f"    - `{p}`" for p in note.problems)
        fence = _fence_for(note.raw_text)
        return (page_front_matter(**meta) + f"# {md_text(note.title)}\n\n"
                + '!!! failure "This note could not be built"\n\n'
                + f"    The file `{note.source}` has problems, so it is shown as it was written:\n\n{problems}\n\n"
                + f"{fence}text\n{note.raw_text}\n{fence}\n")
    lead_ins = lead_in_anchors(note)  # found in the body as written
    markdown = note_markdown(note)
    edits = note_link_edits(note, note.page_path, index.notes, markdown, flags=note_link_flags(note, site, index))
    scan = site.note_scans.get(note.slug) if site.matcher is not None else None
    if scan is not None:
        edits += mention_edits(site, note, scan, note.page_path, lead_ins)
    if lead_ins:
        # A lead-in paragraph starts a section (domain pages link to it): a heading before it, read by screen
        # readers and listed in the table of contents, not shown twice (class sg-lead-in, visually hidden).
        sections = {section.anchor: section for section in note.sections}
        line_starts = [0, *accumulate(len(line) + 1 for line in note.body.split("\n"))]
        for line_index, anchor in lead_ins.items():
            section = sections[anchor]
            start = line_starts[line_index]
            edits.append((start, start, f"{'#' * min(6, max(2, section.level))} {md_text(section.title)} "
                                        f"{{: #{anchor} .sg-lead-in }}\n\n"))
    body = apply_edits(note.body, edits)
    title, _, rest = body.partition("\n")  # the body starts with its H1 (see normalize)
    body = "\n".join([title, "", *note_header(note)]) + "\n" + rest
    about = ["", "", '??? info "About this note"', ""] + ["    " + line for line in placement_lines(note, site)]
    if linked_from:
        notes = index.notes_by_slug
        sources = dict.fromkeys(link.note_slug for link in linked_from)
        about += ["    **Linked from:** " + ", ".join(
            f"[{md_text(index.title_of(notes[slug]))}]({relative_url(note.page_path, notes[slug].page_path)})" for slug in sources), ""]
    about += ["    " + line for line in _details_table(note).split("\n")]
    return page_front_matter(**meta) + body.rstrip("\n") + "\n" + "\n".join(about) + "\n"
