"""Rooms, snapshots, participants, bans and chat, on both engines."""

from __future__ import annotations

import json

import pytest

from syncwatch.store import Database, UniqueViolation
from syncwatch.store.repositories import Repositories, RoomRecord, StaleFence

NASTY = "'); DROP TABLE rooms;--"


async def _room(
    repositories: Repositories,
    code: str = "ABCD2345",
    *,
    owner: str | None = None,
    created_at: int = 1_000,
    expires_at: int = 10_000,
) -> RoomRecord:
    if owner is None:
        owner = (await repositories.users.create(f"{code}@example.com", f"owner{code}", "h")).id
    return await repositories.rooms.create(
        code=code,
        name="Movie night 🎬",
        owner_id=owner,
        max_participants=5,
        password_hash=None,
        playback_control="owner_only",
        auto_handover=True,
        created_at=created_at,
        expires_at=expires_at,
    )


async def test_a_room_is_found_by_code_and_id_with_its_settings(
    repositories: Repositories,
) -> None:
    room = await _room(repositories)
    assert await repositories.rooms.by_code("ABCD2345") == room
    assert await repositories.rooms.by_id(room.id) == room
    assert room.auto_handover is True
    assert room.last_active_at == room.created_at
    assert await repositories.rooms.by_code("ZZZZ9999") is None


async def test_a_room_code_is_unique(repositories: Repositories) -> None:
    room = await _room(repositories)
    with pytest.raises(UniqueViolation) as clash:
        await _room(repositories, "ABCD2345", owner=room.owner_id)
    assert clash.value.columns == ("code",)


async def test_a_deleted_room_is_no_longer_found_but_awaits_purging(
    repositories: Repositories,
) -> None:
    room = await _room(repositories, expires_at=10_000)
    assert await repositories.rooms.mark_deleted(room.id, 2_000) is True
    assert await repositories.rooms.mark_deleted(room.id, 3_000) is False
    assert await repositories.rooms.by_code(room.code) is None
    assert await repositories.rooms.by_id(room.id) is None
    deleted = await repositories.rooms.by_code(room.code, include_deleted=True)
    assert deleted is not None
    assert deleted.deleted_at == 2_000
    assert [r.id for r in await repositories.rooms.expired(2_500)] == [room.id]
    # The janitor keeps a closed room a while, so its link still says it was closed.
    assert await repositories.rooms.expired(2_500, deleted_before_ms=1_999) == []
    kept_until = await repositories.rooms.expired(2_500, deleted_before_ms=2_000)
    assert [r.id for r in kept_until] == [room.id]


async def test_activity_moves_expiry_and_expired_rooms_are_listed(
    repositories: Repositories,
) -> None:
    early = await _room(repositories, "EARLY234", expires_at=5_000)
    late = await _room(repositories, "LATE2345", expires_at=5_000)
    assert await repositories.rooms.touch(late.id, 4_000, 9_000) is True
    touched = await repositories.rooms.by_id(late.id)
    assert touched is not None
    assert (touched.last_active_at, touched.expires_at) == (4_000, 9_000)

    assert [r.id for r in await repositories.rooms.expired(4_999)] == []
    assert [r.id for r in await repositories.rooms.expired(5_000)] == [early.id]
    assert {r.id for r in await repositories.rooms.expired(9_000)} == {early.id, late.id}


async def test_ownership_can_move_to_another_user(repositories: Repositories) -> None:
    room = await _room(repositories)
    bob = await repositories.users.create("bob@example.com", "Bob", "h")
    assert await repositories.rooms.set_owner(room.id, bob.id) is True
    moved = await repositories.rooms.by_id(room.id)
    assert moved is not None
    assert moved.owner_id == bob.id


async def test_rooms_created_by_a_user_are_counted_since_a_time(
    repositories: Repositories,
) -> None:
    first = await _room(repositories, "ROOM2222", created_at=1_000)
    await _room(repositories, "ROOM3333", owner=first.owner_id, created_at=2_000)
    third = await _room(repositories, "ROOM4444", owner=first.owner_id, created_at=3_000)
    await repositories.rooms.mark_deleted(third.id, 3_500)
    await _room(repositories, "ROOM5555", created_at=3_000)  # someone else

    assert await repositories.rooms.count_created_by(first.owner_id, 0) == 3
    assert await repositories.rooms.count_created_by(first.owner_id, 2_000) == 2
    assert await repositories.rooms.count_created_by(first.owner_id, 3_001) == 0


