"""Taking, checking and restoring a backup of one SyncWatch deployment.

`take_backup` copies the database (consistently, while the server runs), every
media object and the generated secret key into a new directory, and writes the
manifest last. `verify_backup` restores the database into a scratch location
(a temporary SQLite file, or a temporary database beside the configured
PostgreSQL one), checks integrity, row counts, the schema's migration to this
version and that every ready video's playlists and segments are in the backup;
it changes nothing the deployment uses. `restore_backup` loads a backup into
the configured, empty database and storage.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from syncwatch import __version__
from syncwatch.backup.manifest import (
    MANIFEST_FILE,
    MEDIA_DIRECTORY,
    SECRET_KEY_FILE,
    BackupError,
    DatabasePart,
    Manifest,
    row_count_differences,
)
from syncwatch.backup.media_copy import check_copies, copy_in, copy_out, file_digest
from syncwatch.backup.playlists import missing_hls_files
from syncwatch.blocking import run_blocking
from syncwatch.media.storage import open_storage
from syncwatch.settings import Settings
from syncwatch.store import open_database
from syncwatch.store.dumps import (
    DumpError,
    create_postgres_database,
    drop_postgres_database,
    dump_database,
    engine_of,
    restore_database,
    rows_in,
    scratch_postgres_url,
    sqlite_integrity,
)
from syncwatch.store.migrations import migrate, schema_version
from syncwatch.store.repositories.videos import VideoRepository

Say = Callable[[str], None]


class BackupFailed(BackupError):
    """The backup, restore or verification did not succeed; the message says why."""


@dataclass
class Report:
    """What a verification or restore found, and how long its steps took."""

    problems: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.monotonic()

    def lap(self) -> float:
        now = time.monotonic()
        elapsed, self.started = now - self.started, now
        return round(elapsed, 3)


def _generated_secret(settings: Settings) -> Path | None:
    """The data dir's secret key file, when it is where the running secret came from."""
    path = settings.data_dir / SECRET_KEY_FILE
    try:
        if path.read_text(encoding="utf-8").strip() == settings.secret_key:
            return path
    except OSError:
        pass
    return None


def _new_directory(path: Path) -> None:
    if path.exists() and any(path.iterdir()):
        raise BackupFailed(f"{path} is not empty: give a new directory for the backup")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _read_manifest(source: Path) -> Manifest:
    path = source / MANIFEST_FILE
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BackupFailed(f"no readable {MANIFEST_FILE} in {source} ({error.strerror})") from None


async def take_backup(settings: Settings, destination: Path, say: Say = print) -> Manifest:
    await run_blocking("storage", _new_directory, destination)
    watch = Stopwatch()
    url = settings.resolved_database_url
    db = await open_database(url)
    try:
        version = await schema_version(db)
    finally:
        await db.close()
    if version is None:
        raise BackupFailed("the database is empty: there is nothing to back up yet")
    dump = await dump_database(url, destination)
    size, sha256 = await run_blocking("storage", file_digest, dump.path)
    database_s = watch.lap()
    say(f"database ({dump.engine}): {sum(dump.rows.values())} rows, {size} bytes, {database_s} s")

    storage = await open_storage(settings.resolved_storage_url)
    objects = await copy_out(storage, destination / MEDIA_DIRECTORY)
    media_s = watch.lap()
    say(f"media: {len(objects)} objects, {sum(o.size for o in objects)} bytes, {media_s} s")

    secret_sha256 = None
    secret = _generated_secret(settings)
    if secret is not None:
        copy = destination / SECRET_KEY_FILE
        await run_blocking("storage", _copy_private, secret, copy)
        secret_sha256 = (await run_blocking("storage", file_digest, copy))[1]

    manifest = Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        syncwatch_version=__version__,
        schema_version=version,
        database=DatabasePart(dump.engine, dump.path.name, size, sha256, dump.rows),
        media=tuple(objects),
        secret_key_sha256=secret_sha256,
        seconds={"database": database_s, "media": media_s},
    )
    # Written last, atomically: a directory with a manifest holds a complete backup.
    await run_blocking(
        "storage", _write_atomically, destination / MANIFEST_FILE, manifest.to_json()
    )
    return manifest


def _copy_private(source: Path, target: Path) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(source.read_bytes())


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


