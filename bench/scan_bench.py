"""Speed of ``macros.markdown_scan.scan_markdown``: ms per note on synthetic notes and on the seeds.

Prints figures, asserts nothing. ``python bench/scan_bench.py [-n 1000] [--repeat 5]``; the best of
the repeats is shown (the least disturbed by the rest of the machine).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import synthetic  # noqa: E402
from macros.load import split_front_matter  # noqa: E402
from macros.markdown_scan import scan_markdown  # noqa: E402


def best_ms_per_note(bodies: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for body in bodies:
            scan_markdown(body)
        best = min(best, time.perf_counter() - started)
    return best * 1000 / len(bodies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    plans = synthetic.plan_notes(args.n)
    corpora = {
        f"{args.n} synthetic notes": [split_front_matter(synthetic.render_note(p, plans))[2] for p in plans],
        "seed notes": [split_front_matter(p.read_text("utf-8"))[2]
                       for p in sorted((ROOT / "seeds" / "notes").iterdir()) if p.is_file()],
    }
    for name, bodies in corpora.items():
        size = sum(len(b) for b in bodies) / len(bodies)
        print(f"{name}: {best_ms_per_note(bodies, args.repeat):.3f} ms per note "
              f"({size:,.0f} characters on average, best of {args.repeat})")


if __name__ == "__main__":
    main()
