"""The `syncwatch` command as an operator uses it: real processes, real signals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.fixtures.environment import TEST_ENVIRONMENT


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "syncwatch", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**_base_env(), **(env or {})},
        cwd=cwd,
        check=False,
    )


def _base_env() -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("SYNCWATCH_")}
    return {**keep, **TEST_ENVIRONMENT}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_invalid_configuration_exits_2_with_one_clear_line(tmp_path: Path) -> None:
    result = run_cli(
        "doctor",
        env={"SYNCWATCH_DATABASE_URL": "mysql://nope", "SYNCWATCH_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "SYNCWATCH_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_migrate_then_doctor_report_a_healthy_embedded_setup(tmp_path: Path) -> None:
    migrated = run_cli("migrate", "--data-dir", str(tmp_path))
    assert migrated.returncode == 0, migrated.stderr
    assert "database schema: empty ->" in migrated.stdout
    doctor = run_cli("doctor", "--data-dir", str(tmp_path))
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "database" in doctor.stdout
    assert "schema version" in doctor.stdout
    assert "All checks passed." in doctor.stdout


def test_doctor_exits_1_when_the_database_is_unreachable(tmp_path: Path) -> None:
    closed = free_port()
    result = run_cli(
        "doctor",
        "--data-dir",
        str(tmp_path),
        env={
            "SYNCWATCH_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{closed}/none?connect_timeout=2"
        },
    )
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_version_flag() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("syncwatch ")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_and_shuts_down_cleanly_on_signal(tmp_path: Path, signum: int) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "syncwatch",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path),
        ],
        env=_base_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError("the server never answered") from None
                time.sleep(0.1)
        assert response.json() == {"status": "ok"}
        process.send_signal(signum)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "shutting down gracefully" in output
    assert "Traceback" not in output


def test_serve_on_a_taken_port_says_so_without_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
