"""Command line: ``python -m macros.cli suggest`` lists sentences of the notes worth a pair in ``scenarios.yml``.

An adapter, like the MkDocs hooks: it reads its ``Settings`` from the environment (``STUDYGUIDE_NOTES``
picks the notes folder) and runs the pipeline in the current folder (the project).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .enrich.evidence import suggest_scenarios
from .pipeline import build_site
from .guidefile import read_settings


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m macros.cli suggest``: sentences worth a pair in ``scenarios.yml``, and the file's problems."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] != ["suggest"]:
        print("usage: python -m macros.cli suggest", file=sys.stderr)
        return 2
    site = build_site(read_settings(os.environ, root=Path.cwd()))
    for problem in site.problems:
        if problem.code.startswith("scenario/"):
            print(problem)
    for suggestion in suggest_scenarios(site, site.index.scenarios):
        print(f"{suggestion.file}:{suggestion.line}: {suggestion.sentence}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
