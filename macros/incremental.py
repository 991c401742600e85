"""Incremental rebuilds for ``mkdocs serve --dirty``: which pages to read and render again. No MkDocs in here.

MkDocs' dirty build converts and renders only the files whose ``is_modified()`` is true; the adapter
(``hooks.py``) asks this module which those are, in two steps:

1. **read** (before MkDocs reads any page): a page is read and converted again when its source changed
   (the generated Markdown, its URL or edit link; authored pages always, as their macros read the site)
   or when it is new. Every other page gets back its state from the last build (title, meta, HTML, table
   of contents), so the navigation and the other plugins see the whole site.
2. **render** (once every page has its state): a page is rendered again when it was read because it
   changed, or when what the theme shows around it changed: its visible navigation (with
   ``navigation.prune`` only the branch of the active page is expanded), its previous/next links, its
   title; a page listing tags also when any page's tags or title changed.

The first build of a session, and any build after an input every page depends on changed (mkdocs.yml,
the catalog and outline, studyguide.yml), reads and renders everything. The search index is the last
one with the rendered pages' entries replaced, in page order, so it equals a full build's; the outputs of
deleted pages are removed. State lives here, in the ``macros`` package, across rebuilds.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ALWAYS = None  # a source digest of None: the page is read and rendered on every build (authored pages)


def digest(*parts: str | bytes | None) -> str:
    """SHA-1 of ``parts`` (None and "" are told apart), a change detector, not security."""
    sha = hashlib.sha1()  # noqa: S324 - a change detector
    for part in parts:
        data = b"\x01" if part is None else (part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part)
        sha.update(len(data).to_bytes(8, "little"))
        sha.update(data)
    return sha.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    """Digest of the bytes of ``paths`` (a missing or unreadable file counts as absent)."""
    parts: list[str | bytes | None] = []
    for path in paths:
        try:
            data: bytes | None = path.read_bytes()
        except OSError:
            data = None
        parts += [str(path), data]
    return digest(*parts)


@dataclass(frozen=True)
class NavNode:
    """One item of the navigation as the theme shows it: a page, a link or a section."""

    title: str
    url: str | None = None  # a page's or link's URL; None for a section
    children: tuple[NavNode, ...] = ()
    src_uri: str | None = None  # a page's docs path
    extra: tuple[str, ...] = ()  # what the theme shows beside a page's title (icon, subtitle, status)
    is_section: bool = False


@dataclass(frozen=True)
class PageView:
    """What the theme shows around a page besides its own HTML and the navigation."""

    title: str
    previous: tuple[str, str] | None = None  # (title, URL)
    next: tuple[str, str] | None = None


def _first_leaf(node: NavNode) -> NavNode | None:
    while node.children:
        node = node.children[0]
    return node if not node.is_section else None


def _describe(items: tuple[NavNode, ...], active: frozenset[int], prune: bool) -> tuple:
    """The navigation as rendered for a page whose ancestors are ``active`` (ids of sections)."""
    out = []
    for node in items:
        if not node.is_section:
            out.append(("item", node.title, node.url, node.extra))
        elif not prune or id(node) in active:
            out.append(("open", node.title, id(node) in active, _describe(node.children, active, prune)))
        else:  # pruned: the section's title linking to its first page
            leaf = _first_leaf(node)
            out.append(("pruned", node.title, leaf.url if leaf else None, leaf.extra if leaf else (),
                        bool(node.children)))
    return tuple(out)


def _ancestors(items: tuple[NavNode, ...], chain: tuple[NavNode, ...], found: dict[str, tuple[NavNode, ...]]) -> None:
    for node in items:
        if node.is_section:
            _ancestors(node.children, (*chain, node), found)
        elif node.src_uri is not None:
            found.setdefault(node.src_uri, chain)


def view_fingerprints(nav: Iterable[NavNode], views: Mapping[str, PageView], prune: bool) -> dict[str, str]:
    """docs path → digest of what the theme shows around the page (navigation, title, previous/next)."""
    items = tuple(nav)
    chains: dict[str, tuple[NavNode, ...]] = {}
    _ancestors(items, (), chains)
    described: dict[tuple[int, ...], str] = {}  # pages under the same sections share their navigation
    out = {}
    for src_uri, view in views.items():
        chain = chains.get(src_uri, ())
        key = tuple(id(node) for node in chain)
        if key not in described:
            described[key] = digest(repr(_describe(items, frozenset(key), prune)))
        # The page's own title and its place: the active item, and the sections opened above it.
        out[src_uri] = digest(described[key], repr(key and tuple(node.title for node in chain)), repr(view))
    return out


@dataclass
class PageRecord:
    """One page as the last build left it."""

    source: str | None  # digest of its Markdown, URL and edit link (None: authored, always rebuilt)
    view: str = ""  # view_fingerprints' digest
    state: Any = None  # the adapter's snapshot of the page (title, meta, HTML, table of contents…)
    url: str = ""
    search: list[dict[str, Any]] = field(default_factory=list)  # its search index entries


@dataclass
class BuildRecord:
    """What the last build produced, for the next one to compare with."""

    inputs: str  # files_digest of the inputs every page depends on
    pages: dict[str, PageRecord] = field(default_factory=dict)  # docs path → record
    outputs: set[str] = field(default_factory=set)  # every file written into the site folder
    tags: str = ""  # tags_fingerprint
    search_config: dict[str, Any] | None = None


@dataclass
class Plan:
    """This build's decisions."""

    full: bool  # read and render everything
    read: set[str] = field(default_factory=set)  # docs paths read and converted again
    render: set[str] = field(default_factory=set)  # docs paths rendered again (decided once all are read)