async def test_the_snapshot_sequence_number_never_moves_backwards(
    repositories: Repositories,
) -> None:
    room = await _room(repositories)
    rooms = repositories.rooms
    assert await rooms.load_snapshot(room.id) is None

    assert await rooms.save_snapshot(room.id, 5, json.dumps({"seq": 5}), 100) is True
    assert await rooms.save_snapshot(room.id, 7, json.dumps({"seq": 7, "t": "🎬"}), 200) is True
    assert await rooms.save_snapshot(room.id, 6, json.dumps({"seq": 6}), 300) is False
    snapshot = await rooms.load_snapshot(room.id)
    assert snapshot is not None
    assert (snapshot.sequence_number, snapshot.updated_at) == (7, 200)
    assert json.loads(snapshot.snapshot_json) == {"seq": 7, "t": "🎬"}

    assert await rooms.save_snapshot(room.id, 7, json.dumps({"seq": 7, "again": True}), 400)
    again = await rooms.load_snapshot(room.id)
    assert again is not None
    assert json.loads(again.snapshot_json) == {"seq": 7, "again": True}


async def test_participants_join_leave_rejoin_and_change_role(
    repositories: Repositories,
) -> None:
    room = await _room(repositories)
    people = repositories.participants
    owner = await people.record_join(room.id, room.owner_id, False, "Owner", "owner", 100)
    guest = await people.record_join(room.id, "guest-1", True, "Fox 🦊", "guest", 200)
    assert (guest.is_guest, guest.display_name, guest.joined_at, guest.left_at) == (
        True,
        "Fox 🦊",
        200,
        None,
    )

    # A reconnect while present keeps the original join time and the row id.
    again = await people.record_join(room.id, "guest-1", True, "Fox 🦊", "guest", 300)
    assert (again.id, again.joined_at, again.last_seen_at) == (guest.id, 200, 300)

    assert await people.record_leave(room.id, "guest-1", 400) is True
    assert await people.record_leave(room.id, "guest-1", 450) is False
    present = await people.list_for_room(room.id, present_only=True)
    assert [p.subject_id for p in present] == [room.owner_id]
    everyone = await people.list_for_room(room.id)
    assert [p.subject_id for p in everyone] == [room.owner_id, "guest-1"]
    assert everyone[1].left_at == 400

    # Coming back after leaving starts a new stay: join time restarts.
    back = await people.record_join(room.id, "guest-1", True, NASTY, "guest", 500)
    assert (back.id, back.joined_at, back.left_at, back.display_name) == (
        guest.id,
        500,
        None,
        NASTY,
    )

    assert await people.set_role(room.id, "guest-1", "participant") is True
    assert await people.set_role(room.id, "nobody", "participant") is False
    roles = {p.subject_id: p.role for p in await people.list_for_room(room.id)}
    assert roles == {owner.subject_id: "owner", "guest-1": "participant"}


async def test_bans_are_per_room_and_can_be_lifted(repositories: Repositories) -> None:
    room = await _room(repositories)
    other = await _room(repositories, "OTHER234", owner=room.owner_id)
    bans = repositories.bans
    assert await bans.ban(room.id, "guest-1", room.owner_id, 100) is True
    assert await bans.ban(room.id, "guest-1", room.owner_id, 200) is False
    assert await bans.is_banned(room.id, "guest-1") is True
    assert await bans.is_banned(other.id, "guest-1") is False
    assert await bans.unban(room.id, "guest-1") is True
    assert await bans.unban(room.id, "guest-1") is False
    assert await bans.is_banned(room.id, "guest-1") is False


