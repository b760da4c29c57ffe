"""The `syncwatch` command as an operator uses it: real processes, real signals."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import tomllib
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import trio

from tests.support.environment import TEST_ENVIRONMENT


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


@pytest.mark.slow
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


def test_version_flag_says_the_released_version() -> None:
    """The version users and operators quote is the one the package is released as."""
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"syncwatch {project['project']['version']}\n"


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


ROOT = Path(__file__).resolve().parent.parent


def start_server(
    tmp_path: Path, *wrapper: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], int]:
    """`syncwatch serve` (behind `wrapper`, a fault-arming module, if given), logging JSON."""
    port = free_port()
    command = [*wrapper, "serve"] if wrapper else ["syncwatch", "serve"]
    process = subprocess.Popen(
        [sys.executable, "-m", *command, "--port", str(port), "--data-dir", str(tmp_path / "data")],
        env={**_base_env(), "SYNCWATCH_LOG_FORMAT": "json", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2).status_code == 200:
                return process, port
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise AssertionError(f"the server never got ready: {process.communicate()}")
        time.sleep(0.1)


def stopped_by_a_lost_service(process: subprocess.Popen[str]) -> list[dict[str, Any]]:
    """Wait for the process to end by itself; its log lines (every one JSON)."""
    try:
        _, errors = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        _, errors = process.communicate()
        raise AssertionError(f"the server is still running; its log:\n{errors[-4000:]}") from None
    return [json.loads(line) for line in errors.splitlines()]


@pytest.mark.parametrize("service", ["rooms", "audit", "janitor"])
def test_a_core_service_that_fails_stops_the_server_with_exit_1_and_one_line(
    tmp_path: Path, service: str
) -> None:
    trigger = tmp_path / "fail-now"
    process, port = start_server(tmp_path, "tests.support.faulty_server", service, str(trigger))
    trigger.touch()
    lines = stopped_by_a_lost_service(process)

    assert process.returncode == 1
    [failure] = [line for line in lines if line["level"] == "critical"]
    assert failure["service"] == service
    assert failure["event"] == "core service failed: stopping the server"
    assert "injected failure" in failure["error"]
    with pytest.raises(httpx.TransportError):  # nothing is left serving
        httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=2)


def test_a_storage_error_in_the_media_janitor_stops_the_server(
    tmp_path: Path, s3_endpoint: str
) -> None:
    from minio import Minio

    bucket = f"janitor-{secrets.token_hex(4)}"
    storage_url = f"s3://key:secret@{s3_endpoint}/{bucket}?secure=false"
    process, _ = start_server(
        tmp_path,
        "tests.support.faulty_server",
        "media-janitor",
        "-",
        env={"SYNCWATCH_STORAGE_URL": storage_url},
    )
    # The bucket goes away first; then a video falls due, whose objects the janitor
    # (sweeping every 0.2 s) will try to delete from it.
    Minio(s3_endpoint, "key", "secret", secure=False).remove_bucket(bucket)
    with closing(sqlite3.connect(tmp_path / "data" / "syncwatch.db")) as db, db:
        db.execute(
            "INSERT INTO users (id, email, username, username_key, password_hash, created_at,"
            " updated_at) VALUES ('u1', 'u1@example.org', 'Ann', 'ann', 'h', 1, 1)"
        )
        db.execute(
            "INSERT INTO videos (id, uploader_id, filename, original_size, status, progress,"
            " source_key, created_at, updated_at, expires_at)"
            " VALUES ('v1', 'u1', 'a.mp4', 1, 'ready', 100, 'videos/v1/source', 1, 1, 2)"
        )
    lines = stopped_by_a_lost_service(process)

    assert process.returncode == 1
    [failure] = [line for line in lines if line["level"] == "critical"]
    assert failure["service"] == "media"
    assert "NoSuchBucket" in failure["error"]


async def test_sigterm_closes_members_with_1012_saves_rooms_and_exits_0_within_10_s(
    tmp_path: Path,
) -> None:
    from tests.support.ws import create_room, register, room_client

    source = {"sourceType": "url", "url": "https://e.org/v.mp4"}
    process, port = await trio.to_thread.run_sync(start_server, tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as http:
            owner = await register(http, "ann")
            room = await create_room(http, owner)
        async with room_client(base, room["code"], owner) as ann:
            await ann.reply_to(await ann.send("sync:source", source))
            await ann.reply_to(await ann.send("sync:play", {}))
            signalled = trio.current_time()
            process.send_signal(signal.SIGTERM)
            assert await ann.closed_with(timeout=10) == 1012
        await trio.to_thread.run_sync(partial(process.communicate, timeout=15))
        took = trio.current_time() - signalled
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert took < 10

    process, port = await trio.to_thread.run_sync(start_server, tmp_path)
    try:
        async with room_client(f"http://127.0.0.1:{port}", room["code"], owner) as ann:
            assert ann.welcome["state"]["sequenceNumber"] == 2
            assert ann.welcome["state"]["isPlaying"] is True
    finally:
        process.terminate()
        process.communicate(timeout=15)
