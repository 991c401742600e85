"""The pipeline: sources → ``Site`` → generated pages. No MkDocs in here.

``build_site`` runs load → normalize → enrich → check once, before any page renders, so
domain listings and backlinks never depend on page order. ``site_for`` memoizes the last
site per input fingerprint so the two adapters (hooks and macros) share one build.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import html
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import check, cheatsheet, enrich, history, load, notecache, render, resources
from .catalog import load_catalog, load_exam
from .mentions import ServiceMatcher
from .model import Problem, Site

NOTES_ENV = "STUDYGUIDE_NOTES"
CACHE_DIR = Path(".cache") / "studyguide"  # link-check cache and report, inside the project


def notes_dir_for(root: Path) -> Path:
    """The notes folder: ``$STUDYGUIDE_NOTES`` if set, else ``seeds/notes`` of the project."""
    override = os.environ.get(NOTES_ENV, "").strip()
    return Path(override).expanduser().resolve() if override else root / "seeds" / "notes"


T = TypeVar("T")


def _gc_paused(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` run with the cyclic garbage collector paused. The pipeline builds a model of hundreds of
    thousands of objects and little cyclic garbage (reference counting frees the rest); each full collection
    walked the whole growing model again: 1 s of collections, and 3 s of build time, at 3,000 notes."""
    @functools.wraps(function)
    def paused(*args, **kwargs) -> T:  # noqa: ANN002, ANN003
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()
    return paused


@_gc_paused
def build_site(root: Path, notes_dir: Path | None = None, include_drafts: bool = True,
               check_external: bool = False) -> Site:
    """Build the whole site model from ``root/seeds`` (and the notes folder).

    With ``check_external`` every external URL is checked (cached in ``.cache/studyguide``);
    without it, the last check's report (if any) still feeds the Resources page.
    """
    notes_dir = notes_dir or notes_dir_for(root)
    if not notes_dir.is_dir():
        raise FileNotFoundError(f"{notes_dir}: the notes folder does not exist (set {NOTES_ENV} to a folder of notes)")
    # Catalog files, matcher and each note's own work are memoized by content (notecache): under
    # `mkdocs serve` a rebuild redoes only the notes that changed; the cross-note steps below always rerun.
    domains_file = root / "seeds" / "domains.yml"
    exam = notecache.by_content(domains_file, lambda: load_exam(domains_file))
    services_file = root / "seeds" / "services.yml"
    numbers = tuple(d.number for d in exam.domains)
    catalog = notecache.by_content(services_file, lambda: load_catalog(services_file, set(numbers)), numbers) \
        if services_file.exists() else None
    matcher = notecache.by_content(services_file, lambda: ServiceMatcher(catalog), "matcher", numbers) \
        if catalog is not None else None
    context = (notecache.file_digest(domains_file), notecache.file_digest(services_file))
    work = notecache.analyze_notes(notes_dir, root, exam, matcher, context)
    changed = history.last_changed([w.path for w in work], root)  # one git call for all notes
    for w in work:
        w.note.changed = changed.get(w.path)
    if not include_drafts:
        work = [w for w in work if not w.note.draft]
    notes = [w.note for w in work]
    links = [link for w in work for link in w.links]
    site = Site(exam=exam, catalog=catalog, notes=notes, links=links, notes_dir=str(notes_dir))
    if catalog is not None:
        site.matcher = matcher
        site.mentions = [mention for w in work for mention in w.mentions]
        site.note_scans = {w.note.slug: w.scan for w in work if w.scan is not None}
    attachments = render.present_attachments(notes_dir)
    _, refused_attachments = load.safe_files(notes_dir / render.ATTACHMENT_DIR, notes_dir.resolve())
    report = root / CACHE_DIR / "link-report.json"
    if check_external or report.exists():
        from . import linkcheck  # imports httpx: a tenth of a second no build without link checks needs
    if check_external:
        urls = [link.url for link in links if link.is_external and not link.is_image]
        site.link_status = linkcheck.check_urls(urls, root / CACHE_DIR / "linkcheck-cache.json")
        linkcheck.write_report(site.link_status, report)
    elif report.exists():
        try:
            site.link_status = linkcheck.read_report(report)
        except ValueError:
            site.link_status = {}
    site.link_report = str(report)
    problems = (check.check_notes(notes)
                + check.check_attachments(notes, links, attachments)
                + check.check_internal_links(notes, links, enrich.NoteIndex(notes, str(notes_dir), attachments))
                + [problem for w in work for problem in w.service_problems]  # check.service_name_problems, per note
                + resources.suspicious_links(links, notes, catalog)
                + cheatsheet.check_scenarios(site, root)
                + [Problem(load.shown_path(path, root.resolve()), None, reason) for path, reason in refused_attachments])
    if check_external:
        problems += check.check_external_links(links, notes, site.link_status)
    site.problems = check.apply_accepted(problems, check.load_accepted_findings(root / "seeds" / "accepted-findings.yml"))
    return site


