"""In-process measurements for the benchmark, each run in a fresh Python process by ``bench/run.py``.

``pipeline``  time the generator's own work (``build_site`` + ``generated_pages``, MkDocs excluded),
              cold, then again after editing one note (the per-note cache of ``mkdocs serve``), and
              write a plain MkDocs project of the very pages the generator emitted.
``serve``     two real MkDocs builds in one process, the way ``mkdocs serve`` rebuilds: a first build,
              one note edited, a second build (reusing the pipeline's per-note cache).

Prints one JSON object on stdout.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import time
from pathlib import Path
from typing import Any

NOTE_EDIT = "\n\nEdited for the benchmark: one more sentence about the training set.\n"


def _import_pipeline(project: Path):  # noqa: ANN202 - the project's own module
    sys.path.insert(0, str(project))
    from macros import pipeline

    return pipeline


def _cache_stats(pipeline) -> dict[str, int] | None:  # noqa: ANN001
    """Hits and misses of the per-note cache, if the project has one."""
    stats = getattr(pipeline, "note_cache_stats", None)
    return dict(stats()) if callable(stats) else None


def _clear_cache(pipeline) -> None:  # noqa: ANN001
    """Forget the per-note cache (and the pipeline's memo), so the next build is cold again."""
    notecache = sys.modules.get("macros.notecache")
    if notecache is not None:
        notecache.CACHE.clear()
    getattr(pipeline, "_LAST", {}).clear()


def _edit_one_note(notes_dir: Path) -> tuple[Path, bytes]:
    files = sorted(p for p in notes_dir.iterdir() if p.is_file())
    path = files[len(files) // 2]
    original = path.read_bytes()
    path.write_bytes(original + NOTE_EDIT.encode())
    return path, original


def probe_pipeline(project: Path, notes_dir: Path, plain_dir: Path | None, profile: Path | None) -> dict[str, Any]:
    os.environ["STUDYGUIDE_NOTES"] = str(notes_dir)  # the macros of authored pages read the same notes
    pipeline = _import_pipeline(project)
    result: dict[str, Any] = {}
    start, cpu_start = time.perf_counter(), time.process_time()
    site = pipeline.build_site(project, notes_dir)
    built, cpu_built = time.perf_counter(), time.process_time()
    pages = pipeline.generated_pages(site)
    done, cpu_done = time.perf_counter(), time.process_time()
    cold_stats = _cache_stats(pipeline)
    if profile:  # a second cold run, profiled apart: a profiler doubles the times it would report
        _clear_cache(pipeline)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        pipeline.generated_pages(pipeline.build_site(project, notes_dir))
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        profile.write_text(out.getvalue(), "utf-8")
    result.update(
        notes=len(site.notes), problems=len(site.problems), pages=len(pages),
        page_bytes=sum(len(text.encode()) for text in pages.values()),
        largest_page=max(((len(text.encode()), path) for path, text in pages.items()), default=(0, ""))[1],
        largest_page_bytes=max((len(text.encode()) for text in pages.values()), default=0),
        build_site_s=built - start, generated_pages_s=done - built, pipeline_s=done - start,
        build_site_cpu_s=cpu_built - cpu_start, generated_pages_cpu_s=cpu_done - cpu_built,
        pipeline_cpu_s=cpu_done - cpu_start,
        cache_cold=cold_stats,
    )
    if plain_dir is not None:
        write_plain_project(project, site, pages, pipeline, plain_dir)
    # mkdocs serve: the same inputs again, then one note edited (cache hits counted, not timed in a test).
    start = time.perf_counter()
    pipeline.build_site(project, notes_dir)
    result["rebuild_unchanged_s"] = time.perf_counter() - start  # build_site only: every note from the cache
    result["cache_unchanged"] = _cache_stats(pipeline)
    path, original = _edit_one_note(notes_dir)
    try:
        start, cpu_start = time.perf_counter(), time.process_time()
        site = pipeline.build_site(project, notes_dir)
        built = time.perf_counter()
        pipeline.generated_pages(site)
        result["rebuild_one_edited_s"] = time.perf_counter() - start
        result["rebuild_one_edited_cpu_s"] = time.process_time() - cpu_start
        result["rebuild_one_edited_build_site_s"] = built - start
        result["cache_one_edited"] = _cache_stats(pipeline)
    finally:
        path.write_bytes(original)
    return result


def _render_authored(project: Path, source: Path, site_getter) -> str:  # noqa: ANN001
    """An authored page as the macros plugin emits it (our macros only), or as written if that fails."""
    import jinja2

    macros: dict[str, Any] = {}

    class Env:  # the part of mkdocs-macros' env that macros/__init__.py uses
        conf = type("Conf", (), {"config_file_path": str(project / "mkdocs.yml")})()
        page = None
        variables: dict[str, Any] = {}

        def macro(self, function, name: str | None = None):  # noqa: ANN001, ANN201
            macros[name or function.__name__] = function
            return function

    sys.path.insert(0, str(project))
    import macros as macros_module

    macros_module.define_env(Env())
    text = source.read_text("utf-8")
    try:
        return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(text).render(**macros)
    except Exception:  # noqa: BLE001 - a page the fake environment cannot render is copied as written
        return text


def write_plain_project(project: Path, site, pages: dict[str, str], pipeline, plain_dir: Path) -> None:  # noqa: ANN001
    """A MkDocs project of the pages the generator emitted: same theme, extensions and navigation;
    plugins search and tags only (no hooks, no macros)."""
    if plain_dir.exists():
        shutil.rmtree(plain_dir)
    docs = plain_dir / "docs"
    authored = project / "docs"
    for path in authored.rglob("*"):
        if path.is_file():
            target = docs / path.relative_to(authored)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".md":
                target.write_text(_render_authored(project, path, None), "utf-8")
            else:
                shutil.copy2(path, target)
    for src_uri, markdown in pages.items():
        target = docs / src_uri
        if target.exists():
            continue  # an authored page wins over a generated one
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, "utf-8")
    for src_uri, path in pipeline.attachment_files(site).items():
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    nav = pipeline.navigation(site, authored)
    config = {
        "INHERIT": str(project / "mkdocs.yml"),
        "docs_dir": "docs",
        "plugins": ["search", "tags"],
        "hooks": [],
        "watch": [],  # paths relative to the project (only `mkdocs serve` uses them)
        "nav": nav,
        # Notes the navigation lists on index pages only (large groups) are not in the nav on purpose.
        "not_in_nav": "/notes/*.md\n/notes/**/*.md\n",
    }
    (plain_dir / "mkdocs.yml").write_text(json.dumps(config, indent=1, ensure_ascii=False), "utf-8")


def probe_serve(project: Path, notes_dir: Path, site_dir: Path) -> dict[str, Any]:
    """A first build and a rebuild after editing one note, in one process (what ``mkdocs serve`` does)."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    pipeline = _import_pipeline(project)
    os.environ["STUDYGUIDE_NOTES"] = str(notes_dir)

    def one_build() -> float:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))
        start = time.perf_counter()
        build(config)
        return time.perf_counter() - start

    first = one_build()
    cold = _cache_stats(pipeline)
    path, original = _edit_one_note(notes_dir)
    try:
        second = one_build()
    finally:
        path.write_bytes(original)
    return {"serve_first_build_s": first, "serve_rebuild_s": second, "cache_first": cold,
            "cache_rebuild": _cache_stats(pipeline)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("pipeline", "serve"))
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--notes", type=Path, required=True)
    parser.add_argument("--plain", type=Path)
    parser.add_argument("--site-dir", type=Path)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    os.chdir(args.project)
    if args.mode == "pipeline":
        result = probe_pipeline(args.project, args.notes, args.plain, args.profile)
    else:
        result = probe_serve(args.project, args.notes, args.site_dir)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
