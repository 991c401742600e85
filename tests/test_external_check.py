"""``STUDYGUIDE_CHECK_EXTERNAL=1 mkdocs build`` against a real HTTP server on 127.0.0.1 (tests/http_fixture.py):
broken links fail a strict build naming note and line, a permanent redirect names the new URL, the JSON report
is written and published, the Build report and Resources pages show each status, and a second build asks the
server again only for the failure.

The pipeline keeps its cache and report in ``<project>/.cache/studyguide/``, so these builds run in a copy of
the project: the real project's cache is never touched.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import copy_project, ROOT, Build, run_mkdocs_build
from http_fixture import SECRET_BODY, ServerState, address_of, serve
from page_text import ALL_DOMAINS_NOTE, article_html, content_text

NO_PROXY_ENV = {name: "" for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                                      "all_proxy")}
CHECK_ENV = {"STUDYGUIDE_CHECK_EXTERNAL": "1", **NO_PROXY_ENV}


def allowing(base: str) -> dict[str, str]:
    """The check's environment, letting it reach the loopback test server at ``base`` (only its port)."""
    host, port = address_of(base)
    return {**CHECK_ENV, "STUDYGUIDE_LINKCHECK_ALLOW": f"{host}:{port}"}


def note_text(base: str) -> str:
    return f"""---
title: Checked links
---

# Checked links

## Sources

- [Working page]({base}/ok) answers.
- [Missing page]({base}/missing) is gone.
- [Moved page]({base}/r301) moved for good.
"""


def line_of(text: str, needle: str) -> int:
    (number,) = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    return number


@dataclass
class Run:
    build: Build
    report: dict  # the JSON report in the project's cache, as the build left it
    hits: dict[str, int]  # server hits per path after the build


@dataclass
class Checked:
    base: str
    state: ServerState
    project: Path
    note: Path
    first: Run
    second: Run
    project_cache_before: tuple[bool, float]


def _snapshot(state: ServerState) -> dict[str, int]:
    with state.lock:
        return dict(state.hits)


def _project_cache() -> tuple[bool, float]:
    folder = ROOT / ".cache" / "studyguide"
    files = sorted(folder.glob("*")) if folder.is_dir() else []
    return bool(files), max((f.stat().st_mtime for f in files), default=0.0)


def report_path(project: Path, notes: Path) -> Path:
    """The external check's report of ``notes`` in ``project`` (one per notes folder)."""
    from macros.pipeline import link_report_path
    from macros.settings import Settings

    return link_report_path(Settings.for_project(project, notes))


def notes_with(tmp_path_factory: pytest.TempPathFactory, name: str, text: str) -> Path:
    """A fresh notes folder holding ``name.md`` (``text``) and the outline note; returns the note's path."""
    notes = tmp_path_factory.mktemp(name) / "notes"
    notes.mkdir()
    note = (notes / f"{name}.md").resolve()
    note.write_text(text, "utf-8")
    (notes / "outline.md").write_text(ALL_DOMAINS_NOTE, "utf-8")
    return note


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checked]:
    before = _project_cache()
    project = copy_project(tmp_path_factory.mktemp("project") / "repo")
    assert not (project / ".cache").exists()
    with serve() as (base, state):
        note = notes_with(tmp_path_factory, "checked", note_text(base))
        report = report_path(project, note.parent)
        runs = []
        for n in (1, 2):
            build = run_mkdocs_build(tmp_path_factory.mktemp(f"site{n}") / "site", notes=note.parent,
                                     project=project, extra_env=allowing(base))
            runs.append(Run(build, json.loads(report.read_text("utf-8")) if report.exists() else {}, _snapshot(state)))
        yield Checked(base, state, project, note, runs[0], runs[1], before)


def warnings_of(build: Build) -> list[str]:
    return [line for line in build.log.splitlines() if line.startswith("WARNING")]


