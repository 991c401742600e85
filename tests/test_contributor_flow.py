"""A contribution keeps `make test` green: in a copy of the repository, a valid new note that links to a seed
note is added, and every test that reads the seed notes runs again on that copy. Tests that assert the exact
set of seed notes would block every pull request that adds a note; this test is what catches them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED_NOTES, copy_project
from macros.load import find_note_files

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "c", "GIT_AUTHOR_EMAIL": "c@example.com", "GIT_COMMITTER_NAME": "c",
                "GIT_COMMITTER_EMAIL": "c@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
IN_COPY = "STUDYGUIDE_CONTRIBUTOR_COPY"  # set inside the copy: this module does not run itself again there


def seed_dependent_tests() -> list[str]:
    """Every test module that reads the seed notes (directly, or through the seed build)."""
    found = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        text = path.read_text("utf-8")
        if path.name != Path(__file__).name and any(word in text for word in ("SEED_NOTES", "seed_build", "seed_url")):
            found.append(f"tests/{path.name}")
    return found


def new_note(seed: Path) -> str:
    """A contribution as CONTRIBUTING.md describes it, linking to a seed note by relative link and by wikilink."""
    return ("---\ntitle: Amazon SageMaker Canvas\ndate: 2025-01-15\ntags: [sagemaker, no-code]\ndomains: [2]\n"
            "description: No-code ML for analysts.\n---\n\n# Amazon SageMaker Canvas\n\n"
            "Analysts build models without code; see [the exam overview](" + seed.name + ") and "
            f"[[{seed.stem}]].\n\n## Feature engineering in Canvas\n\n"
            "Canvas prepares data with Amazon SageMaker Data Wrangler.\n")


@pytest.mark.skipif(os.environ.get(IN_COPY) == "1", reason="already running inside the contributor's copy")
def test_a_new_note_linking_a_seed_note_keeps_the_seed_tests_green(tmp_path: Path) -> None:
    repo = copy_project(tmp_path / "repo")
    # A clone, as the contributor has it: git history (note dates, copies of the project in tests need it).
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "clone"]):
        subprocess.run(["git", *command], cwd=repo, env={**os.environ, **GIT_IDENTITY}, check=True, capture_output=True)
    seeds = find_note_files(SEED_NOTES)
    assert seeds, "the seed notes folder has no notes"
    (repo / "seeds" / "notes" / "sagemaker-canvas.md").write_text(new_note(seeds[0]), encoding="utf-8")
    modules = seed_dependent_tests()
    assert len(modules) >= 5
    env = {**os.environ, IN_COPY: "1", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("STUDYGUIDE_NOTES", None)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *modules], cwd=repo,
                            env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
