"""Findings have stable codes: every Problem the stages make carries one of ``macros/codes.py`` (the
README lists them all), and ``accepted-findings.yml`` accepts by file + code (+ optional text), reporting
an entry that matches nothing."""
from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from macros.catalog import CatalogError
from macros.check import Acceptance, apply_accepted, load_accepted_findings
from macros.codes import FINDING_CODES
from macros.model import Problem
from macros.pipeline import build_site

MACROS = ROOT / "macros"
NOTE = "seeds/notes/x.md"


def _calls(name: str) -> list[tuple[Path, ast.Call]]:
    found = []
    for path in sorted(MACROS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == name:
                found.append((path, node))
    return found


def test_readme_lists_every_code_with_its_meaning() -> None:
    section = (ROOT / "README.md").read_text("utf-8").split("### Findings", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `([\w/-]+)` \| (.+) \|$", section, re.M)
    assert dict(rows) == FINDING_CODES


def test_every_problem_is_made_with_a_known_code() -> None:
    calls = _calls("Problem")
    assert calls
    for path, call in calls:
        code = next((k.value for k in call.keywords if k.arg == "code"), None)
        assert code is not None, f"{path.relative_to(ROOT)}:{call.lineno}: Problem(...) without code="
        if isinstance(code, ast.Constant):
            assert code.value in FINDING_CODES, f"{path.relative_to(ROOT)}:{call.lineno}: {code.value}"


def test_every_code_is_used_somewhere() -> None:
    text = "\n".join(p.read_text("utf-8") for p in MACROS.rglob("*.py") if p.name != "codes.py")
    assert [code for code in FINDING_CODES if f'"{code}"' not in text] == []


def finding(code: str, message: str = "something is off", level: str = "finding", file: str = NOTE) -> Problem:
    return Problem(file, 3, message, level, code=code)  # type: ignore[arg-type]


@pytest.mark.parametrize("entry, problem, accepted, stale", [
    (Acceptance(NOTE, "link/insecure", "why"), finding("link/insecure"), True, False),
    (Acceptance(NOTE, "link/insecure", "why"), finding("link/insecure", "reworded entirely"), True, False),
    (Acceptance(NOTE, "link/insecure", "why"), finding("link/malformed"), False, True),
    (Acceptance("seeds/notes/y.md", "link/insecure", "why"), finding("link/insecure"), False, True),
    (Acceptance(NOTE, "link/insecure", "why", text="http://a"), finding("link/insecure", "use https for http://a"), True, False),
    (Acceptance(NOTE, "link/insecure", "why", text="http://a"), finding("link/insecure", "use https for http://b"), False, True),
    (Acceptance(NOTE, "link/broken", "why"), finding("link/broken", level="error"), False, True),  # errors are never accepted
])
def test_acceptance_matches_file_and_code(entry: Acceptance, problem: Problem, accepted: bool, stale: bool) -> None:
    result = apply_accepted([problem], [entry], "seeds/accepted-findings.yml")
    assert (result[0].level == "accepted") == accepted
    reported = [p for p in result if p.code == "accepted/stale"]
    assert bool(reported) == stale
    if stale:
        assert reported[0].file == "seeds/accepted-findings.yml" and entry.file in reported[0].message


def test_an_entry_about_a_file_outside_the_build_is_not_stale() -> None:
    result = apply_accepted([], [Acceptance(NOTE, "link/insecure", "why")], "a.yml", in_scope=lambda file: False)
    assert result == []


@pytest.mark.parametrize("entry, line, words", [
    ("- {file: x.md, why: because}", 1, "'code' is required"),
    ("- {file: x.md, code: link/nonsense, why: because}", 1, "unknown code 'link/nonsense'"),
    ("- {file: x.md, match: part of a message, why: because}", 1, "unknown field 'match'"),  # the old format
    ("- {file: x.md, code: link/insecure}", 1, "'why' is required"),
    ("- just text", 1, "must be a mapping"),
    ("file: x.md", 1, "must be a list"),
])
def test_a_bad_entry_names_file_and_line(tmp_path: Path, entry: str, line: int, words: str) -> None:
    path = tmp_path / "accepted-findings.yml"
    path.write_text(entry + "\n", "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_accepted_findings(path, "seeds/accepted-findings.yml")
    assert caught.value.file == "seeds/accepted-findings.yml" and caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"seeds/accepted-findings.yml:{line}: ")


def test_the_seeds_accept_their_findings_by_code() -> None:
    site = build_site(ROOT, include_drafts=False)
    accepted = [p for p in site.problems if p.level == "accepted"]
    assert accepted and all(p.code in FINDING_CODES for p in accepted)
    assert not [p for p in site.problems if p.code == "accepted/stale"]


def test_a_stale_acceptance_is_reported_in_a_real_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    accepted = project / "seeds" / "accepted-findings.yml"
    seed_note = next(p for p in sorted((project / "seeds" / "notes").iterdir()) if p.is_file())
    shown = f"seeds/notes/{seed_note.name}"
    lines = accepted.read_text("utf-8").count("\n")
    accepted.write_text(accepted.read_text("utf-8") + textwrap.dedent(f"""
        - file: {shown}
          code: link/insecure
          text: a message no finding has
          why: a finding that was fixed since
        """), "utf-8")
    site = build_site(project, include_drafts=False)
    (stale,) = [p for p in site.problems if p.code == "accepted/stale"]
    assert stale.file == "seeds/accepted-findings.yml" and stale.line == lines + 2 and stale.level == "finding"
    assert shown in stale.message
