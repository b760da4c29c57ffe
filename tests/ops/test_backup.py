"""Backups that restore, on both engines (docs/ops/backup.md).

A real server is filled as people would fill it (accounts, friends, a room with
chat and playback, a transcoded upload), `syncwatch backup --verify` runs while
the server keeps answering a member who seeks on, `syncwatch restore` loads the
backup into a brand-new data directory, database and media storage, and a new
server started there has everything, plays the video and accepts the old
session. SQLite runs with files for media, PostgreSQL with S3 (moto).
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import trio

from syncwatch.backup.manifest import MANIFEST_FILE, Manifest
from tests.support.databases import throwaway_postgres_database
from tests.support.instance import bearer, check_instance, fill_instance, login, room_socket
from tests.support.processes import ROOT, syncwatch_environment, syncwatch_server


@dataclass
class Deployment:
    """Where one deployment keeps its state; `settings` become SYNCWATCH_* variables."""

    data_dir: Path
    settings: dict[str, str]

    def run(self, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "syncwatch", *args],
            env=syncwatch_environment(data_dir=str(self.data_dir), **self.settings),
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
            check=False,
        )
        return result, time.monotonic() - started


@pytest.fixture(params=["sqlite+files", pytest.param("postgresql+s3", marks=pytest.mark.postgres)])
def deployments(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Deployment, Deployment]]:
    """The deployment that is backed up, and a brand-new one to restore into."""
    if request.param == "sqlite+files":
        yield Deployment(tmp_path / "old", {}), Deployment(tmp_path / "new", {})
        return
    server = request.getfixturevalue("postgres_server_url")
    endpoint = request.getfixturevalue("s3_endpoint")

    def s3(bucket: str) -> str:
        return f"s3://key:secret@{endpoint}/{bucket}?secure=false"

    with (
        throwaway_postgres_database(server) as old_url,
        throwaway_postgres_database(server) as new_url,
    ):
        suffix = secrets.token_hex(4)
        yield (
            Deployment(
                tmp_path / "old", {"database_url": old_url, "storage_url": s3(f"old-{suffix}")}
            ),
            Deployment(
                tmp_path / "new", {"database_url": new_url, "storage_url": s3(f"new-{suffix}")}
            ),
        )


async def seek_until(base_url: str, code: str, token: str, done: trio.Event) -> int:
    """A member who keeps seeking while the backup runs; how many seeks were acknowledged."""
    acknowledged = 0
    async with room_socket(base_url, code, token) as (room, _):
        while not done.is_set():
            await room.request("sync:seek", {"targetMediaTimeMs": 100 * (acknowledged % 10)})
            acknowledged += 1
            await trio.sleep(0.05)
    return acknowledged


async def test_a_backup_taken_while_serving_restores_into_a_new_deployment_that_plays(
    deployments: tuple[Deployment, Deployment],
    clip: bytes,
    tmp_path: Path,
    figures: Callable[[str], None],
) -> None:
    old, new = deployments
    backup = tmp_path / "backup"
    with syncwatch_server(old.data_dir, tmp_path / "old.log", **old.settings) as old_url:
        async with httpx.AsyncClient(base_url=old_url, timeout=20) as http:
            with trio.fail_after(150):
                filled = await fill_instance(http, clip)
            owner_token = await login(http, filled.owner)
            done = trio.Event()
            seeks: list[int] = []

            async def seek() -> None:
                seeks.append(await seek_until(old_url, filled.room_code, owner_token, done))

            async with trio.open_nursery() as nursery:
                nursery.start_soon(seek)
                taken, backup_s = await trio.to_thread.run_sync(
                    old.run, "backup", str(backup), "--verify"
                )
                done.set()
    assert taken.returncode == 0, taken.stdout + taken.stderr
    assert "Verification passed" in taken.stdout
    assert seeks[0] >= 3, "the server stopped answering during the backup"

    manifest = Manifest.from_json((backup / MANIFEST_FILE).read_text())
    assert manifest.database.rows["users"] == 2
    assert manifest.database.rows["friendships"] == 1
    assert manifest.database.rows["videos"] == 1
    assert any(item.key.endswith(".ts") for item in manifest.media)
    assert (backup / "secret_key").stat().st_mode & 0o077 == 0

    restored, restore_s = new.run("restore", str(backup))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Restore passed" in restored.stdout
    figures(
        f"{manifest.database.engine}: backup + verify {backup_s:.1f} s "
        f"(database {manifest.seconds['database']:.2f} s, media {manifest.seconds['media']:.2f} s, "
        f"{len(manifest.media)} objects, {manifest.media_bytes / 1e6:.1f} MB); "
        f"restore {restore_s:.1f} s"
    )

    with syncwatch_server(new.data_dir, tmp_path / "new.log", **new.settings) as new_url:
        async with httpx.AsyncClient(base_url=new_url, timeout=20) as http:
            with trio.fail_after(60):
                await check_instance(http, filled)
            # The secret key came back too: a session from before the backup still works.
            me = await http.get("/api/v1/auth/me", headers=bearer(owner_token))
            assert me.status_code == 200, me.text


async def test_a_damaged_backup_fails_verification_and_is_never_restored(tmp_path: Path) -> None:
    old, new = Deployment(tmp_path / "old", {}), Deployment(tmp_path / "new", {})
    migrated, _ = old.run("migrate")
    assert migrated.returncode == 0, migrated.stderr
    # A media object of our own, as if uploaded.
    segment = old.data_dir / "media" / "videos" / "v1" / "hls" / "seg_00001.ts"
    segment.parent.mkdir(parents=True)
    segment.write_bytes(b"\x47" * 4096)
    backup = tmp_path / "backup"
    taken, _ = old.run("backup", str(backup))
    assert taken.returncode == 0, taken.stdout + taken.stderr

    (backup / "media" / "videos" / "v1" / "hls" / "seg_00001.ts").write_bytes(b"\x47" * 4095)
    verified, _ = old.run("restore", str(backup), "--verify")
    assert verified.returncode == 1
    assert "videos/v1/hls/seg_00001.ts does not match its checksum" in verified.stdout
    restored, _ = new.run("restore", str(backup))
    assert restored.returncode == 1
    assert not (new.data_dir / "syncwatch.db").exists()
    assert "Traceback" not in restored.stdout + restored.stderr


async def test_restore_refuses_a_deployment_that_already_has_data(tmp_path: Path) -> None:
    old = Deployment(tmp_path / "old", {})
    assert old.run("migrate")[0].returncode == 0
    backup = tmp_path / "backup"
    assert old.run("backup", str(backup))[0].returncode == 0
    refused, _ = old.run("restore", str(backup))
    assert refused.returncode == 1
    assert "already exists: restore into an empty location" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_backup_refuses_a_directory_that_is_not_empty_or_a_database_never_used(
    tmp_path: Path,
) -> None:
    fresh = Deployment(tmp_path / "fresh", {})
    (tmp_path / "fresh").mkdir()
    empty, _ = fresh.run("backup", str(tmp_path / "b1"))
    assert empty.returncode == 1
    assert "nothing to back up yet" in empty.stderr
    assert fresh.run("migrate")[0].returncode == 0
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "something").write_text("mine")
    refused, _ = fresh.run("backup", str(busy))
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr
    assert (busy / "something").read_text() == "mine"


def test_the_manifest_lists_every_file_with_its_checksum(tmp_path: Path) -> None:
    deployment = Deployment(tmp_path / "d", {})
    assert deployment.run("migrate")[0].returncode == 0
    backup = tmp_path / "backup"
    assert deployment.run("backup", str(backup))[0].returncode == 0
    body: dict[str, Any] = json.loads((backup / MANIFEST_FILE).read_text())
    assert body["format"] == "syncwatch-backup"
    assert body["database"]["engine"] == "sqlite"
    assert len(body["database"]["sha256"]) == 64
    assert body["database"]["rows"]["schema_version"] >= 1