async def _check_files(manifest: Manifest, source: Path) -> list[str]:
    problems = await check_copies(list(manifest.media), source / MEDIA_DIRECTORY)
    dump = source / manifest.database.file
    if not await run_blocking("storage", dump.is_file):
        return [f"the database file {manifest.database.file} is missing", *problems]
    found = await run_blocking("storage", file_digest, dump)
    if found != (manifest.database.size, manifest.database.sha256):
        problems.insert(
            0, f"the database file {manifest.database.file} does not match its checksum"
        )
    if manifest.secret_key_sha256 is not None:
        secret = source / SECRET_KEY_FILE
        if not await run_blocking("storage", secret.is_file):
            problems.append("the secret key file is missing")
        elif (await run_blocking("storage", file_digest, secret))[1] != manifest.secret_key_sha256:
            problems.append("the secret key file does not match its checksum")
    return problems


async def _check_restored(url: str, manifest: Manifest, source: Path, report: Report) -> None:
    """Row counts, migration to this version, and every ready video's HLS files."""
    report.problems += row_count_differences(manifest.database.rows, dict(await rows_in(url)))
    db = await open_database(url)
    try:
        await migrate(db)
        ready = await VideoRepository(db).ready_playlists()
    finally:
        await db.close()
    keys = {item.key for item in manifest.media}
    for video_id, manifest_key in ready:
        for missing in await run_blocking(
            "storage", missing_hls_files, manifest_key, keys, source / MEDIA_DIRECTORY
        ):
            report.problems.append(f"video {video_id}: {missing} is not in the backup")


async def _read_and_check(source: Path, say: Say) -> tuple[Manifest, Report, Stopwatch]:
    """The manifest, and a report holding every file whose checksum does not match."""
    manifest = await run_blocking("storage", _read_manifest, source)
    report = Report()
    watch = Stopwatch()
    report.problems += await _check_files(manifest, source)
    report.seconds["checksums"] = watch.lap()
    say(f"checksums: {len(manifest.media) + 1} files, {report.seconds['checksums']} s")
    return manifest, report, watch


async def verify_backup(settings: Settings, source: Path, say: Say = print) -> Report:
    manifest, report, watch = await _read_and_check(source, say)
    if report.problems:
        return report
    dump = source / manifest.database.file
    if manifest.database.engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="syncwatch-verify-") as scratch:
            url = f"sqlite:///{Path(scratch) / 'verify.db'}"
            await restore_database(dump, "sqlite", url)
            integrity = await run_blocking(
                "database", sqlite_integrity, Path(scratch) / "verify.db"
            )
            if integrity != "ok":
                report.problems.append(f"SQLite integrity check: {integrity}")
            await _check_restored(url, manifest, source, report)
    else:
        server = settings.resolved_database_url
        if engine_of(server) != "postgresql":
            raise BackupFailed(
                "verifying a PostgreSQL backup restores it into a scratch database: set "
                "SYNCWATCH_DATABASE_URL to a PostgreSQL server where this user may CREATE DATABASE"
            )
        name = f"syncwatch_verify_{secrets.token_hex(6)}"
        await run_blocking("database", create_postgres_database, server, name)
        try:
            url = scratch_postgres_url(server, name)
            await restore_database(dump, "postgresql", url)
            await _check_restored(url, manifest, source, report)
        finally:
            await run_blocking("database", drop_postgres_database, server, name)
    report.seconds["database"] = watch.lap()
    say(f"database restored into a scratch location and checked: {report.seconds['database']} s")
    return report


async def restore_backup(settings: Settings, source: Path, say: Say = print) -> Report:
    manifest, report, watch = await _read_and_check(source, say)
    if report.problems:
        return report  # a damaged backup is never loaded
    url = settings.resolved_database_url
    storage = await open_storage(settings.resolved_storage_url)
    if await storage.list_prefix(""):
        raise BackupFailed("the media storage is not empty: restore into an empty one")
    try:
        await restore_database(source / manifest.database.file, manifest.database.engine, url)
    except DumpError as error:
        raise BackupFailed(str(error)) from None
    report.problems += row_count_differences(manifest.database.rows, dict(await rows_in(url)))
    report.seconds["database"] = watch.lap()
    say(f"database ({manifest.database.engine}) restored: {report.seconds['database']} s")

    await copy_in(list(manifest.media), source / MEDIA_DIRECTORY, storage)
    report.seconds["media"] = watch.lap()
    say(f"media: {len(manifest.media)} objects restored, {report.seconds['media']} s")

    if manifest.secret_key_sha256 is not None and _generated_secret(settings) is not None:
        # The data dir's key is the one this deployment generated: take the old one
        # back, so sessions and tokens issued before the backup stay valid.
        await run_blocking(
            "storage", _copy_private, source / SECRET_KEY_FILE, settings.data_dir / SECRET_KEY_FILE
        )
        say("secret key restored into the data directory")
    return report
