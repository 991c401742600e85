"""MkDocs adapter: wires MkDocs events to the pipeline. Nothing imports this module.

on_startup remembers the command (drafts are previewed under ``serve``), on_config reads the
``Settings`` once (environment + mkdocs.yml) and builds the site model and the navigation, on_files adds the generated pages as virtual files,
on_page_content sanitizes HTML, on_serve watches the notes. Under ``mkdocs serve --dirty`` the
``_serve_*`` functions make each rebuild read and render only the pages whose output changes
(``macros.incremental`` decides which; the first build of a session is full).
"""
from __future__ import annotations

import gc
import json
import logging
import os
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2.bccache import BytecodeCache, Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from macros import incremental, paths, pipeline, render  # noqa: E402
from macros.catalog import CatalogError  # noqa: E402
from macros.guidefile import read_settings  # noqa: E402
from macros.model import Note, Site, printable  # noqa: E402
from macros.sanitize import sanitize_html  # noqa: E402
from macros.settings import Settings, SettingsError  # noqa: E402

log = get_plugin_logger("studyguide")
_state: dict[str, object] = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command
    incremental.SESSION.command, incremental.SESSION.dirty = command, dirty
    incremental.SESSION.record, incremental.SESSION.builds = None, 0  # a new session starts with a full build


def _site() -> Site:
    return _state["site"]  # type: ignore[return-value]


def _settings() -> Settings:
    return _state["settings"]  # type: ignore[return-value]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    gc.unfreeze()  # under `mkdocs serve`, the last build's model may be collected again (see on_files)
    root = Path(config.config_file_path).resolve().parent
    try:
        settings = read_settings(os.environ, config, root=root, serving=_state["command"] == "serve")
        site = pipeline.site_for(settings)
    except (CatalogError, FileNotFoundError, SettingsError) as exc:
        raise PluginError(str(exc)) from exc
    _state["settings"] = settings
    _state["site"] = site
    _apply_guide_settings(config, settings)
    # mkdocs.yml names the default exam ("MLS-C01 Study Guide"): the chosen exam's outline names this one,
    # unless the person's studyguide.yml names the guide
    if not settings.site_name:
        config.site_name = render.for_exam(config.site_name, site.exam, site.related_exam)
    config.site_description = render.for_exam(config.site_description or "", site.exam, site.related_exam) or None
    _state["root"] = root
    _state["nav_pages"] = None
    if not config.nav:
        config.nav = pipeline.navigation(site, Path(config.docs_dir))
        # Pages our navigation leaves to index pages (notes of a large domain group) are not "omitted".
        _state["nav_pages"] = pipeline.nav_pages(config.nav)
    return config


def _apply_guide_settings(config: MkDocsConfig, settings: Settings) -> None:
    """The person's site name and addresses (studyguide.yml, STUDYGUIDE_REPO_URL/SITE_URL) into MkDocs' config.
    No repository: no repository widget and no edit links, so no page asks api.github.com about one."""
    if settings.site_name:
        config.site_name = settings.site_name
    config.site_url = settings.site_url or config.site_url
    config.repo_url = settings.repo_url or None
    if not settings.repo_url:
        config.repo_name = config.edit_uri = None
        return
    parts = urlsplit(settings.repo_url)
    if not config.repo_name or config.repo_name in ("GitHub", "GitLab", "Bitbucket"):  # MkDocs' guess from no URL
        config.repo_name = parts.path.strip("/").rsplit("/", 1)[-1] or parts.netloc
    # Each page's edit path is relative to the repository (seeds/notes/x.md, docs/contributing.md): the
    # edit_uri names only the branch's editor.
    default = {"github.com": "edit/main/", "gitlab.com": "-/edit/main/"}.get(parts.netloc.lower())
    edit_uri = settings.edit_uri or default
    config.edit_uri = edit_uri if not edit_uri or edit_uri.endswith("/") else edit_uri + "/"  # MkDocs joins on "/"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = _site()
    root: Path = _state["root"]  # type: ignore[assignment]
    for problem in site.problems:
        if problem.level == "accepted":
            log.info(f"{problem} [{problem.code}] (accepted in seeds/accepted-findings.yml)")
        elif problem.level == "info":
            log.info(f"{problem} [{problem.code}]")
        else:
            log.warning(f"{problem} [{problem.code}]")  # the code is what accepted-findings.yml names
    for skipped in site.skipped:
        if skipped.expected:  # the others are findings (file/skipped), logged above
            log.info(printable(f"{skipped.file}: not read as notes: {skipped.reason}"))
    notes_by_page = {note.page_path: note for note in site.notes}  # one lookup per page, not a scan of all notes
    in_nav: set[str] | None = _state.get("nav_pages")  # type: ignore[assignment]
    for src_uri, markdown in pipeline.generated_pages(site, _settings()).items():
        if files.get_file_from_path(src_uri) is not None:
            continue  # an authored page wins over a generated one
        inclusion = InclusionLevel.NOT_IN_NAV if in_nav is not None and src_uri not in in_nav else InclusionLevel.UNDEFINED
        file = File.generated(config, src_uri, content=markdown, inclusion=inclusion)
        file.edit_uri = _edit_uri(notes_by_page.get(src_uri))
        files.append(file)
    report = pipeline.published_link_report(site)  # only the URLs this build's notes cite
    if report is not None:
        files.append(File.generated(config, paths.LINK_REPORT, content=report))
    # ASCII JSON: a file name that is not UTF-8 (lone surrogates) is escaped, never an encoding error
    files.append(File.generated(config, paths.NOTES_REPORT, content=json.dumps(pipeline.notes_report(site), indent=1)))
    for name, content in pipeline.static_files(site, _settings()).items():  # the Anki deck
        files.append(File.generated(config, name, content=content))
    for name, path in pipeline.attachment_files(site).items():
        files.append(File.generated(config, name, abs_src_path=str(path)))
    for file in files:
        if file.generated_by is None and file.is_documentation_page():
            file.edit_uri = quote(f"{Path(config.docs_dir).resolve().relative_to(root).as_posix()}/{file.src_uri}")
    if incremental.SESSION.incremental:
        _serve_plan_reading(files, config)
    # The site model lives until the build ends: keep the garbage collector from walking its objects
    # again and again while MkDocs renders every page (a tenth of the build's collections' time).
    gc.freeze()
    return files


