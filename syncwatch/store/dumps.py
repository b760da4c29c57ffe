"""Consistent copies of the relational store, taken while it serves, and restored.

- SQLite: the online backup API copies every page under one read transaction
  (WAL lets the server keep writing meanwhile) into a standalone file.
- PostgreSQL: `pg_dump --format=custom` (Debian's postgresql-client) inside a
  REPEATABLE READ snapshot that this module exports, so the row counts it
  records describe exactly the rows in the dump. `pg_restore` brings it back.

Each dump records how many rows every table held; a restore or a verification
counts again and compares. Credentials never appear on a command line: libpq
reads them from its environment variables.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import psycopg
import trio
from psycopg.conninfo import conninfo_to_dict

from syncwatch.blocking import run_blocking

Engine = Literal["sqlite", "postgresql"]
DUMP_FILES: dict[Engine, str] = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}

# libpq's environment variables for the connection parameters a URL may carry.
_LIBPQ_ENVIRONMENT = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class DumpError(Exception):
    """A dump or restore could not be done; the message says why, for an operator."""


@dataclass(frozen=True, slots=True)
class Dump:
    engine: Engine
    path: Path
    rows: dict[str, int]


def engine_of(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        return "sqlite"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql"
    raise DumpError(f"not a database URL SyncWatch can back up: {url.split(':', 1)[0]}://...")


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def libpq_environment(url: str) -> dict[str, str]:
    """The process environment that makes pg_dump/pg_restore connect as `url` says."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, value in conninfo_to_dict(url).items():
        name = _LIBPQ_ENVIRONMENT.get(key)
        if name is None:
            raise DumpError(f"the database URL parameter {key!r} is not supported for backups")
        environment[name] = str(value)
    return environment


def postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DumpError(f"{name} not found: install PostgreSQL's client tools (postgresql-client)")
    return found


# --- counting -----------------------------------------------------------------


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: int(connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
        for table in sorted(tables)
    }


def _postgres_counts(connection: psycopg.Connection[Any]) -> dict[str, int]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    ]
    counts: dict[str, int] = {}
    for table in sorted(tables):
        found = connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
        counts[table] = int(found[0]) if found else 0
    return counts


def count_rows(url: str) -> dict[str, int]:
    """Rows per table (blocking); an empty mapping for an empty database."""
    if engine_of(url) == "sqlite":
        path = sqlite_path(url)
        if not path.exists():
            return {}
        with sqlite3.connect(path) as connection:
            return _sqlite_counts(connection)
    with psycopg.connect(url, autocommit=True) as connection:
        return _postgres_counts(connection)


# --- SQLite ---------------------------------------------------------------------


def _sqlite_dump(source: Path, target: Path) -> dict[str, int]:
    if not source.exists():
        raise DumpError(f"no SQLite database at {source}")
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)  # all pages in one step: one consistent read transaction
    with sqlite3.connect(target) as copy:
        copy.execute("PRAGMA journal_mode = DELETE")  # a standalone file, no -wal beside it
        return _sqlite_counts(copy)


def sqlite_integrity(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def _sqlite_restore(dump: Path, target: Path) -> None:
    if target.exists() and target.stat().st_size > 0:
        raise DumpError(f"{target} already exists: restore into an empty location")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    with (
        sqlite3.connect(f"file:{dump}?mode=ro", uri=True) as source,
        sqlite3.connect(partial) as copy,
    ):
        source.backup(copy)
    partial.replace(target)


# --- PostgreSQL -------------------------------------------------------------------


async def _postgres_dump(url: str, target: Path) -> dict[str, int]:
    connection = await run_blocking("database", psycopg.connect, url, autocommit=True)
    try:

        def begin_snapshot() -> tuple[str, dict[str, int]]:
            connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            found = connection.execute("SELECT pg_export_snapshot()").fetchone()
            assert found is not None
            return str(found[0]), _postgres_counts(connection)

        snapshot, rows = await run_blocking("database", begin_snapshot)
        result = await trio.run_process(
            [
                postgres_tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=libpq_environment(url),
            capture_stderr=True,
            check=False,
        )
        if result.returncode != 0:
            raise DumpError(f"pg_dump failed: {result.stderr.decode(errors='replace').strip()}")
        return rows
    finally:
        await run_blocking("database", connection.close)


def _postgres_is_empty(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as connection:
        found = connection.execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchone()
        return found is not None and int(found[0]) == 0


async def _postgres_restore(dump: Path, url: str) -> None:
    if not await run_blocking("database", _postgres_is_empty, url):
        raise DumpError("the target PostgreSQL database is not empty: restore into a new one")
    result = await trio.run_process(
        [
            postgres_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo_to_dict(url).get('dbname', '')}",
            str(dump),
        ],
        env=libpq_environment(url),
        capture_stderr=True,
        check=False,
    )
    if result.returncode != 0:
        raise DumpError(f"pg_restore failed: {result.stderr.decode(errors='replace').strip()}")


# --- the interface ----------------------------------------------------------------


async def dump_database(url: str, directory: Path) -> Dump:
    """A consistent copy of the database `url` names, written into `directory`."""
    engine = engine_of(url)
    target = directory / DUMP_FILES[engine]
    if engine == "sqlite":
        rows = await run_blocking("database", _sqlite_dump, sqlite_path(url), target)
    else:
        rows = await _postgres_dump(url, target)
    return Dump(engine, target, rows)


async def restore_database(dump: Path, engine: Engine, url: str) -> None:
    """Load a dump into the empty database `url` names (same engine as the dump)."""
    if engine_of(url) != engine:
        raise DumpError(
            f"this backup holds a {engine} database; SYNCWATCH_DATABASE_URL names a "
            f"{engine_of(url)} one"
        )
    if engine == "sqlite":
        await run_blocking("database", _sqlite_restore, dump, sqlite_path(url))
    else:
        await _postgres_restore(dump, url)


async def rows_in(url: str) -> Mapping[str, int]:
    return await run_blocking("database", count_rows, url)


def scratch_postgres_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server `server_url` points at."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def create_postgres_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
