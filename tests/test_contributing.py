"""A newcomer who follows only the Contributing page adds a note and gets a green strict build, in a
copy of the repository; a wrong domain fails it with the message the page documents."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SEED_REPO_URL, copy_project, ROOT, Build, run_mkdocs_build
from macros.load import find_note_files

CONTRIBUTING = ROOT / "CONTRIBUTING.md"


def contributing_text() -> str:
    return CONTRIBUTING.read_text("utf-8")


def copy_step(text: str) -> tuple[str, str]:
    """Step 1 of the page: the `cp TEMPLATE NEW` command, as written."""
    (command,) = re.findall(r"^\s*(cp \S+ \S+)\s*$", text, re.M)
    _, source, target = shlex.split(command)
    return source, target


def test_the_page_is_in_the_site_from_one_source() -> None:
    page = (ROOT / "docs" / "contributing.md").read_text("utf-8")
    assert 'include_markdown("CONTRIBUTING.md")' in page
    assert "{{" not in contributing_text() and "{%" not in contributing_text()  # nothing for Jinja to eat


def test_the_template_is_not_published_and_names_the_copy_step() -> None:
    source, target = copy_step(contributing_text())
    assert source == "seeds/notes/_template.md" and (ROOT / source).is_file()
    assert ROOT / source not in find_note_files(ROOT / "seeds" / "notes")
    assert f"cp {source} {target}" in (ROOT / source).read_text("utf-8")  # the template repeats the step


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "repo")


def follow_steps(repo: Path) -> Path:
    """Steps 1–3 of the page, literally: copy the template, fill in the front matter, write the note."""
    source, target = copy_step(contributing_text())
    shutil.copy(repo / source, repo / target)
    note = repo / target
    text = note.read_text("utf-8")
    front, body = text.split("\n---\n", 1)
    for key, value in {"title": "Amazon SageMaker Canvas", "date": "2025-01-15", "tags": "[sagemaker, no-code]",
                       "domains": "[2]", "description": "No-code ML for analysts."}.items():
        front, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", front, flags=re.M)
        assert count == 1, f"the template has no '{key}:' line to fill in"
    body = ("\n# Amazon SageMaker Canvas\n\nAnalysts build models without code.\n\n"
            "## Feature engineering in Canvas\n\nCanvas prepares data with Amazon SageMaker Data Wrangler.\n")
    note.write_text(f"{front}\n---\n{body}", encoding="utf-8")
    return note


def test_a_newcomer_adds_a_note_and_the_strict_build_is_green(repo_copy: Path, tmp_path: Path) -> None:
    note = follow_steps(repo_copy)
    build = run_mkdocs_build(tmp_path / "site", project=repo_copy,
                             extra_env={"STUDYGUIDE_REPO_URL": SEED_REPO_URL})  # as CI passes it
    assert build.returncode == 0, build.log
    slug = note.stem
    page = build.html(f"notes/{slug}/")
    assert re.search(r'<h1 id="amazon-sagemaker-canvas">Amazon SageMaker Canvas<', page)
    assert re.search(r'<p class="sg-byline">Last updated \d{4}-\d{2}-\d{2} · created 2025-01-15</p>', page)
    edit = f"edit/main/seeds/notes/{note.name}"
    assert edit in page
    domain = build.html("domains/exploratory-data-analysis/")  # "Feature engineering" heading → domain 2
    assert "Feature engineering in Canvas" in domain
    assert "Contributing" in build.html("contributing/")  # the page the newcomer followed is in the site
    for heading in re.findall(r"^## (.+)$", contributing_text(), re.M):
        assert heading in build.html("contributing/"), heading


def test_a_wrong_domain_fails_with_the_documented_message(repo_copy: Path, tmp_path: Path) -> None:
    source, target = copy_step(contributing_text())
    shutil.copy(repo_copy / source, repo_copy / target)  # the template as copied, one value wrong
    note = repo_copy / target
    text = note.read_text("utf-8")
    assert "\ndomains: [3]\n" in text
    note.write_text(text.replace("\ndomains: [3]\n", "\ndomains: [Modelling]\n"), encoding="utf-8")
    documented = re.search(r"^WARNING -  studyguide: .*unknown domain 'Modelling'.*$", contributing_text(), re.M)
    assert documented, "CONTRIBUTING.md shows no example of the error"
    build: Build = run_mkdocs_build(tmp_path / "site", project=repo_copy)
    assert build.returncode != 0
    warnings = [line for line in build.log.splitlines() if line.startswith("WARNING")]
    assert warnings == [documented.group(0)]  # exactly the documented line, and nothing else is wrong
