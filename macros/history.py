"""When each note's source file last changed: git history where there is one, the file's date otherwise.

Pure apart from two ``git`` calls for all notes together (``git log`` once, ``git diff`` once):
one subprocess per note would make a 3,000-note guide slow. A file with uncommitted changes, an
untracked file, or any file outside a git work tree gets its modification date instead.
Dates are UTC, so a build is the same wherever it runs.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from .load import resolved_dir

_GIT_TIMEOUT = 60  # seconds; a huge history should still not hang a build


def _utc_date(timestamp: float) -> dt.date:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).date()


def _git(args: list[str], cwd: Path) -> str | None:
    """Output of ``git args`` in ``cwd``, or None when git is missing or fails (not a repository)."""
    try:
        result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True,
                                text=True, encoding="utf-8", errors="replace", timeout=_GIT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def parse_git_log(output: str) -> dict[str, dt.date]:
    """``git log --format=%x00%ct --name-only`` output → path → date of its newest commit."""
    found: dict[str, dt.date] = {}
    for record in output.split("\0"):
        lines = record.split("\n")
        stamp = lines[0].strip()
        if not stamp.isdigit():
            continue
        date = _utc_date(int(stamp))
        for name in lines[1:]:
            if name and name not in found:  # newest first: the first date seen is the last change
                found[name] = date
    return found


def _relative(path: Path, root: Path, resolved_dirs: dict[Path, Path]) -> str | None:
    try:
        # The folder is resolved, not the file: a symlinked note is known to git by its own name.
        folder = resolved_dir(Path(os.path.abspath(path)).parent, resolved_dirs)
        return (folder / path.name).relative_to(root).as_posix()
    except ValueError:
        return None


def _modified(path: Path) -> dt.date | None:
    try:
        return _utc_date(path.stat().st_mtime)
    except OSError:
        return None


def last_changed(paths: list[Path], repo_root: Path) -> dict[Path, dt.date]:
    """Each path → the date it last changed (git commit date, else modification date; unreadable: left out)."""
    root = repo_root.resolve()
    resolved_dirs: dict[Path, Path] = {}
    relative = {path: _relative(path, root, resolved_dirs) for path in paths}
    inside = sorted({posix.rsplit("/", 1)[0] if "/" in posix else "." for posix in relative.values() if posix})
    committed: dict[str, dt.date] = {}
    dirty: set[str] = set()
    if inside:
        log = _git(["log", "--format=%x00%ct", "--name-only", "--no-renames", "--relative", "--", *inside], root)
        if log is not None:
            committed = parse_git_log(log)
            # Tracked files changed since the last commit (staged or not); untracked ones have no log entry.
            diff = _git(["diff", "--name-only", "-z", "--no-renames", "--relative", "HEAD", "--", *inside], root)
            dirty = set(filter(None, (diff or "").split("\0")))
    result: dict[Path, dt.date] = {}
    for path, posix in relative.items():
        date = committed.get(posix) if posix and posix not in dirty else None
        date = date or _modified(path)
        if date is not None:
            result[path] = date
    return result
