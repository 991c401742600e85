"""A note's Markdown made to work on a generated page: links to other notes, attachments and [[wikilinks]]
resolved through the note index, missing targets shown as visible markers, service mentions linked to
the glossary. What is a link (and what is code, where nothing is touched) is the note's one scan
(``macros.markdown_scan``); every change is an edit of a span it found, applied in one pass.
"""
from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..enrich import NoteIndex, Target
from ..enrich.links import image_sources
from .embeds import embed_box, embedded_text
from ..markdown_scan import LinkSpan, MarkdownScan, scan_markdown
from ..model import Note, Service, Site
from ..paths import GLOSSARY_PAGE, attachment_page, note_page, page_url
from .markdown import md_text, relative_url

Edit = tuple[int, int, str]  # (start, end, replacement) in the scanned text


def attachment_placeholder(name: str) -> str:
    """A visible box naming an attachment that is not in the repository."""
    return f'<span class="sg-missing-attachment" title="Missing attachment">Missing attachment: {html.escape(name)}</span>'


def broken_link_marker(url: str, hint: str = "") -> str:
    """A small ⚠ after a broken link's label (which stays readable text), the target in its tooltip."""
    return f'<sup class="sg-broken-link" title="{html.escape(f"Broken link: {url}{hint}")}">⚠</sup>'


