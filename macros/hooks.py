"""MkDocs adapter: wires MkDocs events to the pipeline. Nothing imports this module.

on_startup remembers the command (drafts are previewed under ``serve``), on_config reads the
``Settings`` once (environment + mkdocs.yml) and builds the site model and the navigation, on_files adds the generated pages as virtual files,
on_page_content sanitizes HTML, on_serve watches the notes.
"""
from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path
from urllib.parse import quote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from macros import paths, pipeline  # noqa: E402
from macros.catalog import CatalogError  # noqa: E402
from macros.model import Note, Site  # noqa: E402
from macros.sanitize import sanitize_html  # noqa: E402
from macros.settings import Settings, SettingsError  # noqa: E402

log = get_plugin_logger("studyguide")
_state: dict[str, object] = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def _site() -> Site:
    return _state["site"]  # type: ignore[return-value]


def _settings() -> Settings:
    return _state["settings"]  # type: ignore[return-value]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    gc.unfreeze()  # under `mkdocs serve`, the last build's model may be collected again (see on_files)
    root = Path(config.config_file_path).resolve().parent
    try:
        settings = Settings.from_env(os.environ, config, root=root, serving=_state["command"] == "serve")
        site = pipeline.site_for(settings)
    except (CatalogError, FileNotFoundError, SettingsError) as exc:
        raise PluginError(str(exc)) from exc
    _state["settings"] = settings
    _state["site"] = site
    _state["root"] = root
    _state["nav_pages"] = None
    if not config.nav:
        config.nav = pipeline.navigation(site, Path(config.docs_dir))
        # Pages our navigation leaves to index pages (notes of a large domain group) are not "omitted".
        _state["nav_pages"] = pipeline.nav_pages(config.nav)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = _site()
    root: Path = _state["root"]  # type: ignore[assignment]
    for problem in site.problems:
        if problem.level == "accepted":
            log.info(f"{problem} [{problem.code}] (accepted in seeds/accepted-findings.yml)")
        else:
            log.warning(f"{problem} [{problem.code}]")  # the code is what accepted-findings.yml names
    notes_by_page = {note.page_path: note for note in site.notes}  # one lookup per page, not a scan of all notes
    in_nav: set[str] | None = _state.get("nav_pages")  # type: ignore[assignment]
    for src_uri, markdown in pipeline.generated_pages(site, _settings()).items():
        if files.get_file_from_path(src_uri) is not None:
            continue  # an authored page wins over a generated one
        inclusion = InclusionLevel.NOT_IN_NAV if in_nav is not None and src_uri not in in_nav else InclusionLevel.UNDEFINED
        file = File.generated(config, src_uri, content=markdown, inclusion=inclusion)
        file.edit_uri = _edit_uri(notes_by_page.get(src_uri))
        files.append(file)
    report = Path(site.link_report)
    if site.link_status and report.exists():
        files.append(File.generated(config, paths.LINK_REPORT, abs_src_path=str(report)))
    for name, content in pipeline.static_files(site, _settings()).items():  # the Anki deck
        files.append(File.generated(config, name, content=content))
    for name, path in pipeline.attachment_files(site).items():
        files.append(File.generated(config, name, abs_src_path=str(path)))
    for file in files:
        if file.generated_by is None and file.is_documentation_page():
            file.edit_uri = quote(f"{Path(config.docs_dir).resolve().relative_to(root).as_posix()}/{file.src_uri}")
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
    """With ``STUDYGUIDE_PDF=1``: print each cheat-sheet, and all of them, to site/cheatsheets/pdf/."""
    from macros import pdf

    gc.unfreeze()
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
    return server


logging.getLogger("mkdocs.plugins.studyguide").setLevel(logging.INFO)