def _edit_uri(note: Note | None) -> str | None:
    """Notes are edited at their source file in seeds/, not at the generated page. Percent-encoded: MkDocs
    writes the edit URL into the page unescaped, and a file name may hold a quote."""
    if note is None or Path(note.source).is_absolute():
        return None
    return quote(note.source, errors="surrogateescape")  # a file name that is not UTF-8: its bytes


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        return sanitize_html(html)
    except Exception as exc:  # noqa: BLE001 - whatever nh3 raises, the message names the page's source
        note = next((n for n in _site().notes if n.page_path == page.file.src_uri), None)
        source = note.source if note is not None else page.file.src_uri
        raise PluginError(f"{source}: its page's HTML cannot be sanitized: {exc}") from exc


def on_post_build(config: MkDocsConfig) -> None:
    """Under ``serve --dirty``: merge the search index, remove deleted pages. With ``STUDYGUIDE_PDF=1``: print
    each cheat-sheet, and all of them, to site/cheatsheets/pdf/."""
    from macros import pdf

    gc.unfreeze()
    session = incremental.SESSION
    if session.incremental:
        _serve_finish(config)
    if session.command == "serve":  # a line of its own per build (MkDocs drops repeated log lines)
        session.builds += 1
        log.info(f"serve build {session.builds} written")
    settings = _settings()
    if not settings.pdf:
        return
    site_dir = Path(config.site_dir)
    try:
        written = pdf.print_pages(site_dir, paths.pdf_targets(_site().exam.domains), site_dir / paths.PDF_DIR,
                                  paper=settings.pdf_format, base_url=settings.site_url or None,
                                  chromium=settings.chromium)
    except pdf.PdfError as exc:
        raise PluginError(str(exc)) from exc
    log.info(f"cheat-sheet PDFs: {', '.join(p.name for p in written)} in {paths.PDF_DIR}/")


def on_serve(server, config: MkDocsConfig, builder):  # noqa: ANN001 - livereload types
    root: Path = _state["root"]  # type: ignore[assignment]
    server.watch(str(root / "seeds"))
    notes_dir = _settings().notes_dir
    if notes_dir.is_dir():
        server.watch(str(notes_dir))
    for candidate in _settings_files(root, notes_dir):
        if candidate.is_file() and not candidate.is_relative_to(root / "seeds"):
            server.watch(str(candidate))
    return server


def on_build_error(error: Exception) -> None:
    incremental.SESSION.record = None  # a failed build leaves the site half written: the next one is full


# --- mkdocs serve --dirty: read and render again only the pages whose output changes ----------------------
# MkDocs' dirty build skips reading and rendering every file whose ``is_modified()`` is false. on_files decides
# which pages are read (the others get their last state back in on_nav), on_env which are rendered (once every
# page's title is known), on_post_build merges the search index and removes the outputs of deleted pages.

