"""The pipeline: sources → ``Site`` (with its per-build ``SiteIndex``) → generated pages. No MkDocs in here.

``build_site`` runs load → normalize → enrich → check once, before any page renders, so
domain listings and backlinks never depend on page order. ``site_for`` memoizes the last
site per ``Settings`` and input fingerprint; ``built_site`` hands the site the hooks built to
the macros, so the two adapters share one build.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import html
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import check, history, notecache, paths, render, resources
from .attachments import (asset_files, attachment_paths, attachment_published, present_attachments,
                          refused_attachments, unpublished_attachments)
from .catalog import exam_file, load_catalog, load_exam
from .enrich import AssetIndex, build_site_index, group_by_domain, link_flags
from .load import shown_path
from .mentions import ServiceMatcher
from .model import Site, note_order
from .scenarios import load_scenarios, scenarios_path
from .settings import LINKCHECK_ALLOW_ENV, NOTES_ENV, Settings, SettingsError

if TYPE_CHECKING:
    from . import linkcheck

CACHE_DIR = Path(".cache") / "studyguide"  # link-check cache and report, inside the project


T = TypeVar("T")


def link_check_settings(settings: Settings) -> linkcheck.CheckSettings:
    """The external check's settings: the defaults, with the allow-list and deadline of ``settings``."""
    from . import linkcheck  # imports httpx: only builds that check links pay for it

    try:
        allow = linkcheck.parse_allow_list(settings.linkcheck_allow)
    except ValueError as exc:
        raise SettingsError(f"{LINKCHECK_ALLOW_ENV}: {exc}") from exc
    return linkcheck.CheckSettings(allow=allow, deadline=settings.linkcheck_deadline)


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


def build_site(settings: Settings | Path, notes_dir: Path | None = None, include_drafts: bool = True,
               check_external: bool = False) -> Site:
    """Build the whole site model from ``settings`` (or from a project folder, its ``seeds/notes`` unless
    ``notes_dir``, and the other arguments: a shorthand for tests and tools).

    With ``check_external`` every external URL is checked (cached in ``.cache/studyguide``);
    without it, the last check's report (if any) still feeds the Resources page.
    """
    if not isinstance(settings, Settings):
        settings = Settings.for_project(settings, notes_dir, drafts=include_drafts, check_external=check_external)
    return _build_site(settings)


@_gc_paused
def _build_site(settings: Settings) -> Site:
    root, notes_dir, check_external = settings.root, settings.notes_dir, settings.check_external
    if not notes_dir.is_dir():
        raise FileNotFoundError(f"{notes_dir}: the notes folder does not exist (set {NOTES_ENV} to a folder of notes)")
    # Catalog files, matcher and each note's own work are memoized by content (notecache): under
    # `mkdocs serve` a rebuild redoes only the notes that changed; the cross-note steps below always rerun.
    domains_file = exam_file(root, "mls-c01")
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
    if not settings.drafts:
        work = [w for w in work if not w.note.draft]
    notes = [w.note for w in work]
    links = [link for w in work for link in w.links]
    site = Site(exam=exam, catalog=catalog, notes=notes, links=links, notes_dir=str(notes_dir))
    if catalog is not None:
        site.matcher = matcher
        site.mentions = [mention for w in work for mention in w.mentions]
        site.note_scans = {w.note.slug: w.scan for w in work if w.scan is not None}
    attachments = present_attachments(notes_dir)
    report = root / CACHE_DIR / "link-report.json"
    if check_external or report.exists():
        from . import linkcheck  # imports httpx: a tenth of a second no build without link checks needs
    if check_external:
        urls = [link.url for link in links if link.is_external and not link.is_image]
        site.link_status = linkcheck.check_urls(urls, root / CACHE_DIR / "linkcheck-cache.json", link_check_settings(settings))
        linkcheck.write_report(site.link_status, report)
    elif report.exists():
        try:
            site.link_status = linkcheck.read_report(report)
        except ValueError:
            site.link_status = {}
    site.link_report = str(report)
    scenarios_file = scenarios_path(notes_dir)
    shown_scenarios = shown_path(scenarios_file, root.resolve())
    pairs, scenario_problems = load_scenarios(scenarios_file, shown_scenarios, exam)
    notes_shown = shown_path(notes_dir / "x", root.resolve()).removesuffix("x")  # "seeds/notes/" for the seeds
    assets = asset_files(notes_dir)
    site.index = index = build_site_index(site, attachments, pairs, AssetIndex(assets.files), notes_shown)
    problems = (check.check_notes(notes)
                + unpublished_attachments(notes_dir, root)
                + check.check_attachments(notes, links, attachments)
                + check.check_internal_links(notes, links, index.notes)
                + check.check_assets(index, attachment_published)
                + check.check_embed_cycles(notes, links, index.notes)
                + check.check_name_clashes(index.notes)
                + [problem for w in work for problem in w.service_problems]  # check.service_name_problems, per note
                + resources.suspicious_links(links, notes, catalog)
                + refused_attachments(notes_dir, root)
                + scenario_problems + check.check_scenarios(index, notes, shown_scenarios))
    if check_external:
        problems += check.check_external_links(links, notes, site.link_status)
    accepted_file = root / "seeds" / "accepted-findings.yml"
    shown_accepted = shown_path(accepted_file, root.resolve())
    sources = {note.source for note in notes} | {shown_scenarios}
    site.problems = check.apply_accepted(problems, check.load_accepted_findings(accepted_file, shown_accepted),
                                         shown_accepted, lambda file: file in sources or file.startswith(notes_shown))
    index.link_flags = link_flags(site.problems, site.links)
    return site


