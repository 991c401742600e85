"""The Makefile's interpreter check (scripts/ensure-venv.sh): Python 3.11+ required, a stale .venv made anew."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "ensure-venv.sh"


def fake_python(folder: Path, version: str) -> Path:
    """A stand-in interpreter that reports ``version`` and fails the ≥ 3.11 check when it is older."""
    major, minor = (int(part) for part in version.split("."))
    old = (major, minor) < (3, 11)
    path = folder / f"python{version}"
    path.write_text(f'#!/bin/sh\ncase "$2" in *print*) echo {version};; *) exit {1 if old else 0};; esac\n')
    path.chmod(0o755)
    return path


def run(python: Path | str, venv: Path, requirements: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), str(python), str(venv), str(requirements), str(venv / ".stamp")],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("python, says", [
    ("3.10", "needs Python 3.11 or newer; '{p}' is Python 3.10"),
    ("3.9", "needs Python 3.11 or newer; '{p}' is Python 3.9"),
    ("missing", "is not a Python interpreter"),
])
def test_old_or_missing_python_is_refused_with_the_way_out(tmp_path: Path, python: str, says: str) -> None:
    interpreter = tmp_path / "nope" if python == "missing" else fake_python(tmp_path, python)
    (tmp_path / "requirements.txt").write_text("")
    result = run(interpreter, tmp_path / ".venv", tmp_path / "requirements.txt", tmp_path)
    assert result.returncode != 0
    assert says.format(p=interpreter) in result.stderr
    assert "make PYTHON=python3.12" in result.stderr
    assert not (tmp_path / ".venv").exists()  # nothing half-made is left behind


def test_a_venv_made_by_another_python_is_made_anew(tmp_path: Path) -> None:
    stale = tmp_path / ".venv" / "bin"
    stale.mkdir(parents=True)
    fake_python(stale, "3.10").rename(stale / "python")
    (tmp_path / "requirements.txt").write_text("")  # nothing to install: the test stays offline and quick
    result = run(sys.executable, tmp_path / ".venv", tmp_path / "requirements.txt", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "made by Python 3.10" in result.stderr
    version = subprocess.run([str(tmp_path / ".venv" / "bin" / "python"), "-c",
                              "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True)
    assert version.stdout.strip() == "%d.%d" % sys.version_info[:2]
    assert (tmp_path / ".venv" / ".stamp").exists()
