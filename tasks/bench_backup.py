"""How long `syncwatch backup --verify` and `syncwatch restore` take for a given size.

    ./dev -s bench -- backup                        # 200 MB of media, 100,000 chat rows, SQLite
    ./dev -s bench -- backup --media-mb 1000 --chat-rows 500000
    ./dev -s bench -- backup --database-url postgresql://postgres@127.0.0.1:5432/postgres

Builds a deployment in a temporary directory (a migrated database filled with
users, one room and its chat; media objects of 4 MB each, like HLS segments of
a high rendition), then times `syncwatch backup DIR --verify` and `syncwatch
restore DIR` into a second, empty deployment, as subprocesses, and prints the
figures docs/ops/backup.md quotes. With `--database-url` (a PostgreSQL server)
it creates two throwaway databases there and drops them afterwards.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
OBJECT_BYTES = 4 * 1024 * 1024


def syncwatch(data_dir: Path, database_url: str | None, *args: str) -> tuple[float, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SYNCWATCH_")}
    environment["SYNCWATCH_DATA_DIR"] = str(data_dir)
    if database_url:
        environment["SYNCWATCH_DATABASE_URL"] = database_url
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "syncwatch", *args],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"syncwatch {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return elapsed, result.stdout


def fill_rows(connection: object, chat_rows: int, placeholder: str) -> None:
    """Users, one room and its chat, inserted directly (the benchmark measures copying)."""
    now = int(time.time() * 1000)
    execute = connection.execute  # type: ignore[attr-defined]
    marks = ", ".join([placeholder] * 8)
    execute(
        f"INSERT INTO users (id, email, username, username_key, password_hash, avatar_url,"
        f" created_at, updated_at) VALUES ({marks})",
        ("u1", "u1@example.org", "owner", "owner", "x" * 97, None, now, now),
    )
    room_marks = ", ".join([placeholder] * 12)
    execute(
        f"INSERT INTO rooms (id, code, name, owner_id, max_participants, password_hash,"
        f" playback_control, auto_handover, created_at, expires_at, last_active_at, deleted_at)"
        f" VALUES ({room_marks})",
        ("r1", "ABCD2345", "bench", "u1", 5, None, "all", True, now, now, now, None),
    )
    chat_marks = ", ".join([placeholder] * 8)
    rows = [
        (f"m{i:09d}", "r1", "u1", "owner", "text", f"message number {i} " * 3, None, now + i)
        for i in range(chat_rows)
    ]
    connection.cursor().executemany(  # type: ignore[attr-defined]
        f"INSERT INTO chat_messages (id, room_id, user_id, username, kind, content, event,"
        f" created_at) VALUES ({chat_marks})",
        rows,
    )


def fill_media(media: Path, megabytes: int) -> int:
    count = max(1, megabytes * 1024 * 1024 // OBJECT_BYTES)
    for index in range(count):
        path = media / "videos" / f"v{index // 500}" / "hls" / "1080p" / f"seg_{index:05d}.ts"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(OBJECT_BYTES))
    return count


def throwaway(server_url: str) -> tuple[str, str]:
    name = f"syncwatch_bench_{secrets.token_hex(5)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    return name, urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def drop(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media-mb", type=int, default=200)
    parser.add_argument("--chat-rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite)")
    options = parser.parse_args()
    made: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="syncwatch-bench-backup-") as work_dir:
            work = Path(work_dir)
            old_url = new_url = None
            if options.database_url:
                old_name, old_url = throwaway(options.database_url)
                new_name, new_url = throwaway(options.database_url)
                made += [old_name, new_name]
            syncwatch(work / "old", old_url, "migrate")
            if old_url:
                with psycopg.connect(old_url, autocommit=True) as connection:
                    fill_rows(connection, options.chat_rows, "%s")
            else:
                with sqlite3.connect(work / "old" / "syncwatch.db") as connection:
                    fill_rows(connection, options.chat_rows, "?")
            objects = fill_media(work / "old" / "media", options.media_mb)
            engine = "postgresql" if old_url else "sqlite"
            print(
                f"deployment: {engine}, {options.chat_rows} chat rows, {objects} media objects "
                f"({objects * OBJECT_BYTES / 1e6:.0f} MB)"
            )
            backup_s, output = syncwatch(
                work / "old", old_url, "backup", str(work / "backup"), "--verify"
            )
            print(output.rstrip())
            restore_s, output = syncwatch(work / "new", new_url, "restore", str(work / "backup"))
            print(output.rstrip())
            size = sum(p.stat().st_size for p in (work / "backup").rglob("*") if p.is_file())
            print(
                f"\nbackup + verify {backup_s:.1f} s, restore {restore_s:.1f} s, "
                f"backup size {size / 1e6:.0f} MB, "
                f"{size / 1e6 / max(backup_s, 0.001):.0f} MB/s for backup + verify"
            )
    finally:
        for name in made:
            drop(options.database_url, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
