"""`./dev test` never passes without running: every session runs on a Python
that is present, and a missing one fails the run instead of skipping it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def nox(*args: str, envdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nox", "-f", str(ROOT / "noxfile.py"), "--envdir", str(envdir),
         *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip


def test_every_session_runs_on_the_python_running_nox(tmp_path: Path) -> None:
    listed = nox("--list", "--json", "-s", "quick", "tests", "lint", "serve", envdir=tmp_path)

    assert listed.returncode == 0, listed.stderr
    sessions = json.loads(listed.stdout)
    assert {s["name"] for s in sessions} == {"quick", "tests", "lint", "serve"}
    for session in sessions:
        assert Path(session["python"]).samefile(sys.executable), session
    assert sys.version_info >= (3, 11)


def test_a_missing_interpreter_fails_the_run(tmp_path: Path) -> None:
    """Pinned to a Python this machine lacks, nox must exit non-zero (never skip
    the session and report success) and must not download one either."""
    run = nox("-s", "lint", "--force-python", "3.99", envdir=tmp_path)

    assert run.returncode != 0, run.stdout + run.stderr
    assert "3.99 not found" in run.stderr
    assert "skipped" not in run.stderr


def test_on_an_old_python_sessions_take_any_python_from_3_11(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("noxfile_under_test", ROOT / "noxfile.py")
    assert spec is not None
    assert spec.loader is not None
    noxfile = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(noxfile)
    monkeypatch.setattr(sys, "version_info", (3, 10, 14, "final", 0))

    assert noxfile.session_python() == ">=3.11"