def note_cache_stats() -> dict[str, int]:
    """Hits and misses of the per-note memo since the process started (tests and the benchmark)."""
    return notecache.CACHE.stats()


@_gc_paused
def generated_pages(site: Site, settings: Settings | None = None) -> dict[str, str]:
    """docs path → Markdown for every page the guide generates (``settings.pdf``: the cheat-sheets link PDFs)."""
    return render.generated_pages(site, site.index, pdf=settings.pdf if settings else False)


def input_fingerprint(root: Path, notes_dir: Path) -> str:
    """Hash of every input file's path, size and modification time."""
    digest = hashlib.sha256()
    files = [exam_file(root, "mls-c01"), root / "seeds" / "services.yml", scenarios_path(notes_dir),
             *sorted(notes_dir.rglob("*"))]
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        # os.fsencode: a file name that is not UTF-8 is kept as its bytes (str.encode() would raise).
        digest.update(os.fsencode(path) + f"\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


_LAST: dict[Settings, tuple[str, Site]] = {}  # the last site built per settings, with its inputs' fingerprint
_BUILT: dict[Path, Site] = {}  # project folder → the site ``site_for`` last returned (the hooks' build)


def site_for(settings: Settings) -> Site:
    """The site for ``settings``, rebuilt only when an input changed since the last call (or a check is asked for)."""
    fingerprint = input_fingerprint(settings.root, settings.notes_dir) if settings.notes_dir.is_dir() else ""
    cached = _LAST.get(settings)
    if cached and cached[0] == fingerprint and not settings.check_external:
        site = cached[1]
    else:
        site = build_site(settings)
        _LAST[settings] = (fingerprint, site)
    _BUILT[settings.root.resolve()] = site
    return site


def built_site(root: Path) -> Site | None:
    """The site ``site_for`` last returned for the project ``root``: the macros of authored pages use the very
    site the hooks built for this build (same drafts setting, no second build)."""
    return _BUILT.get(root.resolve())


def attachment_files(site: Site) -> dict[str, Path]:
    """docs path → file of every attachment the site publishes (``attachments.PUBLISHED_ATTACHMENT_TYPES``: static
    files only, never a page MkDocs would render); the others are reported by ``build_site``."""
    published = {paths.attachment_page(p.name): p for p in attachment_paths(Path(site.notes_dir)) if attachment_published(p)}
    if site.index is not None:  # every other asset a note links or embeds, once, at its own URL
        assets = site.index.notes.assets
        published.update({assets.page(path): assets.files[path] for path in site.index.referenced_assets
                          if attachment_published(assets.files[path])})
    return published


NAV_GROUP_LIMIT = 50  # a domain group lists its notes in the navigation up to this many; past it, its index page


def _notes_navigation(site: Site, notes: list) -> list:
    """Under Notes: every note (up to ``render.NOTES_GROUPED_OVER`` notes), else one section per exam domain
    and "Other", each with its index page first (``navigation.indexes``) and its notes if it has at most
    ``NAV_GROUP_LIMIT``. Material renders the navigation into every page, so a navigation listing
    thousands of notes made a build quadratic; this one stays the same size per page at any count."""
    if not render.notes_grouped(site):
        return [{html.escape(n.title): n.page_path} for n in notes]
    groups = site.index.note_groups if site.index is not None else group_by_domain(site.notes, site.exam)
    return [{f"{html.escape(render.note_group_title(domain))} ({len(members)})":
             [paths.note_group_page(domain)]
             + ([{html.escape(n.title): n.page_path} for n in members] if len(members) <= NAV_GROUP_LIMIT else [])}
            for domain, members in groups]


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
    notes = sorted((n for n in site.notes), key=note_order)
    nav: list = [{"Home": paths.HOME_PAGE}]
    nav.append({"Domains": [paths.DOMAINS_INDEX] + [{d.title: paths.domain_page(d)} for d in site.exam.domains]})
    nav.append({"Cheat-sheets": [paths.CHEATSHEET_INDEX] + [{d.name: paths.cheatsheet_page(d)} for d in site.exam.domains]
                + [{"All domains": paths.CHEATSHEET_ALL}]})
    nav.append({"Notes": [paths.NOTES_INDEX] + _notes_navigation(site, notes)})
    if site.catalog is not None:
        nav.append({"Glossary": paths.GLOSSARY_PAGE})
    nav.append({"Resources": paths.RESOURCES_PAGE})
    nav.append({"Build report": paths.REPORT_PAGE})
    if any(n.tags for n in site.notes):
        nav.append({"Tags": paths.TAGS_PAGE})
    for page, title in ((paths.CONTRIBUTING_PAGE, "Contributing"),):
        if (docs_dir / page).exists():
            nav.append({title: page})
    return nav