LISTING_MARK = "<!-- material/tags"  # a page with a tag listing (Material's listings directive)


def _settings_files(root: Path, notes_dir: Path) -> list[Path]:
    """studyguide.yml wherever it may sit: the project, the notes folder, beside the notes folder."""
    return [folder / "studyguide.yml" for folder in dict.fromkeys((root, notes_dir, notes_dir.parent))]


def _inputs_digest(config: MkDocsConfig) -> str:
    """The files every page depends on: a change rebuilds everything (mkdocs.yml, outline, catalog, settings)."""
    root: Path = _state["root"]  # type: ignore[assignment]
    seeds = root / "seeds"
    files = [Path(config.config_file_path), *sorted(seeds.glob("*.yml")), *sorted((seeds / "exams").glob("*.yml")),
             *_settings_files(root, _settings().notes_dir)]
    return incremental.files_digest(files)


def _set_modified(file: File, modified: bool) -> None:
    file.is_modified = (lambda: True) if modified else (lambda: False)  # type: ignore[method-assign]


def _serve_plan_reading(files: Files, config: MkDocsConfig) -> None:
    sources: dict[str, str | None] = {}
    listings: set[str] = set()
    pages = [file for file in files if file.is_documentation_page()]  # inclusion levels are set after on_files
    for file in pages:
        if file.generated_by is None:
            sources[file.src_uri] = incremental.ALWAYS  # authored: its macros may read anything
            continue
        markdown = file.content_string
        sources[file.src_uri] = incremental.digest(markdown, file.url, file.edit_uri)
        if LISTING_MARK in markdown:
            listings.add(file.src_uri)  # the listing is filled from every page's tags: read it every time
    session = incremental.SESSION
    plan = incremental.plan_reading(session.record, _inputs_digest(config), sources, listings)
    for file in pages:
        _set_modified(file, file.src_uri in plan.read)
    _state.update(serve_plan=plan, serve_sources=sources, serve_listings=listings, serve_files=files)


def _snapshot(page: Page) -> tuple:
    return (page.title, page.markdown, page.meta, page.content, page.toc, page.present_anchor_ids)


def _restore(page: Page, state: tuple) -> None:
    title, page.markdown, page.meta, page.content, page.toc, page.present_anchor_ids = state
    if "title" not in page.__dict__:  # a title from the navigation stays
        page.title = title


def on_nav(nav, config: MkDocsConfig, files: Files):  # noqa: ANN001, ANN201 - mkdocs Navigation
    session, plan = incremental.SESSION, _state.get("serve_plan")
    if not session.incremental or plan is None:
        return nav
    _state["serve_nav"] = nav
    if plan.full:
        return nav
    tags = config.plugins.get("material/tags") or config.plugins.get("tags")
    for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
        if file.src_uri in plan.read:
            continue
        page = file.page or Page(None, file, config)  # MkDocs would make it only to read it
        _restore(page, session.record.pages[file.src_uri].state)
        if tags is not None and hasattr(tags, "on_page_markdown"):
            # The tag listings are filled from every page's tags, collected as pages are read: replay it.
            tags.on_page_markdown(page.markdown, page=page, config=config, files=files)
    return nav


def _tags_in_page_order(config: MkDocsConfig, urls: list[str]) -> None:
    """The tags plugin's pages in the order a full build reads them (on_nav replayed the restored ones first):
    its tags.json lists them in that order."""
    tags = config.plugins.get("material/tags") or config.plugins.get("tags")
    data = getattr(getattr(tags, "mappings", None), "data", None)
    if isinstance(data, dict):
        ordered = {url: data[url] for url in urls if url in data}
        ordered.update((url, mapping) for url, mapping in data.items() if url not in ordered)
        data.clear()
        data.update(ordered)


def _nav_node(item) -> incremental.NavNode:  # noqa: ANN001 - a mkdocs Section, Page or Link
    if item.is_section:
        return incremental.NavNode(str(item.title), children=tuple(_nav_node(c) for c in item.children),
                                   is_section=True)
    if item.is_page:
        meta = item.meta or {}
        extra = tuple(str(meta.get(key, "")) for key in ("icon", "subtitle", "status"))
        return incremental.NavNode(str(item.title), item.url, src_uri=item.file.src_uri, extra=extra)
    return incremental.NavNode(str(item.title), str(item.url))


def _neighbour(page: Page | None) -> tuple[str, str] | None:
    return (str(page.title), page.url) if page is not None else None


