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

from . import assign, check, history, notecache, paths, render, resources
from .attachments import (asset_files, attachment_paths, attachment_published, present_attachments,
                          refused_attachments, unpublished_attachments)
from .catalog import EXAMS_DIR, CatalogError, available_exams, exam_file, load_catalog, load_exam
from .discover import discover_notes
from .enrich import AssetIndex, build_site_index, group_by_domain, link_flags
from .guidefile import merge_catalog
from .load import shown_path
from .mentions import ServiceMatcher
from .model import Exam, Problem, Site, note_order
from .scenarios import load_scenarios, map_to_successor, scenario_entries, scenarios_exam, scenarios_path
from .settings import EXAM_ENV, LINKCHECK_ALLOW_ENV, NOTES_ENV, Settings, SettingsError

if TYPE_CHECKING:
    from . import linkcheck



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
    guide = settings.guide
    domains_file = chosen_exam_file(settings)
    exam = _exam(domains_file)
    related = _related_exam(root, exam)
    services_file = root / "seeds" / "services.yml"
    numbers = _catalog_numbers(exam, related)
    guide_digest = notecache.file_digest(guide.path) if guide is not None else None
    own_numbers = {d.number for d in exam.domains}  # a person's own services name the built exam's domains
    catalog = notecache.by_content(
        services_file, lambda: merge_catalog(load_catalog(services_file, *numbers), "seeds/services.yml", guide,
                                             own_numbers), numbers, guide_digest) if services_file.exists() else None
    matcher = notecache.by_content(services_file, lambda: ServiceMatcher(catalog), "matcher", numbers, guide_digest) \
        if catalog is not None else None
    # The vault's own settings (strict line breaks, template and attachment folders) change how notes read.
    vault = notecache.file_digest(notes_dir / ".obsidian" / "app.json")
    context = (notecache.file_digest(domains_file), notecache.file_digest(services_file), guide_digest, vault)
    outline = assign.outline_for(exam, catalog)  # compiled once per exam and catalog, reused under serve
    files, skipped = discover_notes(notes_dir, lambda path: shown_path(path, root.resolve()))
    work = notecache.analyze_notes(notes_dir, root, exam, matcher, context, outline, files)
    changed = history.last_changed([w.path for w in work], root)  # one git call for all notes
    for w in work:
        w.note.changed = changed.get(w.path)
    if not settings.drafts:
        work = [w for w in work if not w.note.draft]
    notes = [w.note for w in work]
    links = [link for w in work for link in w.links]
    site = Site(exam=exam, catalog=catalog, notes=notes, links=links, notes_dir=str(notes_dir), related_exam=related,
                skipped=skipped)
    if catalog is not None:
        site.matcher = matcher
        site.mentions = [mention for w in work for mention in w.mentions]
        site.note_scans = {w.note.slug: w.scan for w in work if w.scan is not None}
    attachments = present_attachments(notes_dir)
    report = link_report_path(settings)
    cited = {link.url for link in links if link.is_external and not link.is_image}
    if check_external or report.exists():
        from . import linkcheck  # imports httpx: a tenth of a second no build without link checks needs
    if check_external:
        site.link_status = linkcheck.check_urls(sorted(cited), settings.link_cache_dir / "linkcheck-cache.json",
                                                link_check_settings(settings))
        linkcheck.write_report(site.link_status, report)
    elif report.exists():
        try:
            # The last check of this notes folder: only what its notes still cite is shown.
            site.link_status = {url: status for url, status in linkcheck.read_report(report).items() if url in cited}
        except ValueError:
            site.link_status = {}
    site.link_report = str(report)
    scenarios_file = scenarios_path(notes_dir)
    shown_scenarios = shown_path(scenarios_file, root.resolve())
    written_for = scenarios_exam(exam, related)
    pairs, scenario_problems = load_scenarios(scenarios_file, shown_scenarios, written_for)
    if guide is not None and guide.scenarios:
        own_pairs, own_problems = scenario_entries(list(guide.scenarios), guide.shown, written_for, [])
        pairs, scenario_problems = pairs + own_pairs, scenario_problems + own_problems
    pairs, unmapped = map_to_successor(pairs, written_for, exam, shown_scenarios)
    scenario_problems += unmapped
    notes_shown = shown_path(notes_dir / "x", root.resolve()).removesuffix("x")  # "seeds/notes/" for the seeds
    assets = asset_files(notes_dir)
    site.index = index = build_site_index(site, attachments, pairs, AssetIndex(assets.files), notes_shown)
    problems = (empty_folder_problems(notes_dir, root, notes)
                + check.check_notes(notes)
                + unpublished_attachments(notes_dir, root)
                + check.check_attachments(notes, links, attachments)
                + check.check_internal_links(notes, links, index.notes)
                + check.check_assets(index, attachment_published)
                + check.check_embed_cycles(notes, links, index.notes)
                + check.check_name_clashes(index.notes)
                + [problem for w in work for problem in w.service_problems]  # check.service_name_problems, per note
                + resources.suspicious_links(links, notes, catalog)
                + refused_attachments(notes_dir, root)
                + [Problem(s.file, None, f"not published: {s.reason}", "finding", code="file/skipped")
                   for s in skipped if not s.expected]
                + scenario_problems + check.check_scenarios(index, notes, shown_scenarios))
    if check_external:
        problems += check.check_external_links(links, notes, site.link_status)
    accepted_file = root / "seeds" / "accepted-findings.yml"
    shown_accepted = shown_path(accepted_file, root.resolve())
    sources = {note.source for note in notes} | {shown_scenarios}
    accepted = check.load_accepted_findings(accepted_file, shown_accepted)
    if guide is not None:  # the person's own: files named relative to the notes folder, stale ones reported there
        sources.add(guide.shown)
        own = check.accepted_entries(list(guide.accepted), guide.shown, notes_shown)
        site.problems = check.apply_accepted(problems, own, guide.shown, lambda file: True)
        problems = site.problems
    site.problems = check.apply_accepted(problems, accepted, shown_accepted,
                                         lambda file: file in sources or file.startswith(notes_shown))
    index.link_flags = link_flags(site.problems, site.links)
    return site


