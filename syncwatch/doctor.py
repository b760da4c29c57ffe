"""`syncwatch doctor` and `syncwatch migrate`: readable checks for operators."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import trio

from syncwatch.blocking import run_blocking
from syncwatch.fabric import open_fabric
from syncwatch.settings import Settings
from syncwatch.store import open_database
from syncwatch.store.migrations import current_schema, migrate, schema_version

CheckResult = tuple[bool, str]


async def check_database(settings: Settings) -> CheckResult:
    db = await open_database(settings.resolved_database_url)
    try:
        await db.ping()
        current = await schema_version(db)
    finally:
        await db.close()
    latest = current_schema()[0]
    if current is None:
        return True, f"{db.dialect} reachable; empty (run `syncwatch migrate` or start the server)"
    if current < latest:
        return True, f"{db.dialect} reachable; schema {current}, {latest} available (will migrate)"
    return True, f"{db.dialect} reachable; schema version {current} (current)"


async def check_redis(settings: Settings) -> CheckResult:
    if not settings.redis_url:
        return True, "not configured: limits and presence kept in-process"
    fabric = await open_fabric(settings.redis_url)
    try:
        # The server would start without it (limits fail open), but say so.
        await fabric.ping()
    finally:
        await fabric.close()
    return True, "reachable"


async def check_storage(settings: Settings) -> CheckResult:
    url = settings.resolved_storage_url
    parts = urlsplit(url)
    if parts.scheme == "file":
        root = Path(parts.path)

        def probe() -> None:
            root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=root):
                pass

        await run_blocking("files", probe)
        return True, f"local files under {root} (writable)"
    return True, f"{parts.scheme} storage at {parts.hostname} (checked when the server starts)"


async def check_ffmpeg(settings: Settings) -> CheckResult:
    system = shutil.which("ffmpeg")
    if system:
        probe = shutil.which("ffprobe")
        return True, f"{system}" + (
            f" and {probe}" if probe else " (no ffprobe: parsing ffmpeg -i)"
        )
    try:
        import imageio_ffmpeg  # type: ignore[import-not-found, import-untyped, unused-ignore]

        return True, f"bundled {imageio_ffmpeg.get_ffmpeg_exe()}"
    except Exception:
        return False, "not found: install ffmpeg (uploads cannot be transcoded)"


async def check_secret(settings: Settings) -> CheckResult:
    if os.environ.get("SYNCWATCH_SECRET_KEY") or os.environ.get("SYNCWATCH_SECRET_KEY_FILE"):
        return True, "set from the environment"
    return True, f"generated and kept in {settings.data_dir / 'secret_key'} (mode 0600)"


CHECKS: list[tuple[str, Callable[[Settings], Awaitable[CheckResult]]]] = [
    ("secret key", check_secret),
    ("database", check_database),
    ("redis", check_redis),
    ("storage", check_storage),
    ("ffmpeg", check_ffmpeg),
]


async def run_doctor(settings: Settings) -> int:
    print("SyncWatch doctor")
    print(f"  configuration  ok    public URL {settings.public_url}, data dir {settings.data_dir}")
    failed = 0
    for name, check in CHECKS:
        try:
            with trio.fail_after(10):
                healthy, detail = await check(settings)
        except trio.TooSlowError:
            healthy, detail = False, "no answer within 10 s"
        except Exception as error:
            healthy, detail = False, f"{type(error).__name__}: {error}"
        failed += not healthy
        print(f"  {name:<14} {'ok  ' if healthy else 'FAIL'}  {detail}")
    print("All checks passed." if not failed else f"{failed} check(s) failed.")
    sys.stdout.flush()
    return 0 if not failed else 1


async def run_migrate(settings: Settings) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        db = await open_database(settings.resolved_database_url)
        try:
            before = await schema_version(db)
            after = await migrate(db)
        finally:
            await db.close()
    except Exception as error:
        print(f"syncwatch: migration failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(f"database schema: {before if before is not None else 'empty'} -> {after}")
    return 0
