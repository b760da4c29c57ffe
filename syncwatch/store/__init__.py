"""The relational store: one `Database` interface, a SQLite and a PostgreSQL engine.

This package owns every SQL statement SyncWatch runs. Nothing outside it imports
sqlite3 or psycopg.

Usage::

    db = await open_database("sqlite:///data/syncwatch.db")   # or postgresql://...
    await migrate(db)                       # syncwatch.store.migrations
    repos = Repositories.build(db)          # syncwatch.store.repositories
    user = await repos.users.create("a@example.com", "Alice", hash)
    await db.close()

The interface, implemented by `sqlite.SqliteDatabase` and `postgres.PostgresDatabase`:

- `db.dialect` is `"sqlite"` or `"postgresql"`.
- `await db.execute(sql, params) -> int` (rows affected), `await db.fetch_one(sql,
  params) -> dict | None`, `await db.fetch_all(sql, params) -> list[dict]`: one
  statement each, committed on its own.
- `await db.transaction(fn)` runs the synchronous `fn(conn)` in one worker thread
  inside one transaction: commit when it returns, rollback when it raises. `conn`
  offers the same three methods, synchronously. On SQLite the transaction starts
  with `BEGIN IMMEDIATE` (it takes the write lock up front, so two writers queue
  instead of failing halfway). On PostgreSQL a failed statement aborts the
  transaction: do not catch `UniqueViolation` inside `fn` and carry on.
- `await db.commit_statements(statements)` commits a list of `Statement`s (writes
  whose SQL and parameters are known in full, and whose result nobody reads) in one
  transaction. PostgreSQL receives them as one text in one round trip; SQLite runs
  them one by one. The group commit uses it (`syncwatch.store.group_commit`).
- `await db.ping()`, `await db.close()`.

SQL is written once, with `:name` placeholders, in the subset both engines speak
(see `schema.sql`); the PostgreSQL engine rewrites the placeholders. Booleans come
back as `int` from SQLite and as `bool` from PostgreSQL: repositories normalise.
Integrity failures surface as `UniqueViolation` / `ForeignKeyViolation` on both
engines, naming the table and columns, so a repository can tell an email from a
username. Every call runs through `syncwatch.blocking.run_blocking("database", ...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

T = TypeVar("T")

Params = Mapping[str, Any] | None
Row = dict[str, Any]
Dialect = Literal["sqlite", "postgresql"]


class StoreError(Exception):
    """Base of the failures the store reports in engine-neutral form."""


class UniqueViolation(StoreError):
    """An INSERT or UPDATE hit a UNIQUE or PRIMARY KEY constraint."""

    def __init__(self, table: str, columns: tuple[str, ...]) -> None:
        self.table = table
        self.columns = columns
        super().__init__(f"unique constraint violated on {table}({', '.join(columns)})")


class ForeignKeyViolation(StoreError):
    """A row referenced a parent that does not exist (or a parent still has children)."""


class Connection(Protocol):
    """One connection inside a transaction; used from one worker thread."""

    @property
    def dialect(self) -> Dialect: ...

    def execute(self, sql: str, params: Params = None) -> int: ...

    def fetch_one(self, sql: str, params: Params = None) -> Row | None: ...

    def fetch_all(self, sql: str, params: Params = None) -> list[Row]: ...


@dataclass(frozen=True, slots=True)
class Statement:
    """A write known in full before its transaction starts, whose result nobody reads.

    Called with a connection it runs there, like any write of a `transaction`. A list
    of them can also go to PostgreSQL as one text in one round trip
    (`Database.commit_statements`): under load a group commit's time went mostly to
    the round trips and thread wake-ups of one statement after another.

    `one_by_one`, when given, is how the write runs where statements run one at a time
    (SQLite, or a transaction mixing in other writes): there it may read results and
    raise a precise error. `sql` must then fail the whole text in the same cases, since
    a single text can only signal by failing (a lease's fence, `RoomRepository`).
    """

    sql: str
    params: Mapping[str, Any]
    one_by_one: Callable[[Connection], Any] | None = None

    def __call__(self, connection: Connection) -> Any:
        if self.one_by_one is not None:
            return self.one_by_one(connection)
        return connection.execute(self.sql, self.params)


class Database(Protocol):
    """The relational store as the rest of SyncWatch sees it."""

    @property
    def dialect(self) -> Dialect: ...

    async def execute(self, sql: str, params: Params = None) -> int: ...

    async def fetch_one(self, sql: str, params: Params = None) -> Row | None: ...

    async def fetch_all(self, sql: str, params: Params = None) -> list[Row]: ...

    async def transaction(self, fn: Callable[[Connection], T]) -> T: ...

    async def commit_statements(self, statements: Sequence[Statement]) -> None: ...

    async def ping(self) -> None: ...

    async def checkpoint(self) -> None:
        """Background upkeep of the write-ahead log (SQLite); a no-op elsewhere."""
        ...

    async def close(self) -> None: ...


async def open_database(url: str, *, pool_size: int = 4) -> Database:
    """Open the database a URL names.

    - `sqlite:///relative/path.db` (relative to the working directory),
      `sqlite:////absolute/path.db`, `sqlite:///:memory:` (one connection);
    - `postgresql://user@host:port/dbname?...` (also `postgres://`), handed to libpq.
    """
    if url.startswith("sqlite:///"):
        from syncwatch.store.sqlite import SqliteDatabase

        path = url.removeprefix("sqlite:///")
        if not path:
            raise ValueError(f"database URL {url!r} names no file: use sqlite:///path/to/file.db")
        return await SqliteDatabase.open(path, pool_size=pool_size)
    if url.startswith(("postgresql://", "postgres://")):
        from syncwatch.store.postgres import PostgresDatabase

        return await PostgresDatabase.open(url, pool_size=pool_size)
    if url.startswith("sqlite:"):
        raise ValueError(
            f"database URL {url!r} is not a SQLite URL SyncWatch understands: "
            "use sqlite:///relative/path.db or sqlite:////absolute/path.db"
        )
    scheme = url.split(":", 1)[0] if ":" in url else url
    raise ValueError(
        f"unsupported database URL scheme {scheme!r}: expected sqlite:///path "
        "or postgresql://user@host/dbname"
    )


__all__ = [
    "Connection",
    "Database",
    "Dialect",
    "ForeignKeyViolation",
    "Params",
    "Row",
    "Statement",
    "StoreError",
    "UniqueViolation",
    "open_database",
]
