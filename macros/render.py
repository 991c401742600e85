"""Render stage: the Markdown of every generated page, from the site model.

Every generated page starts with front matter carrying ``render_macros: false``: notes are
contributed by strangers, so their text is data and never a Jinja template. Text taken from
notes into other pages goes through ``md_text`` so it cannot open HTML or Markdown syntax.
"""
from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import html
import json
import posixpath
import re
from urllib.parse import urlsplit
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from .enrich import (_WIKILINK_AFTER_BANG, NoteIndex, Target, backlinks, bang_matches, group_by_domain, lead_in_anchors,
                     sections_for_domain)
from . import resources as resources_mod
from .load import safe_files
from .model import Domain, Exam, Mention, Note, Problem, Service, Site

ATTACHMENT_DIR = "attachments"  # inside the notes folder; published at notes/attachments/
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!])")


def md_text(text: Any) -> str:
    """Note-provided text as literal Markdown: HTML escaped, Markdown syntax escaped."""
    return _md_text(text if isinstance(text, str) else str(text))


@functools.lru_cache(maxsize=65536)  # note titles are written on many pages (indexes, domains, backlinks)
def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def page_front_matter(**meta: Any) -> str:
    """YAML front matter for a generated page; macros are never rendered in it."""
    meta = {"render_macros": False, **{k: v for k, v in meta.items() if v not in (None, "", [], ())}}
    try:
        lines = [f"{_yaml_key(key)}: {_yaml_flow(value)}" for key, value in meta.items()]
    except TypeError:  # a value of another type: PyYAML writes it
        return "---\n" + yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False) + "---\n\n"
    return "---\n" + "\n".join(lines) + "\n---\n\n"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Characters PyYAML will not read raw in a quoted scalar (C1 controls, U+FFFE/F, surrogates) or reads as
# a line break (NEL, U+2028/9): written as escapes. JSON escapes the other control characters itself.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _yaml_key(key: str) -> str:
    return key if _PLAIN_KEY.match(key) else _yaml_string(key)


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar: a JSON string is one (its escapes are YAML's too)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)


def _yaml_flow(value: Any) -> str:
    """``value`` (text, whole number, flag, list or mapping of them) in YAML flow style.

    Written by hand: PyYAML's representer took a tenth of the time of rendering a note's page. Tests
    read generated front matter back with PyYAML."""
    if isinstance(value, str):
        return _yaml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_yaml_string(str(k))}: {_yaml_flow(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value).__name__)


def relative_url(from_page: str, to_path: str) -> str:
    """Relative link from one docs path (``a/b.md``) to another (``c/d.md#x``)."""
    target, _, anchor = to_path.partition("#")
    # from_page's folder (posixpath.dirname, for the relative docs paths this is asked about)
    rel = _relpath(target, from_page.rpartition("/")[0] if not from_page.startswith("/") else posixpath.dirname(from_page))
    return rel + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)  # the same few targets (glossary, domain pages) from every page
def _relpath(target: str, start: str) -> str:
    """``posixpath.relpath(target, start or ".")`` for docs paths, without its two ``getcwd`` calls
    (a build asks this tens of thousands of times)."""
    if target.startswith("/") or start.startswith("/") or ".." in target or ".." in start:
        return posixpath.relpath(target, start or ".")
    to = [part for part in target.split("/") if part and part != "."]
    base = [part for part in start.split("/") if part and part != "."]
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


# Derived data many pages of one build need (notes by slug, resources, link flags, domain sections):
# computed once per site while pages are rendered, not once per page (per page made a build quadratic).
_RENDERING: dict[int, dict[str, Any]] = {}


@contextlib.contextmanager
def _render_scope(site: Site) -> Iterator[None]:
    """Remember derived data for ``site`` until the outermost scope ends (nested scopes share it)."""
    if id(site) in _RENDERING:
        yield
        return
    _RENDERING[id(site)] = {}
    try:
        yield
    finally:
        _RENDERING.pop(id(site), None)


