"""CI and pre-commit: the workflow runs exactly the README's commands, builds strictly, and deploys
main to GitHub Pages; the pre-commit hooks run the strict build and a YAML check.

README format assumed: a heading "Quick start" (any level) followed, up to the next heading, by
fenced code blocks whose non-empty, non-comment lines are the commands (a leading "$ " is dropped).
"""
from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"


def readme_commands(text: str) -> list[str]:
    """The commands in the fenced code blocks of the README's "Quick start" section."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.fullmatch(r"#{1,6}\s+quick\s*start\s*#*", line.strip(), re.I)),
                 None)
    assert start is not None, "README.md has no 'Quick start' heading"
    commands, fence = [], None
    for line in lines[start + 1:]:
        marker = re.match(r"\s*(`{3,}|~{3,})", line)
        if fence is None and re.match(r"#{1,6}\s", line):
            break
        if marker:
            fence = None if fence and marker.group(1).startswith(fence) else (fence or marker.group(1))
            continue
        if fence and line.strip() and not line.strip().startswith("#"):
            commands.append(line.strip().removeprefix("$ ").strip())
    return commands


def test_readme_parser_reads_only_the_quick_start_blocks() -> None:
    text = ("# X\n\n```sh\nmake nothing\n```\n\n## Quick start\n\nServe:\n\n```sh\n$ make serve\n```\n\n"
            "Test:\n\n~~~console\n# a comment\nmake test\n~~~\n\n## Later\n\n```sh\nmake other\n```\n")
    assert readme_commands(text) == ["make serve", "make test"]


@pytest.fixture(scope="module")
def commands() -> list[str]:
    return readme_commands((ROOT / "README.md").read_text("utf-8"))


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def run_steps(job: dict) -> list[str]:
    return [line.strip() for step in job["steps"] if "run" in step for line in step["run"].splitlines() if line.strip()]


def test_readme_has_a_serve_and_a_test_command_that_the_makefile_defines(commands: list[str]) -> None:
    assert commands == ["make serve", "make test"]
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for command in commands:
        target = command.split()[-1]
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile has no '{target}' target"
    # The Makefile's first line and the CI entry point name the same commands.
    assert all(f"`{c}`" in makefile.splitlines()[0] for c in commands)
    assert (ROOT / ".ci" / "run").read_text("utf-8").strip().splitlines()[-1] == commands[-1]


def test_workflow_runs_on_pull_requests_and_pushes_to_main(workflow: dict) -> None:
    triggers = workflow["on"]
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]


def test_workflow_runs_the_readme_test_command_then_the_strict_build(workflow: dict, commands: list[str]) -> None:
    job = workflow["jobs"]["test"]
    assert job["container"] in ("python:3.11-bookworm", {"image": "python:3.11-bookworm"})
    uses = [step.get("uses", "") for step in job["steps"]]
    assert uses[0].startswith("actions/checkout@")
    assert job["steps"][0]["with"]["fetch-depth"] == 0  # "Last updated" reads the whole history
    steps = run_steps(job)
    test_command = next(c for c in commands if "test" in c)
    assert test_command in steps and "make build" in steps
    assert steps.index(test_command) < steps.index("make build")
    makefile = (ROOT / "Makefile").read_text("utf-8")
    build_recipe = re.search(r"^build:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "mkdocs build --strict" in build_recipe


def test_main_deploys_to_github_pages(workflow: dict) -> None:
    test_job, deploy = workflow["jobs"]["test"], workflow["jobs"]["deploy"]
    upload = next(s for s in test_job["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    site_dir = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8")).get("site_dir", "site")
    assert upload["with"]["path"] == site_dir
    assert "refs/heads/main" in upload["if"] and "push" in upload["if"]
    assert deploy["needs"] == "test"
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"}  # everything else stays read-only


def test_pre_commit_runs_the_strict_build_and_checks_yaml() -> None:
    config = yaml.safe_load(PRE_COMMIT.read_text("utf-8"))
    repos = {repo["repo"]: repo for repo in config["repos"]}
    hooks = repos["https://github.com/pre-commit/pre-commit-hooks"]
    assert re.fullmatch(r"v\d+\.\d+\.\d+", hooks["rev"])  # pinned
    assert [h["id"] for h in hooks["hooks"]] == ["check-yaml"]
    (build,) = repos["local"]["hooks"]
    assert build["language"] == "system" and build["pass_filenames"] is False
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(rf"^{build['entry'].split()[-1]}:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert "mkdocs build --strict" in (build["entry"] if "mkdocs" in build["entry"] else recipe.group(1))
    files = re.compile(build["files"])
    for path in ("seeds/notes/x.md", "seeds/services.yml", "docs/index.md", "macros/render/note.py", "mkdocs.yml"):
        assert files.search(path), path
    for path in ("tests/test_x.py", "README.md", "notes/seeds/x.md"):
        assert not files.search(path), path


def test_every_yaml_file_of_the_repository_passes_check_yaml() -> None:
    """What the check-yaml hook does (safe loading of every document), on the files git knows."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.yml", "*.yaml"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    paths = [ROOT / name for name in listed if (ROOT / name).is_file()]
    assert WORKFLOW in paths and PRE_COMMIT in paths and ROOT / "mkdocs.yml" in paths
    for path in paths:
        list(yaml.safe_load_all(path.read_text("utf-8")))