def test_a_broken_link_fails_the_strict_build_naming_note_and_line(checked: Checked) -> None:
    build, base = checked.first.build, checked.base
    assert build.returncode != 0
    line = line_of(note_text(base), "/missing)")
    expected = f"{checked.note}:{line}: broken link {base}/missing: 404 Not Found"
    assert sum(expected in w for w in warnings_of(build)) == 1, (expected, warnings_of(build))


def test_a_permanent_redirect_names_the_new_url(checked: Checked) -> None:
    base = checked.base
    line = line_of(note_text(base), "/r301)")
    expected = f"{checked.note}:{line}: {base}/r301 moved permanently: use {base}/ok"
    assert sum(expected in w for w in warnings_of(checked.first.build)) == 1, (expected, warnings_of(checked.first.build))


def test_the_working_link_is_not_reported(checked: Checked) -> None:
    warnings = warnings_of(checked.first.build)
    assert len(warnings) == 2, warnings
    line = line_of(note_text(checked.base), "/ok)")
    assert not [w for w in warnings if f"{checked.note}:{line}:" in w]


def test_the_json_report_is_written_and_published(checked: Checked) -> None:
    base, report = checked.base, checked.first.report
    urls = report["urls"]
    assert set(urls) == {f"{base}/ok", f"{base}/missing", f"{base}/r301"}
    assert (urls[f"{base}/ok"]["ok"], urls[f"{base}/ok"]["status"]) == (True, 200)
    assert (urls[f"{base}/missing"]["ok"], urls[f"{base}/missing"]["status"]) == (False, 404)
    assert urls[f"{base}/missing"]["error"] == "404 Not Found"
    moved = urls[f"{base}/r301"]
    assert (moved["ok"], moved["permanent_redirect"], moved["final_url"]) == (True, True, f"{base}/ok")
    published = checked.first.build.site / "reports" / "links.json"
    assert json.loads(published.read_text("utf-8")) == report


def test_the_build_report_page_lists_every_status(checked: Checked) -> None:
    base = checked.base
    html = checked.first.build.html("report/")
    text = content_text(html)
    assert "Last check: 3 URLs, 1 broken." in text
    assert re.search(rf"{re.escape(base)}/missing ❌ 404 Not Found \(\d{{4}}-\d{{2}}-\d{{2}}\)", text), text
    assert re.search(rf"{re.escape(base)}/ok ✅ OK \(\d{{4}}-\d{{2}}-\d{{2}}\)", text), text
    assert re.search(rf"{re.escape(base)}/r301 moved → {re.escape(base)}/ok \(", text), text
    assert f"broken link {base}/missing: 404 Not Found" in text  # and under Problems, with the note and line


def test_the_report_page_links_the_published_json(checked: Checked) -> None:
    html = article_html(checked.first.build.html("report/"))
    (href,) = re.findall(r'href="([^"]*links\.json)"', html)
    target = (checked.first.build.site / "report" / href).resolve()
    assert target == (checked.first.build.site / "reports" / "links.json").resolve(), href
    assert target.is_file(), href


def resource_item(build: Build, url: str) -> str:
    """Text of the Resources page item of ``url`` (from its link to the next item)."""
    html = article_html(build.html("resources/"))
    start = html.index(f'<li><a href="{url}">')
    end = html.find('<li><a href="http', start + 1)
    return content_text(f"<article>{html[start: end if end > 0 else len(html)]}</article>")


def test_the_resources_page_shows_each_status(checked: Checked) -> None:
    base, build = checked.base, checked.first.build
    assert "have not been checked yet" not in content_text(build.html("resources/"))
    for path, label, status in (("/ok", "Working page", "status: ✅ OK ("),
                                ("/missing", "Missing page", "status: ❌ 404 Not Found ("),
                                ("/r301", "Moved page", f"status: moved → {base}/ok (")):
        item = resource_item(build, f"{base}{path}")
        assert item.startswith(label) and status in item, item


