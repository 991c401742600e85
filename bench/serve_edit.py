"""Serve measurement for the benchmark: from saving a note to the served page showing it, under ``mkdocs serve``.

A real ``mkdocs serve --dirty`` (``make serve``) on the synthetic notes, on a free 127.0.0.1 port: its first
(full) build is timed, then ``edits`` times a note is saved with a new sentence and its page is polled over
HTTP until the sentence appears. The edited note is restored at the end. Run by ``bench/run.py``.
"""
from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from served import Served

REBUILD = re.compile(r"incremental rebuild: (\d+) pages read, (\d+) rendered of (\d+)")


def edited_note(project: Path, notes: Path) -> tuple[Path, str]:
    """A note in the middle of the folder, and its page's URL path (from the site model, as the guide builds it)."""
    sys.path.insert(0, str(project))
    from macros import pipeline

    site = pipeline.build_site(project, notes)
    note = sorted(site.notes, key=lambda n: n.slug)[len(site.notes) // 2]
    source = Path(note.source)
    path = source if source.is_absolute() else project / source
    return path, note.page_path.removesuffix(".md") + "/"


def measure(project: Path, notes: Path, work: Path, edits: int = 3) -> dict[str, Any]:
    path, url = edited_note(project, notes)
    original = path.read_bytes()
    start = time.perf_counter()
    result: dict[str, Any] = {"note": path.name, "url": url}
    try:
        with Served(project, notes, work, dirty=True) as server:
            result["first_build_s"] = time.perf_counter() - start
            shown = []
            for number in range(1, edits + 1):
                marker = f"Servemarker{number}x{int(time.time())} shows after the edit."
                saved = time.perf_counter()
                path.write_bytes(path.read_bytes() + f"\n\n{marker}\n".encode())
                server.wait_until(lambda: marker.split()[0] in (server.fetch(url) or ""), f"edit {number} on /{url}")
                shown.append(time.perf_counter() - saved)
                server.wait_for_builds(number + 1)  # the next edit starts after this rebuild is written
            result["edit_shown_s"] = shown
            result["edit_shown_median_s"] = statistics.median(shown)
            counts = REBUILD.findall(server.log())
            if counts:
                read, rendered, total = map(int, counts[-1])
                result.update(pages_read=read, pages_rendered=rendered, pages=total)
    finally:
        path.write_bytes(original)
    return result
