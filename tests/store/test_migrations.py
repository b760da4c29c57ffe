"""Migrations: schema.sql and the deltas build the same database; reruns change nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import trio

from syncwatch.store import Database, open_database
from syncwatch.store import migrations as migrations_module
from syncwatch.store.migrations import (
    available_migrations,
    current_schema,
    migrate,
    schema_path,
    schema_version,
)


async def _shape(db: Database) -> dict[str, Any]:
    """Tables with their columns (name, type, nullability) and the index names."""
    if db.dialect == "sqlite":
        tables = await db.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        shape: dict[str, Any] = {}
        for table in tables:
            columns = await db.fetch_all(
                'SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(:t)',
                {"t": table["name"]},
            )
            shape[table["name"]] = sorted(
                (c["name"], c["type"], bool(c["not_null"]), c["pk"]) for c in columns
            )
        indexes = await db.fetch_all("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
        shape["<indexes>"] = sorted((i["name"], i["sql"]) for i in indexes)
        return shape
    columns = await db.fetch_all(
        "SELECT table_name, column_name, data_type, is_nullable, column_default"
        " FROM information_schema.columns WHERE table_schema = current_schema()"
    )
    shape = {}
    for column in columns:
        shape.setdefault(column["table_name"], []).append(
            (
                column["column_name"],
                column["data_type"],
                column["is_nullable"],
                column["column_default"],
            )
        )
    for table_columns in shape.values():
        table_columns.sort()
    indexes = await db.fetch_all(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
    )
    shape["<indexes>"] = sorted((i["indexname"], i["indexdef"]) for i in indexes)
    return shape


EXPECTED_TABLES = {
    "schema_version",
    "users",
    "refresh_tokens",
    "rooms",
    "room_snapshots",
    "room_participants",
    "room_bans",
    "chat_messages",
    "audit_log",
    "friendships",
    "videos",
    "transcode_jobs",
    "video_subtitles",
    "room_invitations",
    "reports",
    "user_blocks",
    "notifications",
    "reactions",
    "watch_history",
    "room_templates",
    "room_schedules",
    "password_resets",
}


def test_schema_file_declares_the_version_of_the_last_delta() -> None:
    version, text = current_schema()
    assert text.startswith("-- schema-version: ")
    assert schema_path().name == "schema.sql"
    assert version == available_migrations()[-1].version


async def test_deltas_build_exactly_the_schema_file(
    empty_database_urls: Callable[[], str],
) -> None:
    from_schema = await open_database(empty_database_urls())
    from_deltas = await open_database(empty_database_urls())
    try:
        assert await schema_version(from_schema) is None
        assert await migrate(from_schema) == current_schema()[0]
        assert await migrate(from_deltas, bootstrap="deltas") == current_schema()[0]
        schema_shape = await _shape(from_schema)
        assert set(schema_shape) - {"<indexes>"} == EXPECTED_TABLES
        assert await _shape(from_deltas) == schema_shape
    finally:
        await from_schema.close()
        await from_deltas.close()


async def test_migrating_twice_changes_nothing(empty_database_urls: Callable[[], str]) -> None:
    db = await open_database(empty_database_urls())
    try:
        first = await migrate(db)
        shape = await _shape(db)
        rows = await db.fetch_all("SELECT version FROM schema_version")
        assert await migrate(db) == first
        assert await _shape(db) == shape
        assert (
            await db.fetch_all("SELECT version FROM schema_version") == rows == [{"version": first}]
        )
    finally:
        await db.close()


async def test_instances_starting_together_migrate_once(
    empty_database_urls: Callable[[], str],
) -> None:
    url = empty_database_urls()
    first, second = await open_database(url), await open_database(url)
    versions: list[int] = []
    try:
        async with trio.open_nursery() as nursery:
            for db in (first, second):
                nursery.start_soon(_record_migration, db, versions)
        assert versions == [current_schema()[0]] * 2
        rows = await first.fetch_all("SELECT version FROM schema_version")
        assert rows == [{"version": current_schema()[0]}]
    finally:
        await first.close()
        await second.close()


async def _record_migration(db: Database, versions: list[int]) -> None:
    versions.append(await migrate(db))


async def test_an_older_database_gets_the_missing_deltas_in_order(
    empty_database_urls: Callable[[], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = await open_database(empty_database_urls())
    fresh = await open_database(empty_database_urls())
    try:
        shipped = len(available_migrations())
        assert await migrate(old) == shipped
        await old.execute(
            "INSERT INTO users (id, email, username, username_key, password_hash, created_at,"
            " updated_at) VALUES ('u1', 'a@example.com', 'Alice', 'alice', 'h', 1, 1)"
        )

        # A release two versions on: a delta adds a column, schema.sql already has it.
        deltas = tmp_path / "migrations"
        deltas.mkdir()
        for migration in available_migrations():
            (deltas / f"{migration.name}.sql").write_text(migration.sql)
        (deltas / f"{shipped + 1:04d}_user_locale.sql").write_text(
            "-- users may pick a language\nALTER TABLE users ADD COLUMN locale TEXT;\n"
        )
        (deltas / f"{shipped + 2:04d}_locale_index.sql").write_text(
            "CREATE INDEX users_locale_idx ON users (locale);\n"
        )
        _, current = current_schema()
        schema = tmp_path / "schema.sql"
        schema.write_text(
            current.replace(
                f"-- schema-version: {shipped}", f"-- schema-version: {shipped + 2}", 1
            ).replace("    avatar_url TEXT,\n", "    avatar_url TEXT,\n    locale TEXT,\n", 1)
            + "CREATE INDEX users_locale_idx ON users (locale);\n"
        )
        monkeypatch.setattr(migrations_module, "MIGRATIONS_DIR", deltas)
        monkeypatch.setattr(migrations_module, "schema_path", lambda: schema)

        assert await migrate(old) == shipped + 2
        assert await migrate(fresh) == shipped + 2
        rows = await old.fetch_all("SELECT version FROM schema_version ORDER BY version")
        assert [row["version"] for row in rows] == list(range(shipped, shipped + 3))
        assert await old.fetch_one("SELECT username, locale FROM users") == {
            "username": "Alice",
            "locale": None,
        }
        # Column order differs (ALTER appends), but the set of columns and indexes match.
        assert await _shape(old) == await _shape(fresh)
    finally:
        await old.close()
        await fresh.close()