def test_a_second_build_asks_again_only_for_the_failure(checked: Checked) -> None:
    first, second = checked.first.hits, checked.second.hits
    assert first.get("/ok", 0) >= 1 and first.get("/r301", 0) >= 1 and first.get("/missing", 0) >= 1
    assert second.get("/ok", 0) == first["/ok"]  # the working link came from the cache
    assert second.get("/r301", 0) == first["/r301"]  # so did the redirect that ended well
    assert second["/missing"] > first["/missing"]  # the failure was checked again
    assert checked.second.build.returncode != 0
    urls = checked.second.report["urls"]
    assert urls[f"{checked.base}/ok"]["from_cache"] is True
    assert urls[f"{checked.base}/missing"]["from_cache"] is False


def test_the_cache_and_report_live_in_the_built_project_only(checked: Checked) -> None:
    assert report_path(checked.project, checked.note.parent).is_file()
    assert (checked.project / ".cache" / "studyguide" / "linkcheck-cache.json").is_file()
    assert _project_cache() == checked.project_cache_before, "the check wrote into the real project's .cache/"


# --------------------------------------------------------------------------- notes citing internal addresses


METADATA_URL = "http://169.254.169.254/latest/meta-data/"


def inward_note(base: str) -> str:
    return f"""---
title: Inward links
---

# Inward links

- [Instance metadata]({METADATA_URL}) of the CI runner.
- [A local service]({base}/secret) on the runner itself.
"""


@dataclass
class Inward:
    base: str
    state: ServerState
    note: Path
    build: Build


@pytest.fixture(scope="module")
def inward(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Inward]:
    """A build of notes citing the metadata service and a loopback server, with no allow-list."""
    project = copy_project(tmp_path_factory.mktemp("inward-project") / "repo")
    with serve() as (base, state):
        note = notes_with(tmp_path_factory, "inward", inward_note(base))
        env = {**CHECK_ENV, "STUDYGUIDE_LINKCHECK_ALLOW": ""}
        build = run_mkdocs_build(tmp_path_factory.mktemp("inward-site") / "site", notes=note.parent,
                                 project=project, strict=False, extra_env=env)
        yield Inward(base, state, note, build)


def test_inward_links_are_refused_never_fetched(inward: Inward) -> None:
    assert inward.build.returncode == 0, inward.build.log  # refusals are findings; the build goes on
    assert inward.state.total_hits() == 0, inward.state.methods
    urls = json.loads((inward.build.site / "reports" / "links.json").read_text("utf-8"))["urls"]
    assert urls[METADATA_URL]["error"] == "refused: 169.254.169.254 is a link-local address"
    assert urls[f"{inward.base}/secret"]["error"] == "refused: 127.0.0.1 is a loopback address"
    assert all((entry["ok"], entry["status"], entry["final_url"], entry["redirects"]) == (False, None, None, [])
               for entry in urls.values())


@pytest.mark.parametrize(("needle", "reason"), [
    ("169.254.169.254", "refused: 169.254.169.254 is a link-local address"),
    ("/secret", "refused: 127.0.0.1 is a loopback address"),
])
def test_each_refusal_is_a_warning_naming_note_and_line(inward: Inward, needle: str, reason: str) -> None:
    line = line_of(inward_note(inward.base), needle)
    url = METADATA_URL if needle.startswith("169") else f"{inward.base}/secret"
    expected = f"{inward.note}:{line}: broken link {url}: {reason}"
    assert sum(expected in w for w in warnings_of(inward.build)) == 1, (expected, warnings_of(inward.build))


@pytest.mark.parametrize("published", ["reports/links.json", "report/index.html", "resources/index.html"])
def test_no_byte_of_an_internal_answer_is_published(inward: Inward, published: str) -> None:
    text = (inward.build.site / published).read_text("utf-8")
    assert "refused: " in text  # the page does report the refusals...
    for fragment in (SECRET_BODY, "FIXTURE-NEVER-PUBLISH", "aws_secret_access_key"):
        assert fragment not in text  # ...and nothing the server could have said