_SIZE = re.compile(r"(\d{1,5})(?:x(\d{1,5}))?")


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with each (start, end, replacement) applied; edits never overlap (they are spans of one scan)."""
    out, pos = [], 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _markdown_link_parts(text: str, link: LinkSpan) -> tuple[str, str, str]:
    """("!" or "", label as written, title part as written: blanks then the quoted title) of ``[label](url "t")``."""
    bang = "!" if link.kind == "image" else ""
    written = text[link.start:link.end]
    tail = written[len(bang) + len(link.label) + 3:-1]  # inside "(...)"
    at = tail.find(link.target)
    after = tail[at + len(link.target):] if at >= 0 and link.target else ""
    return bang, link.label, after.lstrip(">").rstrip()


def _link_title(title: str) -> str:
    """A Markdown link title as written: in the quotes it does not hold (a definition's title may hold any)."""
    if '"' not in title:
        return f'"{title}"'
    return f"'{title}'" if "'" not in title else f"({title})"


def link_flag(reasons: list[str]) -> str:
    """The ⚠ after a suspicious link, its reasons as a plain-text tooltip (tooltips.js shows titles as text)."""
    return (f' <span class="sg-link-flag" title="{html.escape("Suspicious link: " + " · ".join(reasons))}">'
            "⚠</span>")


def _alone_on_its_line(text: str, link: LinkSpan) -> bool:
    line_start = text.rfind("\n", 0, link.start) + 1
    line_end = text.find("\n", link.end)
    return not text[line_start:link.start].strip() and not text[link.end:None if line_end < 0 else line_end].strip()


def note_link_edits(note: Note, page: str, index: NoteIndex, scan: MarkdownScan, depth: int = 0,
                    flags: dict[tuple[str, str], list[str]] | None = None) -> list[Edit]:
    """The edits that make the links of ``scan`` (a note's text) work on ``page``: links to other notes,
    attachments and [[wikilinks]] resolved; a missing attachment becomes a visible placeholder; a broken
    internal link is kept as text (and reported). ``flags``: (URL, label) → why the check found that link of
    the note suspicious; such a link gets a ⚠."""
    text = scan.text
    by_slug = {n.slug: n for n in index.by_path.values()} if depth == 0 and "![[" in text else {}

    def index_note(slug: str) -> Note | None:
        return by_slug.get(slug)

    def to_attachment(name: str) -> str:
        return relative_url(page, attachment_page(name))

    def to_target(target: Target) -> str | None:
        if target.kind == "note":
            return relative_url(page, note_page(target.note_slug) + (f"#{target.anchor}" if target.anchor else ""))
        if target.kind == "anchor":
            return relative_url(page, f"{note.page_path}#{target.anchor}")
        if target.kind == "attachment":
            return relative_url(page, index.assets.page(target.attachment))
        return None

    def markdown_link(link: LinkSpan) -> str | None:
        if link.kind == "reference":  # [a][r] / ![a][r]: written inline, with its definition's URL and title
            bang, label, title = ("!", link.label[1:], "") if link.is_image else ("", link.label, "")
            title = f" {_link_title(link.title)}" if link.title else ""
        else:
            bang, label, title = _markdown_link_parts(text, link)
        url = link.target
        if url.startswith("@attachment/"):
            name = url[len("@attachment/"):]
            if name in index.attachments:
                return f"{bang}[{label}]({to_attachment(name)}{title})"
            return attachment_placeholder(name) if bang else f"{label} {attachment_placeholder(name)}"
        try:
            urlsplit(url)
        except ValueError:  # e.g. "https://[oops": MkDocs' own link check would crash on it
            return f"{label}{broken_link_marker(url)}"
        target = index.resolve(note, url)
        if target is None:
            reasons = flags.get((url, label)) if flags and not bang else None
            return text[link.start:link.end] + link_flag(reasons) if reasons else None
        href = to_target(target)
        if href is None:
            return f"{label}{broken_link_marker(url)}" if not bang else attachment_placeholder(url)
        return f"{bang}[{label}]({href}{title})"

    def wikilink(link: LinkSpan) -> str:
        bang = "!" if link.kind == "embed" else ""
        target = index.resolve(note, link.target + (f"#{link.anchor}" if link.anchor else ""), wiki=True)
        labelled = link.label != link.target  # [[Note|label]]; without a label the scan repeats the target
        shown = link.label if labelled else link.target
        if target is not None and target.heading and not labelled:
            shown = f"{link.target} › {target.heading}" if link.target else target.heading
        shown = md_text(shown or link.anchor)
        href = to_target(target) if target else None
        if href is None:
            written = text[link.start + len(bang):link.end]
            hint = index.suggestion(link.target) if target is not None and target.code == "link/broken" else ""
            return attachment_placeholder(link.target) if bang else f"{shown}{broken_link_marker(written, hint)}"
        if bang and target.kind == "attachment":
            size = _SIZE.fullmatch(link.label.strip()) if labelled else None
            alt = md_text(link.target.rsplit("/", 1)[-1].rpartition(".")[0] or link.target) if size else shown
            attrs = f'{{ width="{size.group(1)}"' + (f' height="{size.group(2)}"' if size.group(2) else "") + " }" \
                if size else ""
            return f"![{alt}]({href}){attrs}"
        if bang and target.kind == "note" and depth == 0 and _alone_on_its_line(text, link):
            embedded = index_note(target.note_slug)
            if embedded is not None and embedded is not note:
                inner = embedded_text(embedded, target)
                inner = rewrite_note_markdown(inner, embedded, page, index, depth=1) if inner else ""
                title = embedded.title + (f" › {target.heading}" if target.heading else "")
                return embed_box(title, href, inner)
        return f"[{shown}]({href})"

    def autolink(link: LinkSpan) -> str | None:
        try:
            urlsplit(link.target)
        except ValueError:
            return md_text(link.target) + broken_link_marker(link.target)
        return None

    edits: list[Edit] = []
    for link in scan.links:
        if link.kind in ("link", "image", "reference"):
            replacement = markdown_link(link)
        elif link.kind in ("wikilink", "embed"):
            replacement = wikilink(link)
        elif link.kind == "autolink" and link.target[:6].lower().startswith(("http:", "https:", "ftp:")):
            replacement = autolink(link)
        else:
            replacement = None
        if replacement is not None:
            edits.append((link.start, link.end, replacement))
    if "<img" in text or "<IMG" in text:
        built = page_url(page) + "index.md"  # raw HTML is not rewritten by MkDocs: relative to the page's URL
        for start, end, source in image_sources(scan):
            target = index.resolve(note, html.unescape(source))
            if target is not None and target.kind == "attachment":
                edits.append((start, end, html.escape(relative_url(built, index.assets.page(target.attachment)))))
    return edits


def rewrite_note_markdown(text: str, note: Note, page: str, index: NoteIndex, depth: int = 0) -> str:
    """A part of a note's Markdown (a section's text) made to work on ``page`` (see ``note_link_edits``); at
    ``depth`` 1 (an embedded note's text) an embed is a link, never another box."""
    scan = note.markdown if note.markdown is not None and note.markdown.text == text else scan_markdown(text)
    return apply_edits(text, note_link_edits(note, page, index, scan, depth))


def mention_edits(site: Site, note: Note, scan: tuple[list, list[int]], page: str,
                  lead_ins: dict[int, str] | None = None) -> list[Edit]:
    """The first mention of each service in each section of the note linked to the glossary, from the enrich
    stage's finds (a second search of every note cost as much as the first). Mentions inside [[wikilinks]]
    stay text: those become links. A "**Domain N**" lead-in paragraph starts a section, as it does for the
    glossary's "Mentioned in"."""
    found, headings = scan
    if lead_ins:
        starts, offset = [], 0
        for number, line in enumerate(note.body.split("\n")):
            if number in lead_ins:
                starts.append(offset)
            offset += len(line) + 1
        headings = sorted({*headings, *starts})
    markdown = note.markdown
    wiki = [(link.start, link.end) for link in markdown.links if link.kind in ("wikilink", "embed")] if markdown else []
    if wiki:
        wiki_starts = [start for start, _end in wiki]

        def inside(offset: int) -> bool:
            at = bisect.bisect_right(wiki_starts, offset) - 1
            return at >= 0 and offset < wiki[at][1]

        found = [hit for hit in found if not inside(hit.start) and not inside(hit.end - 1)]
    glossary = relative_url(page, GLOSSARY_PAGE)  # the same for every mention: only the anchor differs
    return site.matcher.mention_edits(note.body, found, headings, lambda service: f"{glossary}#{service.key}")


def glossary_href(page: str, service: Service) -> str:
    """Link from ``page`` to a service's glossary entry."""
    return relative_url(page, f"{GLOSSARY_PAGE}#{service.key}")


def link_mentions(site: Site, markdown: str, page: str) -> str:
    """First mention of each service in each section linked to the glossary, summary as tooltip."""
    if site.matcher is None:
        return markdown
    return site.matcher.link(markdown, lambda service: glossary_href(page, service))
