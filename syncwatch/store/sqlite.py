"""The SQLite engine: the zero-setup default, one file in the data directory.

It keeps a few sqlite3 connections (`check_same_thread=False`, each lent to one
worker thread at a time) in autocommit mode, so a lone statement is its own
transaction and `transaction()` controls BEGIN/COMMIT itself. WAL lets readers
run beside the writer; `busy_timeout` makes a second writer wait rather than fail.
"""

from __future__ import annotations

import contextlib
import queue
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, TypeVar

from syncwatch.blocking import run_blocking
from syncwatch.store import (
    Connection,
    ForeignKeyViolation,
    Params,
    Row,
    Statement,
    StoreError,
    UniqueViolation,
)

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000

# "UNIQUE constraint failed: users.email" or "...: room_bans.room_id, room_bans.subject_id"
_UNIQUE_MESSAGE = re.compile(r"UNIQUE constraint failed: (.+)$")


def _translate(error: sqlite3.IntegrityError) -> StoreError:
    message = str(error)
    found = _UNIQUE_MESSAGE.search(message)
    if found:
        qualified = [part.strip() for part in found.group(1).split(",")]
        table = qualified[0].split(".", 1)[0]
        columns = tuple(part.split(".", 1)[-1] for part in qualified)
        return UniqueViolation(table, columns)
    if "FOREIGN KEY" in message:
        return ForeignKeyViolation(message)
    return StoreError(message)


class SqliteConnection:
    """One sqlite3 connection, used by one thread at a time."""

    dialect: Literal["sqlite"] = "sqlite"

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def _run(self, sql: str, params: Params) -> sqlite3.Cursor:
        try:
            return self.raw.execute(sql, dict(params) if params else {})
        except sqlite3.IntegrityError as error:
            raise _translate(error) from error

    def execute(self, sql: str, params: Params = None) -> int:
        cursor = self._run(sql, params)
        try:
            return cursor.rowcount
        finally:
            cursor.close()

    def fetch_one(self, sql: str, params: Params = None) -> Row | None:
        cursor = self._run(sql, params)
        try:
            row = cursor.fetchone()
            return dict(row) if row is not None else None
        finally:
            cursor.close()

    def fetch_all(self, sql: str, params: Params = None) -> list[Row]:
        cursor = self._run(sql, params)
        try:
            return [dict(row) for row in cursor.fetchall()]
        finally:
            cursor.close()


def _connect(path: str) -> sqlite3.Connection:
    raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    raw.row_factory = sqlite3.Row
    raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    raw.execute("PRAGMA foreign_keys = ON")
    if path != ":memory:":
        raw.execute("PRAGMA journal_mode = WAL")
        # WAL is crash-safe with NORMAL; only the last commits before a power cut may go.
        raw.execute("PRAGMA synchronous = NORMAL")
        # No checkpoint inside a commit: it would stall whichever room happened to
        # write the 1000th page (measured: p99 fan-out 200-400 ms at 200 rooms).
        # `checkpoint()` runs them in the background instead (see app.py).
        raw.execute("PRAGMA wal_autocheckpoint = 0")
    return raw


class SqliteDatabase:
    """`Database` over a SQLite file."""

    dialect: Literal["sqlite"] = "sqlite"

    def __init__(self, path: str, connections: list[SqliteConnection]) -> None:
        self.path = path
        self._all = connections
        # SQLite allows one writer at a time; a second one meets SQLITE_BUSY and
        # SQLite's busy handler sleeps in steps of up to 100 ms. Queueing writers
        # on this lock instead keeps every write's wait as short as the writes
        # ahead of it (measured: fan-out p99 at 200 rooms from ~300 ms).
        self._writer = threading.Lock()
        self._idle: queue.SimpleQueue[SqliteConnection] = queue.SimpleQueue()
        for connection in connections:
            self._idle.put(connection)

    @classmethod
    async def open(cls, path: str, *, pool_size: int = 4) -> SqliteDatabase:
        if path == ":memory:":
            pool_size = 1  # every in-memory connection would be its own database
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)

        def connect_all() -> list[SqliteConnection]:
            return [SqliteConnection(_connect(path)) for _ in range(max(1, pool_size))]

        return cls(path, await run_blocking("database", connect_all))

    @contextmanager
    def _borrow(self) -> Iterator[SqliteConnection]:
        connection = self._idle.get()  # waits in the worker thread, never on the loop
        try:
            yield connection
        finally:
            self._idle.put(connection)

    def _call(self, fn: Callable[[SqliteConnection], T]) -> T:
        with self._borrow() as connection:
            return fn(connection)

    def _write(self, fn: Callable[[SqliteConnection], T]) -> T:
        with self._writer, self._borrow() as connection:
            return fn(connection)

    async def execute(self, sql: str, params: Params = None) -> int:
        return await run_blocking("database", self._write, lambda c: c.execute(sql, params))

    async def fetch_one(self, sql: str, params: Params = None) -> Row | None:
        return await run_blocking("database", self._call, lambda c: c.fetch_one(sql, params))

    async def fetch_all(self, sql: str, params: Params = None) -> list[Row]:
        return await run_blocking("database", self._call, lambda c: c.fetch_all(sql, params))

    def _transaction_sync(self, fn: Callable[[Connection], T]) -> T:
        with self._writer, self._borrow() as connection:
            connection.raw.execute("BEGIN IMMEDIATE")
            try:
                result = fn(connection)
                connection.raw.execute("COMMIT")
            except BaseException:
                if connection.raw.in_transaction:
                    connection.raw.execute("ROLLBACK")
                raise
            return result

    async def transaction(self, fn: Callable[[Connection], T]) -> T:
        return await run_blocking("database", self._transaction_sync, fn)

    async def commit_statements(self, statements: Sequence[Statement]) -> None:
        """One transaction running them in order: a SQLite statement costs no round trip."""

        def run_all(connection: Connection) -> None:
            for statement in statements:
                statement(connection)

        if statements:
            await run_blocking("database_batches", self._transaction_sync, run_all)

    async def ping(self) -> None:
        await self.fetch_one("SELECT 1 AS ok")

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database without blocking writers."""
        # Read its row, which closes the cursor before the connection goes back to
        # the pool: a cursor still open on it left the PRAGMA "in progress", and the
        # next transaction lent that connection failed its COMMIT (found by tests/fuzz).
        await run_blocking(
            "database", self._call, lambda c: c.fetch_one("PRAGMA wal_checkpoint(PASSIVE)")
        )

    async def close(self) -> None:
        def close_all() -> None:
            for index, connection in enumerate(self._all):
                if index == 0:
                    with contextlib.suppress(sqlite3.Error):
                        connection.raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.raw.close()

        await run_blocking("database", close_all)
