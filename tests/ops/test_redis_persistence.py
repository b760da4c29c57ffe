"""compose.yaml's Redis keeps what SyncWatch put in it across a crash.

Debian's redis-server runs with exactly the options compose.yaml gives the
`redis` service (plus a loopback port and a working directory standing in for
its `redis-data` volume), takes a room lease and a signed-out token the way
SyncWatch stores them, is killed with SIGKILL and started again on the same
directory: both are still there, with their expiry.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
import yaml

from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
# The official image's working directory, where Redis writes its append-only files.
REDIS_IMAGE_DATA = "/data"


def compose_redis() -> dict[str, object]:
    service: dict[str, object] = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"][
        "redis"
    ]
    return service


@contextmanager
def redis_as_compose_runs_it(directory: Path, port: int) -> Iterator[redis.Redis]:
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail("redis-server (Debian package redis-server) is needed")
    command = [str(part) for part in compose_redis()["command"]]  # type: ignore[attr-defined]
    assert command[0] == "redis-server"
    process = subprocess.Popen(
        [executable, *command[1:], "--port", str(port), "--bind", "127.0.0.1",
         "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=port, socket_timeout=2)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.BusyLoadingError:
                time.sleep(0.02)
            except redis.ConnectionError:
                assert process.poll() is None, "redis-server refused compose.yaml's options"
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        yield client
    finally:
        client.close()
        process.kill()
        process.wait(timeout=10)


def append_only_bytes(directory: Path) -> bytes:
    return b"".join(path.read_bytes() for path in directory.rglob("*.aof"))


def test_compose_keeps_redis_data_in_a_named_volume() -> None:
    service = compose_redis()
    volumes = service["volumes"]
    assert isinstance(volumes, list)
    assert f"redis-data:{REDIS_IMAGE_DATA}" in volumes
    assert "redis-data" in yaml.safe_load((ROOT / "compose.yaml").read_text())["volumes"]


def test_a_lease_and_a_signed_out_token_survive_a_redis_crash(tmp_path: Path) -> None:
    port = free_port()
    with redis_as_compose_runs_it(tmp_path, port) as first:
        first.set("sw:lease:ABCD2345", "instance-1:7", px=600_000)
        first.set("sw:val:revoked:token-1", "1", ex=3600)
        # appendfsync everysec: the file has the writes within about a second.
        deadline = time.monotonic() + 10
        while b"token-1" not in append_only_bytes(tmp_path):
            assert time.monotonic() < deadline, "Redis never wrote an append-only file"
            time.sleep(0.05)
    # Killed above with SIGKILL: no shutdown save. The append-only file is all there is.
    assert not (tmp_path / "dump.rdb").exists()
    with redis_as_compose_runs_it(tmp_path, port) as second:
        assert second.get("sw:lease:ABCD2345") == b"instance-1:7"
        assert 0 < second.pttl("sw:lease:ABCD2345") <= 600_000
        assert second.get("sw:val:revoked:token-1") == b"1"
