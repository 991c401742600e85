"""Speed of domain assignment (``macros.assign``): ms per note on top of the pipeline's site model.

Writes N synthetic notes (``bench/synthetic.py``, ~5 KB each) to a temporary folder, builds the site
model once with ``pipeline.build_site`` (sections and mentions, not timed), then times
``assign.assign_notes`` over all notes: the first run (compiling the outline's automaton included) and
the best of the repeats after it (wall and CPU time). Prints figures, asserts nothing.

    /work/main/.venv/bin/python bench/assign_bench.py [-n 1000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import synthetic  # noqa: E402
from macros import assign, pipeline  # noqa: E402
from macros.assign import terms  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="assign-bench-") as temp:
        synthetic.write_notes(Path(temp), args.n)
        site = pipeline.build_site(ROOT, Path(temp))
        timings: list[tuple[float, float]] = []  # (wall, CPU) seconds per run
        results = {}
        for run in range(args.repeat):
            if run == 0:
                terms._OUTLINES.clear()  # the first run compiles the outline, as a fresh build does
            started, cpu = time.perf_counter(), time.process_time()
            results = assign.assign_notes(site.notes, site.mentions, site.exam, site.catalog, site.notes_dir)
            timings.append((time.perf_counter() - started, time.process_time() - cpu))
    notes = len(site.notes)
    size = sum(len(n.body) for n in site.notes) / max(notes, 1)
    print(f"{notes} synthetic notes ({size:,.0f} characters of body on average)")
    first, best = timings[0], min(timings[1:] or timings)
    print(f"assignment, ms per note: first run (outline compiled) {first[0] * 1000 / notes:.3f} wall, "
          f"{first[1] * 1000 / notes:.3f} CPU; best of the next {len(timings) - 1}: {best[0] * 1000 / notes:.3f} wall, "
          f"{best[1] * 1000 / notes:.3f} CPU (CPU time is what a loaded machine does not distort)")
    started = time.perf_counter()
    assign.compile_outline(site.exam, site.catalog)
    print(f"compiling the outline: {(time.perf_counter() - started) * 1000:.1f} ms once per exam")
    primaries = Counter(r.primary for r in results.values())
    print("primary domains: " + ", ".join(f"{k if k is not None else 'none'}: {v}"
                                          for k, v in sorted(primaries.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))))


if __name__ == "__main__":
    main()
