"""Last updated: each note's date comes from git history (one call for all notes), the file's
modification date otherwise; note pages show it under the title with the note's own dates."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SEED_NOTES, Build
from macros import history
from macros.catalog import slugify
from macros.load import find_note_files

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, **GIT_ENV}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{when}T12:00:00+00:00"
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def set_mtime(path: Path, day: dt.date) -> None:
    stamp = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp()
    os.utime(path, (stamp, stamp))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with notes committed on known dates, one changed since, one never committed."""
    root = tmp_path / "repo"
    notes = root / "seeds" / "notes"
    (notes / "sub").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (notes / "a.md").write_text("# A\n")
    (notes / "sub" / "b é.md").write_text("# B\n")  # a sub-folder and a non-ASCII name
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first", when="2020-01-02")
    (notes / "a.md").write_text("# A, revised\n")
    (notes / "c.md").write_text("# C\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "second", when="2021-05-06")
    (notes / "c.md").write_text("# C, being edited\n")  # uncommitted change
    (notes / "d.md").write_text("# D\n")  # never committed
    for name in ("a.md", "sub/b é.md", "c.md", "d.md"):
        set_mtime(notes / name, dt.date(2019, 7, 8))
    return root


def test_dates_come_from_git_for_committed_files_and_mtime_otherwise(repo: Path) -> None:
    notes = repo / "seeds" / "notes"
    paths = find_note_files(notes)
    assert history.last_changed(paths, repo) == {
        notes / "a.md": dt.date(2021, 5, 6),  # the newest commit that touched it
        notes / "sub" / "b é.md": dt.date(2020, 1, 2),
        notes / "c.md": dt.date(2019, 7, 8),  # changed since its last commit: the file's date
        notes / "d.md": dt.date(2019, 7, 8),  # not committed: the file's date
    }


def test_a_staged_change_counts_as_uncommitted(repo: Path) -> None:
    notes = repo / "seeds" / "notes"
    (notes / "a.md").write_text("# A, staged\n")
    set_mtime(notes / "a.md", dt.date(2022, 3, 4))
    git(repo, "add", "seeds/notes/a.md")
    assert history.last_changed([notes / "a.md"], repo) == {notes / "a.md": dt.date(2022, 3, 4)}


def test_without_git_history_every_date_is_the_files(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n")
    set_mtime(notes / "a.md", dt.date(2018, 2, 3))
    outside = tmp_path / "elsewhere.md"
    outside.write_text("# E\n")
    set_mtime(outside, dt.date(2017, 1, 1))
    assert history.last_changed([notes / "a.md", outside], notes) == {
        notes / "a.md": dt.date(2018, 2, 3), outside: dt.date(2017, 1, 1)}


def test_a_missing_file_is_left_out(tmp_path: Path) -> None:
    assert history.last_changed([tmp_path / "gone.md"], tmp_path) == {}


def test_git_runs_a_fixed_number_of_times_however_many_notes(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = repo / "seeds" / "notes"
    for number in range(120):
        (notes / f"n{number:03}.md").write_text("# N\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "many", when="2023-09-10")
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args, *rest, **kwargs):  # noqa: ANN001, ANN202
        calls.append(list(args))
        return real_run(args, *rest, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", counting_run)
    dates = history.last_changed(find_note_files(notes), repo)
    assert len(dates) == 124 and dates[notes / "n119.md"] == dt.date(2023, 9, 10)
    assert len(calls) == 2 and [c[3] for c in calls] == ["log", "diff"]


def test_parse_git_log_keeps_the_newest_date() -> None:
    day = lambda d: int(dt.datetime(2024, 1, d, 12, tzinfo=dt.timezone.utc).timestamp())  # noqa: E731
    output = f"\0{day(9)}\n\nseeds/notes/a.md\n\0{day(3)}\n\nseeds/notes/a.md\nseeds/notes/b.md\n"
    assert history.parse_git_log(output) == {"seeds/notes/a.md": dt.date(2024, 1, 9),
                                             "seeds/notes/b.md": dt.date(2024, 1, 3)}


def expected_seed_date(path: Path) -> dt.date:
    """What the page must say, worked out per file (the guide itself asks git once for all)."""
    relative = path.relative_to(ROOT).as_posix()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", relative], cwd=ROOT, capture_output=True, text=True)
    log = subprocess.run(["git", "log", "-1", "--format=%ct", "--", relative], cwd=ROOT, capture_output=True, text=True)
    if dirty.returncode == 0 and not dirty.stdout.strip() and log.stdout.strip():
        return dt.datetime.fromtimestamp(int(log.stdout), dt.timezone.utc).date()
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).date()


def byline(build: Build, slug: str) -> str:
    html = build.html(f"notes/{slug}/")
    match = re.search(r'<h1 id="[^"]*">.*?</h1>\s*<p class="sg-byline">([^<]*)</p>', html, re.S)
    assert match, f"notes/{slug}/ has no 'Last updated' line under its title"
    return match.group(1)


def test_seed_note_pages_show_when_they_last_changed(seed_build: Build) -> None:
    paths = find_note_files(SEED_NOTES)
    assert paths
    for path in paths:
        slug = slugify(path.stem)
        line = byline(seed_build, slug)
        assert line.startswith(f"Last updated {expected_seed_date(path).isoformat()}"), (path.name, line)
        html = seed_build.html(f"notes/{slug}/")
        assert re.search(r"<td>File last changed</td>\s*<td>\d{4}-\d{2}-\d{2}</td>", html)  # "About this note"


@pytest.mark.parametrize("slug, dates", [
    ("003-252aad9e64da3eab", " · created 2022-12-27"),  # Notable: created
    ("000-620e8eeb47aa6b5e", " · studied since 2025-06-01"),  # entity note: study_start_date
    ("001-1f30a2a1dde26729", " · created 2024-03-05"),  # blog: date
])
def test_the_line_under_the_title_adds_the_notes_own_dates(seed_build: Build, slug: str, dates: str) -> None:
    line = byline(seed_build, slug)
    assert re.fullmatch(r"Last updated \d{4}-\d{2}-\d{2}" + re.escape(dates), line), line
