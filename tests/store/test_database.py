"""The `Database` interface behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
import trio

from syncwatch.store import (
    Connection,
    Database,
    ForeignKeyViolation,
    UniqueViolation,
    open_database,
)
from syncwatch.store.postgres import to_pyformat
from tests.support.databases import throwaway_postgres_database


async def _add_user(db: Database, user_id: str, email: str, username: str) -> int:
    return await db.execute(
        "INSERT INTO users (id, email, username, username_key, password_hash, created_at,"
        " updated_at) VALUES (:id, :email, :username, :key, 'h', 1, 1)",
        {"id": user_id, "email": email, "username": username, "key": username.lower()},
    )


async def test_execute_reports_rows_affected_and_fetch_returns_dicts(database: Database) -> None:
    assert await _add_user(database, "u1", "a@example.com", "Alice") == 1
    assert await _add_user(database, "u2", "b@example.com", "Bob") == 1

    changed = await database.execute("UPDATE users SET updated_at = 2 WHERE updated_at = 1")
    assert changed == 2
    one = await database.fetch_one("SELECT id, username FROM users WHERE id = :id", {"id": "u2"})
    assert one == {"id": "u2", "username": "Bob"}
    assert await database.fetch_one("SELECT id FROM users WHERE id = :id", {"id": "nope"}) is None
    rows = await database.fetch_all("SELECT id FROM users ORDER BY id")
    assert rows == [{"id": "u1"}, {"id": "u2"}]


async def test_literal_percent_colons_and_casts_survive_placeholder_rewriting(
    database: Database,
) -> None:
    await _add_user(database, "u1", "50%@example.com", "Percent")
    row = await database.fetch_one(
        "SELECT email, 'a:b' AS text_colon FROM users WHERE email LIKE '%\\%%' ESCAPE '\\'"
        " AND username = :name",
        {"name": "Percent"},
    )
    assert row == {"email": "50%@example.com", "text_colon": "a:b"}


def test_placeholders_are_rewritten_outside_literals_only() -> None:
    sql = "SELECT :a, ':b', x::text, \"c:d\", 5 % 2 -- note :e %\nFROM t WHERE y = :f"
    assert to_pyformat(sql) == (
        "SELECT %(a)s, ':b', x::text, \"c:d\", 5 %% 2 -- note :e %%\nFROM t WHERE y = %(f)s"
    )


async def test_unique_violation_names_table_and_column(database: Database) -> None:
    await _add_user(database, "u1", "a@example.com", "Alice")
    with pytest.raises(UniqueViolation) as email_clash:
        await _add_user(database, "u2", "a@example.com", "Other")
    assert (email_clash.value.table, email_clash.value.columns) == ("users", ("email",))
    with pytest.raises(UniqueViolation) as name_clash:
        await _add_user(database, "u3", "c@example.com", "ALICE")
    assert name_clash.value.columns == ("username_key",)


async def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(ForeignKeyViolation):
        await database.execute(
            "INSERT INTO chat_messages (id, room_id, kind, content, created_at)"
            " VALUES ('m1', 'no-such-room', 'user', 'hi', 1)"
        )


async def test_transaction_commits_on_return_and_rolls_back_on_error(database: Database) -> None:
    def add_two(conn: Connection) -> str:
        conn.execute(
            "INSERT INTO audit_log (id, created_at, event_type, metadata, success)"
            " VALUES ('a1', 1, 'x', '{}', TRUE)"
        )
        conn.execute(
            "INSERT INTO audit_log (id, created_at, event_type, metadata, success)"
            " VALUES ('a2', 1, 'x', '{}', FALSE)"
        )
        row = conn.fetch_one("SELECT COUNT(*) AS n FROM audit_log")
        assert row is not None
        return f"{row['n']} rows"

    assert await database.transaction(add_two) == "2 rows"

    def add_then_fail(conn: Connection) -> None:
        conn.execute(
            "INSERT INTO audit_log (id, created_at, event_type, metadata, success)"
            " VALUES ('a3', 1, 'x', '{}', TRUE)"
        )
        raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError, match="changed my mind"):
        await database.transaction(add_then_fail)
    rows = await database.fetch_all("SELECT id FROM audit_log ORDER BY id")
    assert [row["id"] for row in rows] == ["a1", "a2"]
    await database.ping()


@pytest.mark.parametrize(
    "url",
    ["mysql://localhost/db", "sqlite://relative.db", "sqlite:///", "", "not a url"],
)
async def test_unusable_urls_are_refused_with_a_clear_message(url: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite:///"):
        await open_database(url)


async def test_sqlite_urls_take_relative_and_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = await open_database("sqlite:///data/relative.db")
    await relative.ping()
    await relative.close()
    assert (tmp_path / "data" / "relative.db").is_file()

    absolute = await open_database(f"sqlite:///{tmp_path}/absolute.db")
    await absolute.ping()
    await absolute.close()
    assert (tmp_path / "absolute.db").is_file()


async def test_sqlite_checkpoints_beside_writes_never_break_a_commit(tmp_path: Path) -> None:
    # Found by tests/fuzz: the background WAL checkpoint left its PRAGMA's cursor open
    # while its connection went back to the pool, and the next transaction lent that
    # connection failed with "cannot commit transaction - SQL statements in progress"
    # (a member's room visit was not recorded). One connection makes every round share it.
    from syncwatch.store.sqlite import SqliteDatabase

    database = await SqliteDatabase.open(str(tmp_path / "busy.db"), pool_size=1)
    try:
        await database.execute("CREATE TABLE visits (n INTEGER)")

        async def visit(n: int) -> None:
            await database.transaction(
                lambda c: c.execute("INSERT INTO visits (n) VALUES (:n)", {"n": n})
            )

        for round_ in range(100):
            async with trio.open_nursery() as nursery:
                for n in range(3):
                    nursery.start_soon(database.checkpoint)
                    nursery.start_soon(visit, round_ * 3 + n)
        counted = await database.fetch_one("SELECT COUNT(*) AS n FROM visits")
        assert counted == {"n": 300}
    finally:
        await database.close()


@pytest.mark.postgres
async def test_postgres_replaces_connections_the_server_dropped_before_anyone_meets_them(
    postgres_server_url: str,
) -> None:
    """PostgreSQL restarting or an operator ending sessions must not fail the next
    queries: the pool hands out a dropped connection to nobody. Sound connections are
    handed out without a round trip of their own (`check_if_suspect`)."""
    with throwaway_postgres_database(postgres_server_url) as url:
        db = await open_database(url, pool_size=2)
        try:
            # Two connections open and idle in the pool.
            async with trio.open_nursery() as nursery:
                for _ in range(2):
                    nursery.start_soon(db.fetch_one, "SELECT pg_sleep(0.05) AS slept")
            name = url.rsplit("/", 1)[-1]
            with psycopg.connect(postgres_server_url, autocommit=True) as admin:
                ended = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                ).fetchone()
            assert ended is not None
            assert ended[0] >= 1
            await trio.sleep(0.2)  # the FATAL notice reaches the idle sockets
            for n in range(4):
                row = await db.fetch_one("SELECT :n AS n", {"n": n})
                assert row == {"n": n}
        finally:
            await db.close()