def note_cache_stats() -> dict[str, int]:
    """Hits and misses of the per-note memo since the process started (tests and the benchmark)."""
    return notecache.CACHE.stats()


@_gc_paused
def generated_pages(site: Site) -> dict[str, str]:
    """docs path → Markdown for every page the guide generates."""
    return render.generated_pages(site)


def input_fingerprint(root: Path, notes_dir: Path) -> str:
    """Hash of every input file's path, size and modification time."""
    digest = hashlib.sha256()
    files = [root / "seeds" / "domains.yml", root / "seeds" / "services.yml", cheatsheet.scenarios_path(notes_dir),
             *sorted(notes_dir.rglob("*"))]
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        # os.fsencode: a file name that is not UTF-8 is kept as its bytes (str.encode() would raise).
        digest.update(os.fsencode(path) + f"\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


_LAST: dict[tuple[str, str, bool], tuple[str, Site]] = {}


def site_for(root: Path, include_drafts: bool = False, check_external: bool = False) -> Site:
    """The site for ``root``, rebuilt only when an input changed since the last call (or a check is asked for)."""
    notes_dir = notes_dir_for(root)
    key = (str(root.resolve()), str(notes_dir), include_drafts)
    fingerprint = input_fingerprint(root, notes_dir) if notes_dir.is_dir() else ""
    cached = _LAST.get(key)
    if cached and cached[0] == fingerprint and not check_external:
        return cached[1]
    site = build_site(root, notes_dir, include_drafts, check_external)
    _LAST[key] = (fingerprint, site)
    return site


def attachment_files(site: Site) -> dict[str, Path]:
    """docs path → file of every attachment in the notes' attachments folder."""
    notes_dir = Path(site.notes_dir)
    files, _ = load.safe_files(notes_dir / render.ATTACHMENT_DIR, notes_dir.resolve())
    return {f"notes/{render.ATTACHMENT_DIR}/{p.name}": p for p in files}


NAV_GROUP_LIMIT = 50  # a domain group lists its notes in the navigation up to this many; past it, its index page


def _notes_navigation(site: Site, notes: list) -> list:
    """Under Notes: every note (up to ``render.NOTES_GROUPED_OVER`` notes), else one section per exam domain
    and "Other", each with its index page first (``navigation.indexes``) and its notes if it has at most
    ``NAV_GROUP_LIMIT``. Material renders the navigation into every page, so a navigation listing
    thousands of notes made a build quadratic; this one stays the same size per page at any count."""
    if not render.notes_grouped(site):
        return [{html.escape(n.title): n.page_path} for n in notes]
    return [{f"{html.escape(render.note_group_title(domain))} ({len(members)})":
             [render.note_group_path(domain)]
             + ([{html.escape(n.title): n.page_path} for n in members] if len(members) <= NAV_GROUP_LIMIT else [])}
            for domain, members in enrich.group_by_domain(site.notes, site.exam)]


def nav_pages(nav: list) -> set[str]:
    """Every page (docs path) a navigation lists."""
    found: set[str] = set()
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found |= nav_pages(value)
        elif isinstance(value, str):
            found.add(value)
    return found


def navigation(site: Site, docs_dir: Path) -> list:
    """The navigation: Home, Domains, Notes (by title), Tags, then authored pages."""
    notes = sorted((n for n in site.notes), key=lambda n: (n.title.casefold(), n.slug))
    nav: list = [{"Home": "index.md"}]
    nav.append({"Domains": ["domains/index.md"] + [{d.title: render.domain_page_path(d)} for d in site.exam.domains]})
    nav.append(cheatsheet.cheatsheet_nav(site))
    nav.append({"Notes": ["notes/index.md"] + _notes_navigation(site, notes)})
    if site.catalog is not None:
        nav.append({"Glossary": render.GLOSSARY_PAGE})
    nav.append({"Resources": render.RESOURCES_PAGE})
    nav.append({"Build report": render.REPORT_PAGE})
    if any(n.tags for n in site.notes):
        nav.append({"Tags": "tags.md"})
    for page, title in (("contributing.md", "Contributing"),):
        if (docs_dir / page).exists():
            nav.append({title: page})
    return nav
