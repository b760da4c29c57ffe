"""The audit log and friendships, on both engines."""

from __future__ import annotations

import pytest

from syncwatch.errors import Conflict, NotFound
from syncwatch.store.repositories import Repositories, UserRecord


async def _audit(repositories: Repositories, event_type: str, created_at: int, **kw: str) -> str:
    entry = await repositories.audit.add(
        event_type,
        actor_id=kw.get("actor_id"),
        actor_ip="203.0.113.7",
        target_type="room",
        target_id=kw.get("target_id"),
        metadata={"reason": "flooding 🌊", "quote": "'); DROP TABLE audit_log;--"},
        success=kw.get("success", "yes") == "yes",
        created_at=created_at,
    )
    return entry.id


async def test_audit_entries_are_listed_newest_first_and_filtered(
    repositories: Repositories,
) -> None:
    first = await _audit(repositories, "auth.login_failed", 1, actor_id="u1", success="no")
    second = await _audit(repositories, "participant.kicked", 2, actor_id="u2", target_id="r1")
    third = await _audit(repositories, "participant.kicked", 3, actor_id="u1", target_id="r2")

    everything = await repositories.audit.list()
    assert [e.id for e in everything] == [third, second, first]
    failed = everything[-1]
    assert (failed.success, failed.actor_ip, failed.target_type) == (False, "203.0.113.7", "room")
    assert failed.metadata == {"reason": "flooding 🌊", "quote": "'); DROP TABLE audit_log;--"}

    kicks = await repositories.audit.list(event_type="participant.kicked")
    assert [e.id for e in kicks] == [third, second]
    assert [e.id for e in await repositories.audit.list(actor_id="u1")] == [third, first]
    assert [e.id for e in await repositories.audit.list(target_id="r1")] == [second]
    assert [e.id for e in await repositories.audit.list(limit=1)] == [third]


async def test_retention_purges_old_entries_of_the_given_types_only(
    repositories: Repositories,
) -> None:
    old_join = await _audit(repositories, "participant.joined", 100)
    old_login = await _audit(repositories, "auth.login", 100)
    old_kick = await _audit(repositories, "participant.kicked", 100)
    new_join = await _audit(repositories, "participant.joined", 900)

    purged = await repositories.audit.purge(500, ["participant.joined", "participant.left"])
    assert purged == 1
    remaining = {e.id for e in await repositories.audit.list()}
    assert remaining == {old_login, old_kick, new_join}
    assert old_join not in remaining

    assert await repositories.audit.purge(500, []) == 0
    assert await repositories.audit.purge(500) == 2
    assert {e.id for e in await repositories.audit.list()} == {new_join}


@pytest.fixture
async def alice_and_bob(repositories: Repositories) -> tuple[UserRecord, UserRecord]:
    alice = await repositories.users.create("alice@example.com", "Alice", "h")
    bob = await repositories.users.create("bob@example.com", "bob", "h")
    return alice, bob


async def test_a_friend_request_is_seen_from_both_sides_until_accepted(
    repositories: Repositories, alice_and_bob: tuple[UserRecord, UserRecord]
) -> None:
    alice, bob = alice_and_bob
    friends = repositories.friendships
    request = await friends.request(alice.id, bob.id, 100)
    assert (request.status, request.created_at) == ("pending", 100)

    [outgoing] = await friends.list_for(alice.id)
    assert (outgoing.user_id, outgoing.username, outgoing.status, outgoing.direction) == (
        bob.id,
        "bob",
        "pending",
        "outgoing",
    )
    [incoming] = await friends.list_for(bob.id)
    assert (incoming.user_id, incoming.username, incoming.direction) == (
        alice.id,
        "Alice",
        "incoming",
    )

    assert await friends.accept(bob.id, alice.id, 200) is False  # wrong way round
    assert await friends.accept(alice.id, bob.id, 200) is True
    assert await friends.accept(alice.id, bob.id, 300) is False  # already accepted
    [entry] = await friends.list_for(bob.id)
    assert (entry.status, entry.updated_at) == ("accepted", 200)


async def test_a_pair_has_at_most_one_friendship(
    repositories: Repositories, alice_and_bob: tuple[UserRecord, UserRecord]
) -> None:
    alice, bob = alice_and_bob
    friends = repositories.friendships
    await friends.request(alice.id, bob.id, 100)
    with pytest.raises(Conflict):
        await friends.request(alice.id, bob.id, 200)
    with pytest.raises(Conflict):
        await friends.request(bob.id, alice.id, 200)
    with pytest.raises(NotFound):
        await friends.request(alice.id, "no-such-user", 200)


async def test_removing_a_friendship_works_from_either_side(
    repositories: Repositories, alice_and_bob: tuple[UserRecord, UserRecord]
) -> None:
    alice, bob = alice_and_bob
    friends = repositories.friendships
    await friends.request(alice.id, bob.id, 100)
    await friends.accept(alice.id, bob.id, 200)
    assert await friends.remove(bob.id, alice.id) is True
    assert await friends.list_for(alice.id) == []
    assert await friends.list_for(bob.id) == []
    assert await friends.remove(alice.id, bob.id) is False
    # Once removed, either may ask again.
    await friends.request(bob.id, alice.id, 300)
    assert [e.direction for e in await friends.list_for(alice.id)] == ["incoming"]