class _SessionTemplateCache(BytecodeCache):
    """Jinja bytecode kept in the serve session (the checksum of each template's source is checked on load)."""

    def __init__(self, store: dict[str, bytes]) -> None:
        self.store = store

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


@event_priority(101)  # before the tags plugin's (100), which fills its listings and writes tags.json
def on_env(env, config: MkDocsConfig, files: Files):  # noqa: ANN001, ANN201 - jinja2 Environment
    session, plan = incremental.SESSION, _state.get("serve_plan")
    if session.command == "serve":
        env.bytecode_cache = _SessionTemplateCache(session.templates)
    if not session.incremental or plan is None:
        return env
    pages = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    _tags_in_page_order(config, [f.page.url for f in pages if f.page is not None])
    views = {f.src_uri: incremental.PageView(str(f.page.title), _neighbour(f.page.previous_page),
                                             _neighbour(f.page.next_page)) for f in pages if f.page is not None}
    nav = _state["serve_nav"]
    prune = "navigation.prune" in (config.theme.get("features") or [])
    view_digests = incremental.view_fingerprints([_nav_node(item) for item in nav.items], views, prune)
    tagged = [(f.url, str(f.page.title), tuple(map(str, f.page.meta.get("tags") or ())))
              for f in pages if f.page is not None and f.page.meta.get("tags")]
    tags = incremental.tags_fingerprint(tagged)
    sources: dict[str, str | None] = _state["serve_sources"]  # type: ignore[assignment]
    plan.render = incremental.plan_rendering(plan, session.record, sources, view_digests, tags,
                                             _state["serve_listings"])  # type: ignore[arg-type]
    record = incremental.BuildRecord(_inputs_digest(config), tags=tags)
    for file in pages:
        _set_modified(file, file.src_uri in plan.render)
        old = session.record.pages.get(file.src_uri) if session.record and not plan.full else None
        state = _snapshot(file.page) if file.src_uri in plan.read or old is None else old.state
        record.pages[file.src_uri] = incremental.PageRecord(sources.get(file.src_uri), view_digests.get(file.src_uri, ""),
                                                            state, file.page.url)
    _state["serve_record"] = record
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and hasattr(search, "search_index_prev"):
        search.search_index_prev = None  # its own dirty merge keeps one page only: on_post_build merges instead
    log.info(f"incremental rebuild: {len(plan.read)} pages read, {len(plan.render)} rendered of {len(pages)}")
    log.debug(f"read again: {', '.join(sorted(plan.read))}; rendered again: {', '.join(sorted(plan.render))}")
    return env


def _serve_finish(config: MkDocsConfig) -> None:
    import json

    session, plan = incremental.SESSION, _state.pop("serve_plan", None)
    record: incremental.BuildRecord | None = _state.pop("serve_record", None)  # type: ignore[assignment]
    if plan is None or record is None:
        return
    site_dir = Path(config.site_dir)
    index_path = site_dir / "search" / "search_index.json"
    if index_path.is_file():
        written = json.loads(index_path.read_text("utf-8"))
        order = [(src, page.url) for src, page in record.pages.items()]
        entries, by_src = incremental.merge_search_index(order, plan.render, written.get("docs", []), session.record)
        for src, found in by_src.items():
            record.pages[src].search = found
        # As the search plugin writes it, so that the merged index equals a full build's byte for byte.
        index_path.write_text(json.dumps({**written, "docs": entries}, separators=(",", ":"), default=str), "utf-8")
    files: Files = _state.pop("serve_files")  # type: ignore[assignment]
    record.outputs = {file.abs_dest_path for file in files if file.inclusion.is_in_serve()}
    for stale in incremental.stale_outputs(session.record, record.outputs):
        path = Path(stale)
        if path.is_relative_to(site_dir) and path.is_file():
            path.unlink()
            for folder in path.parents:  # a deleted page's folder, so its URL is a 404 again
                if folder == site_dir or any(folder.iterdir()):
                    break
                folder.rmdir()
    session.record = record
    if plan.full:
        # The collector walks the whole model once now, while the first build finishes, rather than during the
        # first rebuild after a save (its last collection counted few objects; the model was frozen since).
        gc.collect()


logging.getLogger("mkdocs.plugins.studyguide").setLevel(logging.INFO)


class _DirtyWarningFilter(logging.Filter):
    """MkDocs warns on every ``--dirty`` build that its navigation may be inaccurate: not so with the hooks above."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (incremental.SESSION.incremental and record.getMessage().startswith("A 'dirty' build is being"))


if not any(isinstance(f, _DirtyWarningFilter) for f in logging.getLogger("mkdocs.commands.build").filters):
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarningFilter())