async def test_chat_keeps_text_verbatim_and_pages_in_order(repositories: Repositories) -> None:
    room = await _room(repositories)
    chat = repositories.chat
    texts = [f"message {n} 😀" for n in range(6)] + [NASTY, "100% sure: yes"]
    sent = [
        await chat.add(room.id, room.owner_id, "Owner", "user", text, None, 1_000 + n)
        for n, text in enumerate(texts)
    ]
    event = json.dumps({"type": "user_joined", "name": "Fox 🦊"})
    system = await chat.add(room.id, None, None, "system", "Fox joined", event, 2_000)

    recent = await chat.recent(room.id, limit=3)
    assert [m.content for m in recent] == [NASTY, "100% sure: yes", "Fox joined"]
    assert recent[-1] == system
    assert json.loads(recent[-1].event_json or "") == {"type": "user_joined", "name": "Fox 🦊"}
    assert await chat.recent(room.id) == [*sent, system]

    after = await chat.since(room.id, sent[4].id)
    assert [m.content for m in after] == [texts[5], NASTY, "100% sure: yes", "Fox joined"]
    assert [m.id for m in await chat.since(room.id, sent[4].id, limit=2)] == [
        sent[5].id,
        sent[6].id,
    ]
    assert await chat.since(room.id, system.id) == []


async def test_purging_a_room_removes_its_chat_participants_bans_and_snapshot(
    repositories: Repositories,
) -> None:
    room = await _room(repositories)
    kept = await _room(repositories, "KEPT2345", owner=room.owner_id)
    for target in (room, kept):
        await repositories.chat.add(target.id, None, None, "system", "hi", None, 1)
        await repositories.participants.record_join(target.id, "g", True, "G", "guest", 1)
        await repositories.bans.ban(target.id, "x", target.owner_id, 1)
        await repositories.rooms.save_snapshot(target.id, 1, "{}", 1)

    assert await repositories.rooms.purge(room.id) is True
    assert await repositories.rooms.by_id(room.id, include_deleted=True) is None
    assert await repositories.chat.recent(room.id) == []
    assert await repositories.participants.list_for_room(room.id) == []
    assert await repositories.bans.is_banned(room.id, "x") is False
    assert await repositories.rooms.load_snapshot(room.id) is None

    assert len(await repositories.chat.recent(kept.id)) == 1
    assert len(await repositories.participants.list_for_room(kept.id)) == 1
    assert await repositories.bans.is_banned(kept.id, "x") is True
    assert await repositories.rooms.load_snapshot(kept.id) is not None
    assert await repositories.rooms.purge(room.id) is False


async def test_a_snapshot_write_from_an_older_lease_holder_is_refused(
    repositories: Repositories,
) -> None:
    """Room leases (ADR 0015): the owner with lease token 2 claims the room; the
    owner that held token 1 writes late and is refused, nothing overwritten."""
    rooms = repositories.rooms
    room = await _room(repositories)
    assert await rooms.save_snapshot(room.id, 3, json.dumps({"seq": 3}), 100, fence=1) is True

    assert await rooms.claim_snapshot(room.id, 2, 200) is True
    with pytest.raises(StaleFence):
        await rooms.save_snapshot(room.id, 4, json.dumps({"seq": 4, "by": "old"}), 300, fence=1)
    assert await rooms.save_snapshot(room.id, 4, json.dumps({"seq": 4, "by": "new"}), 400, fence=2)

    snapshot = await rooms.load_snapshot(room.id)
    assert snapshot is not None
    assert json.loads(snapshot.snapshot_json) == {"seq": 4, "by": "new"}
    # An older token can no longer claim it either, and a stale sequence number from
    # the current holder is still only ignored (not a lost lease).
    assert await rooms.claim_snapshot(room.id, 1, 500) is False
    assert await rooms.save_snapshot(room.id, 3, json.dumps({"seq": 3}), 600, fence=2) is False


async def test_a_claim_on_a_room_without_a_snapshot_fences_it_and_loads_as_none(
    repositories: Repositories, database: Database
) -> None:
    rooms = repositories.rooms
    room = await _room(repositories)
    assert await rooms.claim_snapshot(room.id, 5, 100) is True
    assert await rooms.load_snapshot(room.id) is None
    write = rooms.snapshot_write(room.id, 1, json.dumps({"seq": 1}), 200, fence=4)
    with pytest.raises(StaleFence):
        await database.transaction(write)  # as a group commit runs it
    assert await rooms.save_snapshot(room.id, 1, json.dumps({"seq": 1}), 300, fence=5) is True
    # Without leases (one process) writes carry no token and behave as before.
    assert await rooms.save_snapshot(room.id, 2, json.dumps({"seq": 2}), 400) is True