def link_report_path(settings: Settings) -> Path:
    """The external check's report of this notes folder: one per folder, so another folder's URLs never show."""
    folder = hashlib.sha256(str(settings.notes_dir.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return settings.link_cache_dir / f"link-report-{folder}.json"


def published_link_report(site: Site) -> str | None:
    """The JSON link report a build publishes: the statuses of the URLs this build's notes cite, or None."""
    if not site.link_status:
        return None
    from . import linkcheck

    report = Path(site.link_report)
    try:  # the check's own report when it holds exactly these URLs (its time stamp is the check's)
        if report.is_file() and set(linkcheck.read_report(report)) == set(site.link_status):
            return report.read_text("utf-8")
    except (OSError, ValueError):
        pass
    return linkcheck.report_json(site.link_status)


def empty_folder_problems(notes_dir: Path, root: Path, notes: list) -> list[Problem]:
    """A folder with no note builds an empty guide: most often the wrong folder was given."""
    if notes:
        return []
    return [Problem(shown_path(notes_dir / "x", root.resolve())[:-2] or str(notes_dir), None,
                    f"the notes folder holds no note (.md, .markdown or .txt): is {NOTES_ENV} the right folder?",
                    "error", "note", code="notes/none")]


def chosen_exam_file(settings: Settings) -> Path:
    """The outline of the exam ``settings`` names; an unknown code is a ``SettingsError`` naming the known ones."""
    try:
        return exam_file(settings.root, settings.exam)
    except CatalogError:
        known = ", ".join(available_exams(settings.root)) or "none"
        raise SettingsError(f"{EXAM_ENV}={settings.exam!r} (or exam: in studyguide.yml): there is no outline "
                            f"{EXAMS_DIR.as_posix()}/{settings.exam}.yml; available: {known}") from None


def _exam(path: Path) -> Exam:
    shown = f"{EXAMS_DIR.as_posix()}/{path.name}"
    return notecache.by_content(path, lambda: load_exam(path, shown))


def _related_exam(root: Path, exam: Exam) -> Exam | None:
    """The exam's successor (or predecessor), when its outline is there: domain pages and the home page link
    their material to it, and the catalog's domains of both exams are validated."""
    code = exam.successor or exam.predecessor
    if not code:
        return None
    try:
        return _exam(exam_file(root, code))
    except CatalogError:
        return None


def _catalog_numbers(exam: Exam, related: Exam | None) -> tuple[frozenset[int] | None, frozenset[int] | None]:
    """(MLS-C01 domain numbers, MLA-C01 domain numbers) the catalog's ``domains`` / ``mla_domains`` are checked
    against: whichever of the two exams is loaded."""
    found: dict[bool, frozenset[int]] = {}
    for each in (exam, related):
        if each is not None:
            found.setdefault(each.code.upper().startswith("MLA"), frozenset(d.number for d in each.domains))
    return found.get(False), found.get(True)


def note_cache_stats() -> dict[str, int]:
    """Hits and misses of the per-note memo since the process started (tests and the benchmark)."""
    return notecache.CACHE.stats()


@_gc_paused
def generated_pages(site: Site, settings: Settings | None = None) -> dict[str, str]:
    """docs path → Markdown for every page the guide generates (``settings.pdf``: the cheat-sheets link PDFs)."""
    return render.generated_pages(site, site.index, pdf=settings.pdf if settings else False)


def notes_report(site: Site) -> list[dict]:
    """``reports/notes.json``: one object per note, its place in the outline as data (see README)."""
    return [{"source": note.placement.path if note.placement else Path(note.source).name,
             "url": note.url, "title": note.title, "tags": list(note.tags),
             "domain": note.placement.primary if note.placement else None,
             "domains": list(note.placement.domains) if note.placement else [],
             "tasks": list(note.placement.tasks) if note.placement else [],
             "sections": [{"heading": section.title, "line": section.line, "tasks": list(section.tasks)}
                          for section in note.sections]}
            for note in site.notes]


def static_files(site: Site, settings: Settings | None = None) -> dict[str, bytes]:
    """Site path → bytes of every generated file that is not a page: the flashcards' Anki package (its cards
    link back to the notes, absolutely when ``settings.site_url`` is set)."""
    cards = render.flashcards(site, site.index)
    return {paths.anki_package(site.exam.code): render.anki_package(
        site.exam, site.index, cards, settings.site_url if settings else "", settings.build_time if settings else None)}


def input_fingerprint(settings: Settings) -> str:
    """Hash of every input file's path, size and modification time."""
    root, notes_dir = settings.root, settings.notes_dir
    digest = hashlib.sha256()
    files = [*sorted((root / EXAMS_DIR).glob("*.yml")), root / "seeds" / "services.yml", scenarios_path(notes_dir),
             root / "seeds" / "accepted-findings.yml", *([settings.guide.path] if settings.guide else []),
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
    fingerprint = input_fingerprint(settings) if settings.notes_dir.is_dir() else ""
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
    title = site.index.title_of if site.index is not None else (lambda note: note.title)
    if not render.notes_grouped(site):
        return [{html.escape(title(n)): n.page_path} for n in notes]
    groups = site.index.note_groups if site.index is not None else group_by_domain(site.notes, site.exam)
    return [{f"{html.escape(render.note_group_title(domain))} ({len(members)})":
             [paths.note_group_page(domain)]
             + ([{html.escape(title(n)): n.page_path} for n in members] if len(members) <= NAV_GROUP_LIMIT else [])}
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
    nav.append({"Coverage": paths.COVERAGE_PAGE})
    nav.append({"Cheat-sheets": [paths.CHEATSHEET_INDEX] + [{d.name: paths.cheatsheet_page(d)} for d in site.exam.domains]
                + [{"All domains": paths.CHEATSHEET_ALL}]})
    nav.append({"Flashcards": paths.FLASHCARDS_PAGE})
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
