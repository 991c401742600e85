"""Build the guide at two commits (or a commit and this working tree) and diff every file of the two sites.

    .venv/bin/python bench/compare_builds.py                      # base 48362f8 vs this tree, seed notes
    .venv/bin/python bench/compare_builds.py --notes /tmp/notes   # another notes folder (e.g. bench/synthetic.py)
    .venv/bin/python bench/compare_builds.py --base HEAD~3 --keep

A refactoring must leave the built site byte-identical: the only allowed difference is the
sitemap's ``<lastmod>`` dates (the build day). The base is a ``git clone --shared`` of this
repository checked out at ``--base`` in a temporary folder, so git history (each note's
"last updated" date) is the same on both sides. Exit status 1 when a file differs.
"""
from __future__ import annotations

import argparse
import difflib
import gzip
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
_LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def build(project: Path, site: Path, notes: Path | None) -> None:
    """``mkdocs build`` of ``project`` into ``site`` (not strict: the diff is the judge)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("STUDYGUIDE_NOTES", None)
    if notes is not None:
        env["STUDYGUIDE_NOTES"] = str(notes)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
                             "-d", str(site)], cwd=project, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{result.stdout}{result.stderr}")


def comparable(path: Path) -> bytes:
    """A built file's bytes, the sitemap's dates left out (gzip'd sitemap read through)."""
    data = path.read_bytes()
    if path.name == "sitemap.xml.gz":
        data = gzip.decompress(data)
    if path.name.startswith("sitemap.xml"):
        data = _LASTMOD.sub(b"<lastmod/>", data)
    return data


def diff_sites(before: Path, after: Path) -> list[str]:
    """One line per file that is only on one side or differs, with a few lines of diff for text files."""
    files_before = {p.relative_to(before).as_posix() for p in before.rglob("*") if p.is_file()}
    files_after = {p.relative_to(after).as_posix() for p in after.rglob("*") if p.is_file()}
    report = [f"only before: {name}" for name in sorted(files_before - files_after)]
    report += [f"only after: {name}" for name in sorted(files_after - files_before)]
    for name in sorted(files_before & files_after):
        old, new = comparable(before / name), comparable(after / name)
        if old == new:
            continue
        report.append(f"differs: {name}")
        try:
            lines = difflib.unified_diff(old.decode().splitlines(), new.decode().splitlines(), lineterm="", n=1)
            report += ["    " + line for line in list(lines)[2:14]]
        except UnicodeDecodeError:
            pass
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="48362f8", help="commit to build as 'before' (default 48362f8)")
    parser.add_argument("--after", type=Path, default=PROJECT, help="project folder to build as 'after'")
    parser.add_argument("--notes", type=Path, help="notes folder (default: each project's seeds/notes)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="compare-builds-"))
    base = work / "base"
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(PROJECT), str(base)], check=True)
    subprocess.run(["git", "-c", "advice.detachedHead=false", "checkout", "-q", args.base], cwd=base, check=True)
    build(base, work / "site-before", args.notes)
    build(args.after, work / "site-after", args.notes)
    report = diff_sites(work / "site-before", work / "site-after")
    count = sum(1 for p in (work / "site-after").rglob("*") if p.is_file())
    print("\n".join(report) if report else f"identical: {count} files (sitemap dates aside)")
    if args.keep:
        print(f"sites kept in {work}")
    else:
        subprocess.run(["rm", "-rf", str(work)], check=False)
    return 1 if report else 0


if __name__ == "__main__":
    raise SystemExit(main())
