"""Bringing a database to the current schema.

`schema.sql` (first line `-- schema-version: N`) is the whole current schema; the
`migrations/NNNN_name.sql` files are the forward deltas, `0001_initial.sql` being
version 1. A fresh database gets `schema.sql` in one go; an older one gets each
missing delta in order, each in its own transaction that also records the version
in `schema_version`. On PostgreSQL every step first takes a transaction-scoped
advisory lock, so instances starting together migrate one after another and the
later ones find nothing left to do (on SQLite `BEGIN IMMEDIATE` serialises them).

This module runs DDL only; it never touches rows other than `schema_version`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from syncwatch.blocking import run_blocking
from syncwatch.store import Connection, Database

# An arbitrary constant shared by every SyncWatch instance ("SyncWtch" in ASCII).
ADVISORY_LOCK_KEY = 0x53796E6357746368

_PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = _PACKAGE_DIR / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_SCHEMA_VERSION_LINE = re.compile(r"^--\s*schema-version:\s*(\d+)\s*$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def schema_path() -> Path:
    """`schema.sql`: inside the package in an installed wheel, at the repo root in a checkout."""
    for candidate in (_PACKAGE_DIR / "schema.sql", _PACKAGE_DIR.parent.parent / "schema.sql"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("schema.sql is neither in syncwatch/store/ nor at the repository root")


def current_schema() -> tuple[int, str]:
    """The version `schema.sql` declares on its first line, and its text."""
    text = schema_path().read_text(encoding="utf-8")
    found = _SCHEMA_VERSION_LINE.match(text.splitlines()[0] if text else "")
    if not found:
        raise ValueError("schema.sql must start with a '-- schema-version: N' line")
    return int(found.group(1)), text


def available_migrations() -> list[Migration]:
    """Every delta shipped with this release, in version order, without gaps."""
    migrations = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        found = _MIGRATION_NAME.match(path.name)
        if not found:
            raise ValueError(f"migration file {path.name!r} is not named NNNN_name.sql")
        migrations.append(Migration(int(found.group(1)), path.stem, path.read_text("utf-8")))
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise ValueError(f"migration {migration.name} should be version {expected}")
    return migrations


def split_statements(script: str) -> list[str]:
    """Split a schema script into statements: `--` comments dropped, split on `;`.

    The schema scripts hold DDL only, with no `;` inside string literals, which
    this deliberately simple splitter relies on.
    """
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]


def _has_version_table(conn: Connection) -> bool:
    if conn.dialect == "sqlite":
        sql = (
            "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        )
    else:
        sql = (
            "SELECT 1 AS found FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = 'schema_version'"
        )
    return conn.fetch_one(sql) is not None


def _read_version(conn: Connection) -> int | None:
    if not _has_version_table(conn):
        return None
    row = conn.fetch_one("SELECT MAX(version) AS version FROM schema_version")
    return None if row is None or row["version"] is None else int(row["version"])


def _record(conn: Connection, version: int) -> None:
    conn.execute(
        "INSERT INTO schema_version (version, applied_at) VALUES (:version, :applied_at)",
        {"version": version, "applied_at": int(time.time() * 1000)},
    )


def _step(conn: Connection, bootstrap: Literal["schema", "deltas"]) -> int | None:
    """Apply one step under the lock; return the version reached, or None when done."""
    if conn.dialect == "postgresql":
        conn.fetch_one("SELECT pg_advisory_xact_lock(:key) AS locked", {"key": ADVISORY_LOCK_KEY})
    found = _read_version(conn)
    target, schema = current_schema()
    if found is None and bootstrap == "schema":
        for statement in split_statements(schema):
            conn.execute(statement)
        _record(conn, target)
        return target
    pending = [m for m in available_migrations() if m.version > (found or 0)]
    if not pending:
        return None
    for statement in split_statements(pending[0].sql):
        conn.execute(statement)
    _record(conn, pending[0].version)
    return pending[0].version


async def migrate(db: Database, *, bootstrap: Literal["schema", "deltas"] = "schema") -> int:
    """Bring `db` to the current schema and return its version.

    `bootstrap="deltas"` builds a fresh database from the deltas instead of
    `schema.sql`; the test suite uses it to prove both paths agree.
    """
    target, _ = await run_blocking("files", current_schema)
    while True:
        reached = await db.transaction(lambda conn: _step(conn, bootstrap))
        if reached is None:
            break
    version = await schema_version(db)
    if version != target:
        raise RuntimeError(
            f"database is at schema version {version}, this release expects {target}"
        )
    return version


async def schema_version(db: Database) -> int | None:
    """The version recorded in the database, or None for a database never migrated."""
    return await db.transaction(_read_version)
