"""The PostgreSQL engine: psycopg 3 behind a psycopg_pool `ConnectionPool`.

Connections are in autocommit mode with dict rows, so a lone statement commits
on its own and `transaction()` opens an explicit `conn.transaction()` block. SQL
arrives with `:name` placeholders and is rewritten to psycopg's `%(name)s`.
"""

from __future__ import annotations

import re
import select
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Literal, TypeVar

import psycopg
import psycopg.errors
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from syncwatch.blocking import run_blocking
from syncwatch.errors import DatabaseUnavailable, ValidationFailed
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

CONNECT_TIMEOUT_S = 10.0
# A query waits this long at most for a pooled connection. While PostgreSQL is down
# (restarting, unreachable) none comes: the caller gets `DatabaseUnavailable` (HTTP 503)
# after this, never a hang for psycopg_pool's default 30 s.
CONNECTION_WAIT_S = 5.0
# The pool retries a failed connection with a doubling delay until this, then gives up
# until a query asks for one again: after an outage PostgreSQL is in use again within
# about a second of its return, not after the pool's backoff has grown to many seconds.
RECONNECT_GIVE_UP_S = 2.0

# One alternation, scanned left to right, so a `:name` inside a string literal,
# a quoted identifier or a comment is left alone and `::type` casts survive.
_SQL_TOKENS = re.compile(
    r"""(?P<literal>'(?:[^']|'')*')"""
    r"""|(?P<identifier>"(?:[^"]|"")*")"""
    r"|(?P<comment>--[^\n]*)"
    r"|(?P<cast>::)"
    r"|:(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<percent>%)"
)

_KEY_DETAIL = re.compile(r"Key \((?P<columns>[^)]*)\)=")

_converted: dict[str, str] = {}


def to_pyformat(sql: str) -> str:
    """Rewrite `:name` placeholders as `%(name)s` and escape literal `%` as `%%`."""
    found = _converted.get(sql)
    if found is not None:
        return found

    def replace(match: re.Match[str]) -> str:
        if match.group("name") is not None:
            return f"%({match.group('name')})s"
        if match.group("percent") is not None:
            return "%%"
        return match.group(0).replace("%", "%%")

    converted = _SQL_TOKENS.sub(replace, sql)
    if len(_converted) < 4096:  # the statements are a fixed set; the cap is a safety net
        _converted[sql] = converted
    return converted


def _translate(error: psycopg.errors.IntegrityError) -> StoreError:
    diag = error.diag
    if isinstance(error, psycopg.errors.UniqueViolation):
        found = _KEY_DETAIL.search(diag.message_detail or "")
        columns = (
            tuple(part.strip() for part in found.group("columns").split(","))
            if found
            else (diag.constraint_name or "",)
        )
        return UniqueViolation(diag.table_name or "", columns)
    if isinstance(error, psycopg.errors.ForeignKeyViolation):
        return ForeignKeyViolation(diag.message_primary or str(error))
    return StoreError(diag.message_primary or str(error))


@contextmanager
def _unavailable_as_503() -> Iterator[None]:
    """No connection to be had, or the one in use lost: the database is unavailable.

    The pool has already discarded a broken connection when this sees the error."""
    try:
        yield
    except PoolTimeout as error:
        raise DatabaseUnavailable() from error
    except psycopg.OperationalError as error:
        raise DatabaseUnavailable() from error


@contextmanager
def _store_errors() -> Iterator[None]:
    """psycopg's failures of a statement, in the store's engine-neutral terms."""
    try:
        yield
    except psycopg.errors.IntegrityError as error:
        raise _translate(error) from error
    except psycopg.DataError as error:
        # Input PostgreSQL cannot hold (a NUL character, a number out of range) that
        # got past the edges: bad input, never a server error (found by tests/fuzz).
        raise ValidationFailed(
            [{"field": "value", "message": str(error)[:200], "type": "data_error"}]
        ) from error


def check_if_suspect(raw: psycopg.Connection[DictRow]) -> None:
    """psycopg_pool's `check`: a connection is tried with a round trip only when it
    looks dropped, so a sound one is handed out without any.

    An idle pooled connection has nothing to read: the server speaks only to answer.
    A server that ends the session (a restart, `pg_terminate_backend`, a failover)
    sends its FATAL notice and closes, which leaves the socket readable; so does a
    peer's reset. Then the pool's own check runs the round trip, fails, and the pool
    replaces the connection. Checking every connection with a round trip instead cost
    about a fifth of a query's time (60 of 320 µs of CPU measured here).
    """
    if raw.closed or raw.broken:
        raise psycopg.OperationalError("the connection is closed")
    poller = select.poll()  # poll, not select: descriptors past 1023 are common here
    poller.register(raw.fileno(), select.POLLIN | select.POLLPRI)
    if poller.poll(0):
        ConnectionPool.check_connection(raw)


