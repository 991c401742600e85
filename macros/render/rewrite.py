"""A note's Markdown made to work on a generated page: links to other notes, attachments and [[wikilinks]]
resolved through the note index, missing targets shown as visible markers, service mentions linked to
the glossary.
"""
from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ..enrich import NoteIndex, Target, bang_matches
from ..enrich.links import _WIKILINK_AFTER_BANG
from ..model import Note, Service, Site
from ..paths import GLOSSARY_PAGE, attachment_page, note_page
from .markdown import md_text, relative_url


def attachment_placeholder(name: str) -> str:
    """A visible box naming an attachment that is not in the repository."""
    return f'<span class="sg-missing-attachment" title="Missing attachment">Missing attachment: {html.escape(name)}</span>'


_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>", re.I)
# "[label](url)"; an image's "!" before it is found by ``bang_matches`` (a faster search, the same matches).
# The look-ahead leaves out the mentions render_note has just linked (``_MENTION_TARGET``, two in three links
# of a note): rewriting would keep them as they are, after a callback each.
_MD_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(?!<?x-studyguide-glossary:(?!//))<?([^()\s>]+)>?"
                      r"((?:\s+(?:\"[^\"]*\"|'[^']*'))?)\s*\)")
_CODE_SPLIT = re.compile(r"(^ {0,3}(?P<f>`{3,}|~{3,})[^\n]*\n.*?^ {0,3}(?P=f)[ \t]*$|`+[^`\n]*?`+)", re.M | re.S)
# _CODE_SPLIT in a text without "```" or "~~~" (no fenced block): only its code-span half can match, and
# this pattern, starting with a backtick, is searched much faster than one starting with "^".
_CODE_SPAN_SPLIT = re.compile(r"`+[^`\n]*?`+")


def _outside_code(text: str, transform) -> str:  # noqa: ANN001 - Callable[[str], str]
    """Apply ``transform`` to the parts of Markdown that are not code."""
    if "`" not in text and "~~~" not in text:  # no code at all
        return transform(text)
    split = _CODE_SPLIT if "```" in text or "~~~" in text else _CODE_SPAN_SPLIT
    out, index = [], 0
    for match in split.finditer(text):
        out.append(transform(text[index:match.start()]))
        out.append(match.group(0))
        index = match.end()
    out.append(transform(text[index:]))
    return "".join(out)


def _sub_bang(pattern: re.Pattern[str], replace: Callable[[str, re.Match[str]], str], text: str) -> str:
    """``re.sub`` of ``"(!?)" + pattern.pattern`` in ``text``: ``replace(bang, match)`` (see ``bang_matches``)."""
    out, index = [], 0
    for bang, match in bang_matches(pattern, text):
        out.append(text[index:match.start() - len(bang)])
        out.append(replace(bang, match))
        index = match.end()
    if not out:
        return text
    out.append(text[index:])
    return "".join(out)


def link_flag(reasons: list[str]) -> str:
    """The ⚠ after a suspicious link, its reasons as a plain-text tooltip (tooltips.js shows titles as text)."""
    return (f' <span class="sg-link-flag" title="{html.escape("Suspicious link: " + " · ".join(reasons))}">'
            "⚠</span>")


def rewrite_note_markdown(text: str, note: Note, page: str, index: NoteIndex,
                          flags: dict[tuple[str, str], list[str]] | None = None) -> str:
    """Make a note's Markdown work on ``page``: links to other notes, attachments and [[wikilinks]] resolved;
    a missing attachment becomes a visible placeholder; a broken internal link is kept as text (and reported).
    ``flags``: (URL, label) → why the check found that link of the note suspicious; such a link gets a ⚠."""

    def to_attachment(name: str) -> str:
        return relative_url(page, attachment_page(name))

    def to_target(target: Target) -> str | None:
        if target.kind == "note":
            return relative_url(page, note_page(target.note_slug) + (f"#{target.anchor}" if target.anchor else ""))
        if target.kind == "anchor":
            return relative_url(page, f"{note.page_path}#{target.anchor}")
        if target.kind == "attachment":
            return to_attachment(target.attachment)
        return None

    def markdown_link(bang: str, match: re.Match[str]) -> str:
        label, url, title = match.groups()
        if url.startswith("@attachment/"):
            name = url[len("@attachment/"):]
            if name in index.attachments:
                return f"{bang}[{label}]({to_attachment(name)}{title})"
            return attachment_placeholder(name) if bang else f"{label} {attachment_placeholder(name)}"
        try:
            urlsplit(url)
        except ValueError:  # e.g. "https://[oops": MkDocs' own link check would crash on it
            return f"{label} {broken_link_marker(url)}"
        target = index.resolve(note, url)
        if target is None:
            reasons = flags.get((url, label)) if flags and not bang else None
            return bang + match.group(0) + (link_flag(reasons) if reasons else "")
        href = to_target(target)
        if href is None:
            return f"{label} {broken_link_marker(url)}" if not bang else attachment_placeholder(url)
        return f"{bang}[{label}]({href}{title})"

    def wikilink(bang: str, match: re.Match[str]) -> str:
        name, heading, label = match.groups()
        target = index.resolve(note, (name or "") + (f"#{heading}" if heading else ""), wiki=True)
        shown = md_text(label or name or heading or "")
        href = to_target(target) if target else None
        if href is None:
            return attachment_placeholder(name) if bang else f"{shown} {broken_link_marker(match.group(0))}"
        return f"{bang}[{shown}]({href})"

    def autolink(match: re.Match[str]) -> str:
        try:
            urlsplit(match.group(1))
        except ValueError:
            return broken_link_marker(match.group(1))
        return match.group(0)

    def transform(prose: str) -> str:
        # Each pass needs a piece of text ("](", "[[", "<") that most prose lacks: skip its search then.
        if "](" in prose:
            prose = _sub_bang(_MD_LINK, markdown_link, prose)
        if "[[" in prose:
            prose = _sub_bang(_WIKILINK_AFTER_BANG, wikilink, prose)
        if "<" in prose:
            prose = _AUTOLINK.sub(autolink, prose)
        return prose

    return _outside_code(text, transform)


def broken_link_marker(url: str) -> str:
    return f'<span class="sg-broken-link" title="Broken link">(broken link: {html.escape(url)})</span>'


# A mention linked before rewrite_note_markdown points here; the rewrite leaves a URL with a scheme alone.
_MENTION_TARGET = "x-studyguide-glossary:"
_MENTION_LINK = re.compile(r"\]\(x-studyguide-glossary:([\w-]+) ")


def _link_scanned_mentions(site: Site, note: Note, scan: tuple[list[Any], list[int]],
                           lead_ins: dict[int, str] | None = None) -> str:
    """The body as written with its mentions linked, from the enrich stage's scan of it (a second scan of
    every note cost as much as the first). Mentions inside [[wikilinks]] stay text: those become links.
    A "**Domain N**" lead-in paragraph starts a section, as it does for the glossary's "Mentioned in"."""
    found, headings = scan
    if lead_ins:
        starts, offset = [], 0
        for number, line in enumerate(note.body.split("\n")):
            if number in lead_ins:
                starts.append(offset)
            offset += len(line) + 1
        headings = sorted({*headings, *starts})
    if "[[" in note.body:
        spans = [(m.start() - len(bang), m.end()) for bang, m in bang_matches(_WIKILINK_AFTER_BANG, note.body)]
        starts = [start for start, _ in spans]

        def inside(offset: int) -> bool:
            at = bisect.bisect_right(starts, offset) - 1
            return at >= 0 and offset < spans[at][1]

        found = [hit for hit in found if not inside(hit.start) and not inside(hit.end - 1)]
    return site.matcher.link_found(note.body, found, headings, lambda service: _MENTION_TARGET + service.key)


def glossary_href(page: str, service: Service) -> str:
    """Link from ``page`` to a service's glossary entry."""
    return relative_url(page, f"{GLOSSARY_PAGE}#{service.key}")


def link_mentions(site: Site, markdown: str, page: str) -> str:
    """First mention of each service in each section linked to the glossary, summary as tooltip."""
    if site.matcher is None:
        return markdown
    return site.matcher.link(markdown, lambda service: glossary_href(page, service))
