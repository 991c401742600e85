"""Speed of domain assignment (``macros.assign``): ms per note on top of the pipeline's site model.

Writes N synthetic notes (``bench/synthetic.py``, ~5 KB each) to a temporary folder, builds the site
model once with ``pipeline.build_site`` (sections and mentions, not timed), then times
``assign.assign_notes`` over all notes: the first run (compiling the outline's automaton included) and
the best of the repeats. Prints figures, asserts nothing.

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
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="assign-bench-") as temp:
        synthetic.write_notes(Path(temp), args.n)
        site = pipeline.build_site(ROOT, Path(temp))
        timings = []
        results = {}
        for _ in range(args.repeat):
            terms._OUTLINES.clear()  # the first repeat compiles the outline, as a fresh build does
            started = time.perf_counter()
            results = assign.assign_notes(site.notes, site.mentions, site.exam, site.catalog, site.notes_dir)
            timings.append(time.perf_counter() - started)
    notes = len(site.notes)
    size = sum(len(n.body) for n in site.notes) / max(notes, 1)
    print(f"{notes} synthetic notes ({size:,.0f} characters of body on average)")
    print(f"assignment: {timings[0] * 1000 / notes:.3f} ms per note on the first run (outline compiled), "
          f"{min(timings) * 1000 / notes:.3f} ms best of {args.repeat}")
    started = time.perf_counter()
    assign.compile_outline(site.exam, site.catalog)
    print(f"compiling the outline: {(time.perf_counter() - started) * 1000:.1f} ms once per exam")
    primaries = Counter(r.primary for r in results.values())
    print("primary domains: " + ", ".join(f"{k if k is not None else 'none'}: {v}"
                                          for k, v in sorted(primaries.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))))


if __name__ == "__main__":
    main()
