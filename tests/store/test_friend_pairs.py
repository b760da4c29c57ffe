"""A pair of users has one friendship row whichever way it points, even when both ask
at the same instant (issue 12 §5.9), on both engines."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import trio

from syncwatch.errors import Conflict
from syncwatch.store import Database, UniqueViolation, open_database
from syncwatch.store.migrations import available_migrations, split_statements
from syncwatch.store.repositories import Repositories

PAIRS = 20


async def test_crossing_requests_leave_one_row_per_pair(
    repositories: Repositories, database: Database
) -> None:
    users = [
        await repositories.users.create(f"u{n}@example.org", f"user_{n}", "h")
        for n in range(2 * PAIRS)
    ]
    outcomes: list[str] = []

    async def ask(requester: str, addressee: str) -> None:
        try:
            await repositories.friendships.request(requester, addressee, 1)
            outcomes.append("created")
        except Conflict:
            outcomes.append("conflict")

    async with trio.open_nursery() as nursery:
        for n in range(PAIRS):
            a, b = users[2 * n].id, users[2 * n + 1].id
            nursery.start_soon(ask, a, b)
            nursery.start_soon(ask, b, a)
    assert outcomes.count("created") == PAIRS
    assert outcomes.count("conflict") == PAIRS
    rows = await database.fetch_all("SELECT requester_id, addressee_id FROM friendships")
    assert len(rows) == PAIRS
    for n in range(PAIRS):
        a, b = users[2 * n].id, users[2 * n + 1].id
        assert sum({row["requester_id"], row["addressee_id"]} == {a, b} for row in rows) == 1


async def test_the_database_itself_refuses_the_reverse_row(
    repositories: Repositories, database: Database
) -> None:
    alice = await repositories.users.create("a@example.org", "alice", "h")
    bob = await repositories.users.create("b@example.org", "bob", "h")
    await repositories.friendships.request(alice.id, bob.id, 1)
    with pytest.raises(UniqueViolation):
        await database.execute(
            "INSERT INTO friendships (requester_id, addressee_id, status, created_at,"
            " updated_at) VALUES (:a, :b, 'pending', 2, 2)",
            {"a": bob.id, "b": alice.id},
        )
    accepted = await repositories.friendships.accept(alice.id, bob.id, 3)
    assert accepted
    seen_by_bob = await repositories.friendships.list_for(bob.id)
    assert [(entry.user_id, entry.status) for entry in seen_by_bob] == [(alice.id, "accepted")]


async def test_the_migration_keeps_one_row_of_each_crossed_pair(
    empty_database_urls: Callable[[], str],
) -> None:
    db = await open_database(empty_database_urls())
    try:
        before, pairs = available_migrations()[:3], available_migrations()[3]
        assert pairs.name == "0004_friendship_pairs"
        for migration in before:
            for statement in split_statements(migration.sql):
                await db.execute(statement)
        for name in ("a", "b", "c", "d", "e", "f"):
            await db.execute(
                "INSERT INTO users (id, email, username, username_key, password_hash,"
                " created_at, updated_at) VALUES (:id, :email, :id, :id, 'h', 1, 1)",
                {"id": name, "email": f"{name}@example.org"},
            )
        crossed = [
            ("a", "b", "pending", 1), ("b", "a", "accepted", 2),  # the accepted one stays
            ("c", "d", "pending", 5), ("d", "c", "pending", 3),  # the earlier one stays
            ("e", "f", "accepted", 1),  # alone: untouched
        ]  # fmt: skip
        for requester, addressee, status, at in crossed:
            await db.execute(
                "INSERT INTO friendships (requester_id, addressee_id, status, created_at,"
                " updated_at) VALUES (:r, :a, :s, :t, :t)",
                {"r": requester, "a": addressee, "s": status, "t": at},
            )
        for statement in split_statements(pairs.sql):
            await db.execute(statement)
        rows = await db.fetch_all(
            "SELECT requester_id, addressee_id, status FROM friendships ORDER BY requester_id"
        )
        assert [(r["requester_id"], r["addressee_id"], r["status"]) for r in rows] == [
            ("b", "a", "accepted"),
            ("d", "c", "pending"),
            ("e", "f", "accepted"),
        ]
    finally:
        await db.close()