def per_build(site: Site, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, once per ``name`` while ``site``'s pages are rendered (see ``_render_scope``)."""
    memo = _RENDERING.get(id(site))
    if memo is None:
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def _notes_by_slug(site: Site) -> dict[str, Note]:
    return per_build(site, "notes_by_slug", lambda: {n.slug: n for n in site.notes})


def _domain_sections(site: Site, domain: Domain) -> list[tuple[Note, Any]]:
    return per_build(site, f"sections:{domain.number}", lambda: sections_for_domain(site.notes, domain))


def attachment_placeholder(name: str) -> str:
    """A visible box naming an attachment that is not in the repository."""
    return f'<span class="sg-missing-attachment" title="Missing attachment">Missing attachment: {html.escape(name)}</span>'


def present_attachments(notes_dir: Path) -> set[str]:
    """Names of the files in the notes' attachments folder."""
    return {p.name for p in safe_files(notes_dir / ATTACHMENT_DIR, notes_dir.resolve())[0]}


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


def rewrite_note_markdown(text: str, note: Note, page: str, index: NoteIndex) -> str:
    """Make a note's Markdown work on ``page``: links to other notes, attachments and [[wikilinks]] resolved;
    a missing attachment becomes a visible placeholder; a broken internal link is kept as text (and reported)."""

    def to_attachment(name: str) -> str:
        return relative_url(page, f"notes/{ATTACHMENT_DIR}/{name}")

    def to_target(target: Target) -> str | None:
        if target.kind == "note":
            return relative_url(page, index_page(target.note_slug) + (f"#{target.anchor}" if target.anchor else ""))
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
            return bang + match.group(0)
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


def index_page(slug: str) -> str:
    return f"notes/{slug}.md"


def broken_link_marker(url: str) -> str:
    return f'<span class="sg-broken-link" title="Broken link">(broken link: {html.escape(url)})</span>'


def _fence_for(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _details_table(note: Note) -> str:
    rows = [("Source file", f"`{note.source}`"), ("Format", note.dialect)]
    for label, value in (("File last changed", _date(note.changed)),
                         ("Created", _date(note.created)), ("Updated", _date(note.updated)),
                         ("Studied since", _date(note.studied)), ("Status", md_text(note.status)),
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


def note_header(note: Note) -> list[str]:
    """Markdown lines under a note's title: the draft notice, then when it last changed and its own dates."""
    out = []
    if note.draft:
        out += ['!!! warning "Draft — not published"', "",
                "    This note is a draft (`draft: true` or `published: false`): `mkdocs serve` shows it so that "
                "you can preview it, and the published site leaves it out. Set `draft: false` to publish it.", ""]
    dates = [f"last updated {_date(note.changed)}"] if note.changed else []
    dates += [f"{label} {_date(value)}" for label, value in (("created", note.created), ("studied since", note.studied))
              if value]
    if dates:
        line = " · ".join(dates)
        out += [line[0].upper() + line[1:], "{: .sg-byline }", ""]
    return out


def render_note(note: Note, site: Site, index: NoteIndex, linked_from: list | None = None) -> str:
    """A note's page: its body, nothing dropped, then what the guide knows about it."""
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
    lead_ins = lead_in_anchors(note)  # found in the body as written, before mention links change a line
    scan = site.note_scans.get(note.slug) if site.matcher is not None else None
    lines = (_link_scanned_mentions(site, note, scan, lead_ins) if scan is not None else note.body).split("\n")
    for line_index, anchor in sorted(lead_ins.items(), reverse=True):
        end = line_index
        while end + 1 < len(lines) and lines[end + 1].strip():
            end += 1
        lines.insert(end + 1, f"{{: #{anchor} }}")
    body = rewrite_note_markdown("\n".join(lines), note, note.page_path, index)
    if scan is not None:
        glossary = relative_url(note.page_path, GLOSSARY_PAGE)  # the same for every mention: only the anchor differs
        body = _MENTION_LINK.sub(lambda m: f"]({glossary}#{m.group(1)} ", body)
    else:
        # Wikilinks and note links are resolved first, so mention links never land inside them.
        body = link_mentions(site, body, note.page_path)
    title, _, rest = body.partition("\n")  # the body starts with its H1 (see normalize)
    body = "\n".join([title, "", *note_header(note)]) + "\n" + rest
    domains = sorted({d for s in note.sections for d in s.domains})
    about = ["", "", '??? info "About this note"', ""]
    if domains:
        links = ", ".join(f"[{md_text(site.exam.domain(d).title)}](../domains/{site.exam.domain(d).slug}.md)"
                          for d in domains if site.exam.domain(d))
        about += [f"    **Exam domains:** {links}", ""]
    if linked_from:
        notes = _notes_by_slug(site)
        sources = dict.fromkeys(link.note_slug for link in linked_from)
        about += ["    **Linked from:** " + ", ".join(
            f"[{md_text(notes[slug].title)}]({relative_url(note.page_path, notes[slug].page_path)})" for slug in sources), ""]
    about += ["    " + line for line in _details_table(note).split("\n")]
    return page_front_matter(**meta) + body.rstrip("\n") + "\n" + "\n".join(about) + "\n"


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


def domain_page_path(domain: Domain) -> str:
    return f"domains/{domain.slug}.md"


def render_domain(domain: Domain, site: Site, index: NoteIndex) -> str:
    """A domain's page: weight, task statements, and every note section that speaks to it."""
    with _render_scope(site):
        return _render_domain(domain, site, index)


def _render_domain(domain: Domain, site: Site, index: NoteIndex) -> str:
    page = domain_page_path(domain)
    questions = round(site.exam.questions * domain.weight / 100)
    out = [page_front_matter(title=domain.title, studyguide={"kind": "domain", "domain": domain.number}),
           f"# {md_text(domain.title)}", "",
           f'<div class="sg-weight" markdown>**Weight: {domain.weight} %** of the scored content, '
           f"about {questions} of the {site.exam.questions} questions.</div>", "",
           f"Printable summary: [Cheat-sheet: {md_text(domain.name)}](../cheatsheets/{domain.slug}.md)", "",
           "## Task statements", ""]
    out += [f"- **{task.id}** {md_text(task.text)}" for task in domain.tasks]
    out += [""] + render_domain_services(site, domain, page)
    out += render_domain_resources(site, domain, page)
    found = _domain_sections(site, domain)
    out += ["## What the notes say", ""]
    if not found:
        out += ["No note speaks to this domain yet. See [Contributing](../contributing.md) to add one.", ""]
    # Quoting every section would make one page hold most of the notes at 3,000 notes: the first
    # EXCERPTS_PER_DOMAIN are quoted, every other one is a link (a reader still reaches each section).
    quoted, listed = found[:EXCERPTS_PER_DOMAIN], found[EXCERPTS_PER_DOMAIN:]
    if listed:
        out += [f"{len(found)} note sections speak to this domain: the first {len(quoted)} are quoted here, "
                f"[the other {len(listed)}](#{MORE_SECTIONS_ID}) are linked below, note by note.", ""]
    for note, section in quoted:
        target = relative_url(page, f"{note.page_path}#{section.anchor}")
        out += [f"### {md_text(section.title)} {{ data-note=\"{note.slug}\" }}", "",
                f"From [{md_text(note.title)} › {md_text(section.title)}]({target})", ""]
        text = link_mentions(site, rewrite_note_markdown(section.body, note, page, index), page).strip()
        if text:
            out += ['<div class="sg-excerpt" markdown>', "", text, "", "</div>", ""]
    if listed:
        out += [f"## More from the notes {{ #{MORE_SECTIONS_ID} }}", ""]
        by_note: dict[str, tuple[Note, list]] = {}
        for note, section in listed:
            by_note.setdefault(note.slug, (note, []))[1].append(section)
        for note, sections in by_note.values():
            links = " · ".join(f"[{md_text(section.title)}]({relative_url(page, f'{note.page_path}#{section.anchor}')})"
                               for section in sections)
            out.append(f"- [{md_text(note.title)}]({relative_url(page, note.page_path)}): {links}")
        out.append("")
    return "\n".join(out) + "\n"


EXCERPTS_PER_DOMAIN = 30  # note sections quoted in full on a domain page; the others are linked
MORE_SECTIONS_ID = "sg-more-from-the-notes"


def render_domains_index(site: Site) -> str:
    out = [page_front_matter(title="Exam domains"), "# Exam domains", "",
           f"The {md_text(site.exam.code)} outline has {len(site.exam.domains)} domains.", "",
           domain_table(site.exam, "domains/index.md")]
    return "\n".join(out) + "\n"


def domain_table(exam: Exam, page: str) -> str:
    """Markdown table of domains with weights and links, for any page."""
    lines = ["| Domain | Weight | Task statements |", "| --- | ---: | ---: |"]
    for domain in exam.domains:
        lines.append(f"| [{md_text(domain.title)}]({relative_url(page, domain_page_path(domain))}) "
                     f"| {domain.weight} % | {len(domain.tasks)} |")
    return "\n".join(lines)


def note_table(notes: Iterable[Note], page: str) -> str:
    """Markdown table of notes: title, format, date, tags."""
    lines = ["| Note | Format | Date | Tags |", "| --- | --- | --- | --- |"]
    for note in sorted(notes, key=lambda n: (n.title.casefold(), n.slug)):
        date = _date(note.updated or note.created)
        tags = ", ".join(md_text(t) for t in note.tags)
        lines.append(f"| [{md_text(note.title)}]({relative_url(page, note.page_path)}) | {note.dialect} | {date} | {tags} |")
    return "\n".join(lines)


def render_notes_index(site: Site) -> str:
    published = [n for n in site.notes if not n.draft]
    drafts = [n for n in site.notes if n.draft]  # present only when drafts are built (mkdocs serve)
    listed = ("\n## Drafts\n\nShown by `mkdocs serve` only; the published site leaves them out.\n\n"
              + note_table(drafts, "notes/index.md") + "\n") if drafts else ""
    groups = (f"By exam domain: {_note_group_links(site, 'notes/index.md')}.\n\n" if notes_grouped(site) else "")
    return (page_front_matter(title="Notes") + "# Notes\n\n"
            + f"{len(published)} notes, each on its own page.\n\n" + groups + note_table(published, "notes/index.md") + "\n"
            + listed)


def render_tags_index() -> str:
    return page_front_matter(title="Tags") + "# Tags\n\n<!-- material/tags -->\n"


def exam_summary(exam: Exam, today: dt.date | None = None) -> str:
    """The exam facts, with conflicting sources shown side by side and the retirement notice."""
    today = today or dt.date.today()
    out = []
    if exam.retired:
        verb = "was retired" if exam.retired <= today else "retires"
        out += [f'!!! warning "{md_text(exam.code)} {verb} on {exam.retired.isoformat()}"', "",
                f"    The {md_text(exam.name)} exam ({md_text(exam.code)}) {verb} on {exam.retired:%-d %B %Y}. "
                "The notes stay useful for the machine-learning knowledge they hold; the outline is data "
                "(`seeds/domains.yml`), so a guide for another exam can follow.", ""]
    durations = "; ".join(f"{md_text(d.value)} (according to `{d.source}`)" for d in exam.durations)
    out += ["| Fact | Value |", "| --- | --- |",
            f"| Exam | {md_text(exam.name)} ({md_text(exam.code)}) |",
            f"| Questions | {exam.questions} ({', '.join(md_text(t) for t in exam.question_types)}) |",
            f"| Score | scale {md_text(exam.score_scale)}, {exam.passing_score} to pass |"]
    if exam.durations:
        agree = len({d.value for d in exam.durations}) == 1
        out.append(f"| Time | {durations}{'' if agree else ' — the sources disagree'} |")
    if exam.exam_guide_url:
        out.append(f"| Exam guide | [official PDF]({exam.exam_guide_url}) |")
    return "\n".join(out)



GLOSSARY_PAGE = "glossary.md"


def glossary_href(page: str, service: Service) -> str:
    """Link from ``page`` to a service's glossary entry."""
    return relative_url(page, f"{GLOSSARY_PAGE}#{service.key}")


def link_mentions(site: Site, markdown: str, page: str) -> str:
    """First mention of each service in each section linked to the glossary, summary as tooltip."""
    if site.matcher is None:
        return markdown
    return site.matcher.link(markdown, lambda service: glossary_href(page, service))


def mentions_by_service(mentions: Iterable[Mention]) -> dict[str, list[Mention]]:
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        grouped[mention.service_key].append(mention)
    return grouped


def _service_entry(service: Service, site: Site, mentions: list[Mention], notes: dict[str, Note]) -> list[str]:
    page = GLOSSARY_PAGE
    out = [f"### {md_text(service.name)} {{ #{service.key} }}", "", md_text(service.summary), ""]
    facts = []
    if service.aliases:
        facts.append("**Also written:** " + ", ".join(md_text(a) for a in service.aliases))
    if service.former_names:
        facts.append("**Formerly:** " + ", ".join(md_text(a) for a in service.former_names))
    if service.misspellings:
        facts.append("**Misspelled in notes as:** " + ", ".join(md_text(a) for a in service.misspellings))
    domains = [site.exam.domain(d) for d in service.domains if site.exam.domain(d)]
    if domains:
        facts.append("**Exam domains:** " + ", ".join(
            f"[{d.number}. {md_text(d.name)}]({relative_url(page, domain_page_path(d))})" for d in domains))
    facts.append(f"**Documentation:** [{md_text(service.docs_url)}]({service.docs_url})")
    out += [f"- {fact}" for fact in facts] + [""]
    if mentions:
        per_section = Counter((m.note_slug, m.section_anchor) for m in mentions)
        out += [f"**Mentioned in** ({len(mentions)} mention{'s' if len(mentions) != 1 else ''} "
                f"in {len(per_section)} section{'s' if len(per_section) != 1 else ''}):", ""]
        listed = list(per_section.items())
        if len(listed) > MENTIONS_PER_SERVICE:
            # One entry could list most of the notes at 3,000 notes: keep the sections that mention the
            # service most (in note order); the rest is counted, and the search finds it.
            keep = {key for key, _ in sorted(listed, key=lambda item: -item[1])[:MENTIONS_PER_SERVICE]}
            rest = [(key, count) for key, count in listed if key not in keep]
            listed = [(key, count) for key, count in listed if key in keep]
        else:
            rest = []
        for (slug, anchor), count in listed:
            note = notes[slug]
            section = next((s for s in note.sections if s.anchor == anchor), None)
            label = md_text(note.title) + (f" › {md_text(section.title)}" if section and section.level > 1 else "")
            target = relative_url(page, f"{note.page_path}#{anchor}" if anchor else note.page_path)
            out.append(f"- [{label}]({target}) ({count})")
        if rest:
            out.append(f"- … and {len(rest)} more sections in {len({slug for (slug, _), _ in rest})} notes "
                       f"({sum(count for _, count in rest)} mentions): search the guide for {md_text(service.name)}.")
        out.append("")
    return out


MENTIONS_PER_SERVICE = 30  # sections listed under a glossary entry's "Mentioned in"; the others are counted


def render_glossary(site: Site) -> str:
    """The service glossary: by category, alphabetical; services no note mentions listed apart."""
    catalog = site.catalog
    assert catalog is not None
    grouped = mentions_by_service(site.mentions)
    notes = {n.slug: n for n in site.notes}
    mentioned = [s for s in catalog.services if grouped.get(s.key)]
    uncovered = [s for s in catalog.services if not grouped.get(s.key)]
    out = [page_front_matter(title="Service glossary", studyguide={"kind": "glossary"}), "# Service glossary", "",
           f"{len(catalog.services)} AWS services and SageMaker features from the catalog (`seeds/services.yml`); "
           f"{len(mentioned)} are mentioned by the notes, {len(uncovered)} are "
           f"[not yet covered by any note](#not-yet-covered-by-any-note).", ""]
    for category in catalog.categories:
        services = sorted((s for s in mentioned if s.category == category), key=lambda s: s.name.casefold())
        if not services:
            continue
        out += [f"## {md_text(catalog.category_titles.get(category, category))}", ""]
        for service in services:
            out += _service_entry(service, site, grouped[service.key], notes)
    out += ["## Not yet covered by any note", "",
            "No note mentions these services yet: a note about one of them is a welcome contribution.", ""]
    for category in catalog.categories:
        services = sorted((s for s in uncovered if s.category == category), key=lambda s: s.name.casefold())
        if services:
            out += [f"**{md_text(catalog.category_titles.get(category, category))}**", ""]
            for service in services:
                out += _service_entry(service, site, [], notes)
    return "\n".join(out) + "\n"


def domain_services(site: Site, domain: Domain) -> list[tuple[Service, int]]:
    """Services that matter for a domain (catalog or mentions in its sections), most mentioned first."""
    if site.catalog is None:
        return []
    return list(per_build(site, f"services:{domain.number}", lambda: _domain_services(site, domain)))


def _domain_services(site: Site, domain: Domain) -> list[tuple[Service, int]]:
    assert site.catalog is not None
    in_domain = {(note.slug, section.anchor) for note, section in _domain_sections(site, domain)}
    counts = Counter(m.service_key for m in site.mentions if (m.note_slug, m.section_anchor) in in_domain)
    services = [s for s in site.catalog.services if domain.number in s.domains or counts[s.key]]
    return sorted(((s, counts[s.key]) for s in services), key=lambda item: (-item[1], item[0].name.casefold()))


def render_domain_services(site: Site, domain: Domain, page: str) -> list[str]:
    rows = domain_services(site, domain)
    if not rows:
        return []
    out = ["## Services for this domain", "",
           "From the glossary catalog and the notes' sections on this domain, most mentioned first.", "",
           "| Service | Mentions here | What it is for |", "| --- | ---: | --- |"]
    for service, count in rows:
        out.append(f"| [{md_text(service.name)}]({glossary_href(page, service)}) | {count} | {md_text(service.summary)} |")
    return out + [""]



RESOURCES_PAGE = "resources.md"
REPORT_PAGE = "report.md"


def _status_badge(site: Site, url: str) -> str:
    status = site.link_status.get(url)
    if status is None:
        return "not checked"
    checked = dt.datetime.fromtimestamp(status.checked_at, dt.timezone.utc).strftime("%Y-%m-%d")
    if status.ok and status.permanent_redirect and status.final_url:
        return f"moved → {md_text(status.final_url)} ({checked})"
    return f"{'✅ OK' if status.ok else '❌ ' + md_text(status.error or 'broken')} ({checked})"


def _resource_item(site: Site, resource: resources_mod.Resource, page: str, notes: dict[str, Note]) -> str:
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
            f"[{d.number}]({relative_url(page, domain_page_path(d))} \"{md_text(d.name)}\")" for d in domains if d))
    parts.append("cited in " + ", ".join(cited))
    parts.append(f"status: {_status_badge(site, resource.url)}")
    item = "- " + " — ".join(parts)
    by_url, link_problems = _link_flags(site)
    flagged = sorted({index for url in {c.url for c in resource.citations} for index in by_url.get(url, ())})
    for flag in dict.fromkeys(link_problems[index].message for index in flagged):
        item += f"\n    - ⚠️ {md_text(flag)}"
    return item


def _link_flags(site: Site) -> tuple[dict[str, list[int]], list[Problem]]:
    """URL → indexes of the link problems whose message names it, and those problems: each message is
    scanned once for every cited URL (one automaton), instead of every problem once per resource."""
    def compute() -> tuple[dict[str, list[int]], list[Problem]]:
        problems = [p for p in site.problems if p.field == "link"]
        urls = {link.url for link in site.links if link.is_external and link.url}
        found: dict[str, list[int]] = {}
        if not problems or not urls:
            return found, problems
        automaton = ahocorasick.Automaton()
        for url in urls:
            automaton.add_word(url, url)
        automaton.make_automaton()
        for index, problem in enumerate(problems):
            for _end, url in automaton.iter(problem.message):
                hits = found.setdefault(url, [])
                if not hits or hits[-1] != index:
                    hits.append(index)
        return found, problems

    return per_build(site, "link_flags", compute)


def site_resources(site: Site) -> list[resources_mod.Resource]:
    return per_build(site, "resources", lambda: resources_mod.collect_resources(site.links, site.notes, site.catalog))


def render_resources(site: Site) -> str:
    """Every external link of every note, deduplicated, by kind and exam domain."""
    with _render_scope(site):
        return _render_resources(site)


def _render_resources(site: Site) -> str:
    page = RESOURCES_PAGE
    found = site_resources(site)
    notes = _notes_by_slug(site)
    checked = "" if site.link_status else (" External links have not been checked yet: run "
                                          "`STUDYGUIDE_CHECK_EXTERNAL=1 mkdocs build`.")
    out = [page_front_matter(title="Resources", studyguide={"kind": "resources"}), "# Resources", "",
           f"{len(found)} distinct external resources cited by the notes, grouped by kind. Each names the exam "
           "domains it serves (from the note section that cites it, or the service it documents); every domain page "
           f"lists its own.{checked} ⚠️ marks a link that looks wrong.", ""]
    for kind, title in resources_mod.KINDS:
        of_kind = [r for r in found if r.kind == kind]
        if not of_kind:
            continue
        of_kind.sort(key=lambda r: (min(r.domains, default=99), r.labels[0].casefold() if r.labels else r.url))
        out += [f"## {title}", ""] + [_resource_item(site, r, page, notes) for r in of_kind] + [""]
    return "\n".join(out) + "\n"


def render_domain_resources(site: Site, domain: Domain, page: str) -> list[str]:
    items = [r for r in site_resources(site) if domain.number in r.domains]
    if not items:
        return []
    notes = _notes_by_slug(site)
    more = []
    if len(items) > RESOURCES_PER_DOMAIN:  # the most cited ones; the Resources page lists every one
        keep = {id(r) for r in sorted(items, key=lambda r: -len(r.citations))[:RESOURCES_PER_DOMAIN]}
        more = [f"- … and {len(items) - RESOURCES_PER_DOMAIN} more on the "
                f"[Resources]({relative_url(page, RESOURCES_PAGE)}) page."]
        items = [r for r in items if id(r) in keep]
    return (["## Resources for this domain", "",
             f"From the [Resources]({relative_url(page, RESOURCES_PAGE)}) the notes cite.", ""]
            + [_resource_item(site, r, page, notes) for r in items] + more + [""])


RESOURCES_PER_DOMAIN = 30  # resources listed on a domain page, most cited first; all are on the Resources page


def _problem_rows(problems: list[Problem]) -> list[str]:
    rows = ["| Where | Finding |", "| --- | --- |"]
    rows += [f"| `{p.file}{':' + str(p.line) if p.line else ''}` | {md_text(p.message)} |" for p in problems]
    return rows


def render_report(site: Site) -> str:
    """What the checks found: problems that fail `--strict`, findings accepted for now, external links."""
    failing = [p for p in site.problems if p.level != "accepted"]
    accepted = [p for p in site.problems if p.level == "accepted"]
    out = [page_front_matter(title="Build report", studyguide={"kind": "report"}), "# Build report", "",
           "Every build checks the notes: front matter, titles, internal links and anchors, attachments, service "
           "names, and suspicious external links. Problems fail `mkdocs build --strict`; findings the maintainers "
           "accepted in `seeds/accepted-findings.yml` are listed here instead, so they stay visible.", "",
           f"## Problems ({len(failing)})", ""]
    out += _problem_rows(failing) if failing else ["None: the notes build clean."]
    out += ["", f"## Accepted findings ({len(accepted)})", ""]
    out += _problem_rows(accepted) if accepted else ["None."]
    out += ["", "## External links", ""]
    if site.link_status:
        broken = [s for s in site.link_status.values() if not s.ok]
        out += [f"Last check: {len(site.link_status)} URLs, {len(broken)} broken. "
                "The JSON report is published as [reports/links.json](reports/links.json).", "",
                "| URL | Status |", "| --- | --- |"]
        out += [f"| {md_text(url)} | {_status_badge(site, url)} |" for url in sorted(site.link_status)]
    else:
        out += ["No external check has run yet. `STUDYGUIDE_CHECK_EXTERNAL=1 mkdocs build` checks every external "
                "URL (cached for a day in `.cache/studyguide/`)."]
    return "\n".join(out) + "\n"


NOTE_GROUPS_DIR = "notes/by-domain"
NOTES_GROUPED_OVER = 30  # past this many notes, the Notes navigation files them under exam domains


def notes_grouped(site: Site) -> bool:
    """Whether the notes are filed under exam domains (navigation and one index page per domain)."""
    return len(site.notes) > NOTES_GROUPED_OVER


def note_groups(site: Site) -> list[tuple[Domain | None, list[Note]]]:
    """(domain or None for "Other", its notes by title), see ``enrich.group_by_domain``."""
    return per_build(site, "note_groups", lambda: group_by_domain(site.notes, site.exam))


def note_group_path(domain: Domain | None) -> str:
    return f"{NOTE_GROUPS_DIR}/{domain.slug if domain else 'other'}/index.md"


def note_group_title(domain: Domain | None) -> str:
    return domain.name if domain else "Other"


def render_note_group(site: Site, domain: Domain | None, notes: list[Note]) -> str:
    """The index page of one group of notes: every note filed under that domain (or under none)."""
    page = note_group_path(domain)
    title = f"Notes: {note_group_title(domain)}"
    if domain is not None:
        intro = (f"{len(notes)} notes filed under [{md_text(domain.title)}]({relative_url(page, domain_page_path(domain))}): "
                 "the first domain their front matter names, or the one most of their text speaks to. A note is filed "
                 "under one domain only; the domain page gathers every note section on it.")
    else:
        intro = f"{len(notes)} notes whose sections speak to no exam domain."
    return (page_front_matter(title=title, studyguide={"kind": "note-group", "domain": domain.number if domain else None})
            + f"# {md_text(title)}\n\n{intro}\n\n" + note_table(notes, page) + "\n")


def _note_group_links(site: Site, page: str) -> str:
    return " · ".join(f"[{md_text(note_group_title(domain))}]({relative_url(page, note_group_path(domain))}) "
                      f"({len(members)})" for domain, members in note_groups(site))


def generated_pages(site: Site) -> dict[str, str]:
    """Every generated page: docs path → Markdown. Drafts are included only when asked for."""
    with _render_scope(site):
        pages = _generated_pages(site)
        if notes_grouped(site):
            for domain, members in note_groups(site):
                pages[note_group_path(domain)] = render_note_group(site, domain, members)
        return pages


def _generated_pages(site: Site) -> dict[str, str]:
    notes_dir = Path(site.notes_dir)
    attachments = present_attachments(notes_dir)
    pages: dict[str, str] = {
        "domains/index.md": render_domains_index(site),
        "notes/index.md": render_notes_index(site),
        RESOURCES_PAGE: render_resources(site),
        REPORT_PAGE: render_report(site),
    }
    if site.catalog is not None:
        pages[GLOSSARY_PAGE] = render_glossary(site)
    if any(note.tags for note in site.notes):
        pages["tags.md"] = render_tags_index()
    index = NoteIndex(site.notes, site.notes_dir, attachments)
    for domain in site.exam.domains:
        pages[domain_page_path(domain)] = render_domain(domain, site, index)
    incoming = backlinks(site.links, index, site.notes)
    for note in site.notes:
        pages[note.page_path] = render_note(note, site, index, incoming.get(note.slug, []))
    from .cheatsheet import cheatsheet_pages  # imports this module

    pages.update(cheatsheet_pages(site))
    return pages