@dataclass
class Session:
    """One ``mkdocs`` process: its command and the last build's record (None: the next build is full)."""

    command: str = "build"
    dirty: bool = False
    record: BuildRecord | None = None
    builds: int = 0  # builds written so far (a served page's tests and the benchmark wait for them)
    # The theme's compiled templates (Jinja bytecode by template key): every rebuild makes a new Jinja
    # environment, which would compile the same templates again (a tenth of a rebuild at 1,000 notes).
    templates: dict[str, bytes] = field(default_factory=dict)

    @property
    def incremental(self) -> bool:
        return self.command == "serve" and self.dirty


SESSION = Session()


def plan_reading(record: BuildRecord | None, inputs: str, sources: Mapping[str, str | None],
                 always: Iterable[str] = ()) -> Plan:
    """Which pages to read again: new, changed or ``always`` ones (all, after a change of ``inputs``)."""
    if record is None or record.inputs != inputs:
        return Plan(full=True, read=set(sources), render=set(sources))
    read = {src for src, source in sources.items()
            if source is ALWAYS or src not in record.pages or record.pages[src].source != source
            or record.pages[src].state is None}
    return Plan(full=False, read=read | (set(always) & set(sources)))


def plan_rendering(plan: Plan, record: BuildRecord | None, sources: Mapping[str, str | None],
                   views: Mapping[str, str], tags: str, listings: Iterable[str] = ()) -> set[str]:
    """Which pages to render again: changed sources, changed views, and the tag listings if any tag moved."""
    if plan.full or record is None:
        return set(sources)
    render = {src for src in plan.read if src not in record.pages or sources.get(src) != record.pages[src].source
              or sources.get(src) is ALWAYS}
    render |= {src for src, view in views.items() if src not in record.pages or record.pages[src].view != view}
    if tags != record.tags:
        render |= set(listings) & set(sources)
    return render


def tags_fingerprint(tagged: Iterable[tuple[str, str, tuple[str, ...]]]) -> str:
    """Digest of every (URL, title, tags) a tag listing shows."""
    return digest(repr(sorted(tagged)))


def page_of(location: str) -> str:
    """The page URL of a search entry's location (``notes/x/#heading`` → ``notes/x/``)."""
    return location.split("#", 1)[0]


def group_search_entries(entries: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_page: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_page.setdefault(page_of(str(entry.get("location", ""))), []).append(entry)
    return by_page


def merge_search_index(pages_in_order: Iterable[tuple[str, str]], rendered: set[str],
                       new_entries: Iterable[dict[str, Any]], record: BuildRecord | None) -> tuple[list, dict[str, list]]:
    """The search entries of a full build: a rendered page's new entries, the others' last ones, in page order.

    ``pages_in_order``: (docs path, URL) as MkDocs builds them. Returns (entries, docs path → entries).
    """
    fresh = group_search_entries(new_entries)
    merged: list[dict[str, Any]] = []
    by_src: dict[str, list[dict[str, Any]]] = {}
    for src, url in pages_in_order:
        if src in rendered or record is None or src not in record.pages:
            entries = fresh.get(url, [])
        else:
            entries = record.pages[src].search
        by_src[src] = entries
        merged += entries
    return merged, by_src


def stale_outputs(record: BuildRecord | None, outputs: set[str]) -> list[str]:
    """Files the last build wrote that this one does not: deleted and renamed pages, removed attachments."""
    return sorted(record.outputs - outputs) if record is not None else []