class PostgresConnection:
    """One pooled psycopg connection, used by one thread at a time."""

    dialect: Literal["postgresql"] = "postgresql"

    def __init__(self, raw: psycopg.Connection[DictRow]) -> None:
        self.raw = raw

    def _run(self, sql: str, params: Params) -> psycopg.Cursor[DictRow]:
        with _store_errors():
            return self.raw.execute(to_pyformat(sql), dict(params) if params else {})

    def execute(self, sql: str, params: Params = None) -> int:
        with self._run(sql, params) as cursor:
            return cursor.rowcount

    def fetch_one(self, sql: str, params: Params = None) -> Row | None:
        with self._run(sql, params) as cursor:
            return cursor.fetchone()

    def fetch_all(self, sql: str, params: Params = None) -> list[Row]:
        with self._run(sql, params) as cursor:
            return cursor.fetchall()


class PostgresDatabase:
    """`Database` over a PostgreSQL server."""

    dialect: Literal["postgresql"] = "postgresql"

    def __init__(self, pool: ConnectionPool[psycopg.Connection[DictRow]]) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, url: str, *, pool_size: int = 4) -> PostgresDatabase:
        def open_pool() -> ConnectionPool[psycopg.Connection[DictRow]]:
            pool = ConnectionPool(
                url,
                connection_class=psycopg.Connection[DictRow],
                min_size=1,
                max_size=max(1, pool_size),
                kwargs={"autocommit": True, "row_factory": dict_row},
                open=False,
                name="syncwatch",
                timeout=CONNECTION_WAIT_S,
                reconnect_timeout=RECONNECT_GIVE_UP_S,
                # Each connection is checked as it is handed out: after PostgreSQL
                # restarts, connections it dropped are replaced unseen instead of
                # failing one query each.
                check=check_if_suspect,
            )
            pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
            return pool

        return cls(await run_blocking("database", open_pool))

    def _call(self, fn: Callable[[PostgresConnection], T]) -> T:
        with _unavailable_as_503(), self._pool.connection() as raw:
            return fn(PostgresConnection(raw))

    async def execute(self, sql: str, params: Params = None) -> int:
        return await run_blocking("database", self._call, lambda c: c.execute(sql, params))

    async def fetch_one(self, sql: str, params: Params = None) -> Row | None:
        return await run_blocking("database", self._call, lambda c: c.fetch_one(sql, params))

    async def fetch_all(self, sql: str, params: Params = None) -> list[Row]:
        return await run_blocking("database", self._call, lambda c: c.fetch_all(sql, params))

    def _transaction_sync(self, fn: Callable[[Connection], T]) -> T:
        with _unavailable_as_503(), self._pool.connection() as raw, raw.transaction():
            return fn(PostgresConnection(raw))

    async def transaction(self, fn: Callable[[Connection], T]) -> T:
        return await run_blocking("database", self._transaction_sync, fn)

    def _commit_statements_sync(self, statements: Sequence[Statement]) -> None:
        with _unavailable_as_503(), self._pool.connection() as raw:
            # The parameters are bound here, by psycopg's own quoting, so the statements
            # can travel as one text. A text of several statements without parameters
            # goes by the simple query protocol, which runs them as one implicit
            # transaction: all of them commit, or none (the connection is in autocommit
            # mode, so nothing else wraps them). One round trip and one wake-up of this
            # thread, where statement by statement cost one each.
            cursor = psycopg.ClientCursor(raw)
            with _store_errors(), cursor:  # binding meets bad input (NUL) as a query would
                cursor.execute(
                    ";\n".join(
                        cursor.mogrify(to_pyformat(statement.sql), dict(statement.params))
                        for statement in statements
                    )
                )

    async def commit_statements(self, statements: Sequence[Statement]) -> None:
        if statements:
            await run_blocking("database_batches", self._commit_statements_sync, statements)

    async def ping(self) -> None:
        await self.fetch_one("SELECT 1 AS ok")

    async def checkpoint(self) -> None:
        """Nothing to do: PostgreSQL checkpoints by itself."""

    async def close(self) -> None:
        await run_blocking("database", self._pool.close)
