"""The Trio `Room` actor and its registry, driven by `MockClock(autojump_threshold=0)`.

Hours of room life run in milliseconds. Database calls still run in worker
threads (a real SQLite file), so tests wait for the message they expect and
then check *when* (on the mock clock) it was delivered, rather than sleeping to
an instant and hoping the actor got there first.
"""

from __future__ import annotations

from typing import Any

import trio
import trio.testing

from syncwatch.janitor import Janitor
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.registry import RoomRegistry
from syncwatch.rooms.room import IDLE_STOP_S
from tests.support.room_actors import FakeOutlet, World, frame, keep_beating


async def test_owner_is_away_after_15_seconds_without_heartbeat_and_not_at_14(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    owner, bob = FakeOutlet(), FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    await room.join(bob, Joiner("bob", "Bob", False))
    world.nursery.start_soon(keep_beating, room, bob)

    at, _ = await bob.wait_for("room:owner_away")
    assert 15.0 <= world.since_start(at) < 15.5
    changed_at, changed = await bob.wait_for("room:owner_changed")
    assert changed["data"]["newOwnerId"] == "bob"
    assert changed["data"]["reason"] == "auto_handover"
    assert changed_at >= at
    # Nothing of the kind was sent before 15 s.
    assert all(
        world.since_start(t) >= 15.0 for t, f in bob.frames if f["type"].startswith("room:owner")
    )


async def test_a_room_held_up_by_its_database_counts_the_heartbeats_sent_meanwhile(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    """A write that waits 20 s for the database (PostgreSQL restarting) holds the
    room's loop past the owner's 15 s away timer; the owner kept beating all along,
    so the room must not call them away or hand their room to someone else."""
    record = await world.new_room()
    room = await world.registry.room_for(record)
    owner, bob = FakeOutlet(), FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    await room.join(bob, Joiner("bob", "Bob", False))
    world.nursery.start_soon(keep_beating, room, owner)
    world.nursery.start_soon(keep_beating, room, bob)
    group_commit = world.services.group_commit
    commit = group_commit.commit
    held: list[float] = []

    async def held_up(writes: Any) -> None:
        if not held:
            held.append(trio.current_time())
            await trio.sleep(20)
        await commit(writes)

    group_commit.commit = held_up  # type: ignore[method-assign]
    room.submit(owner.conn_id, frame('{"type":"chat:message","id":"c1","data":{"content":"hi"}}'))
    reply = await owner.reply_to("c1")
    assert reply["type"] == "ack"
    assert held
    await trio.sleep(30)
    said = [(round(world.since_start(t), 2), f["type"]) for t, f in bob.frames]
    assert "room:owner_away" not in [kind for _, kind in said], said
    assert "room:owner_changed" not in [kind for _, kind in said]


async def test_handover_goes_to_the_earliest_joined_present_member(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    owner, early_but_silent, second, third = FakeOutlet(), FakeOutlet(), FakeOutlet(), FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    await room.join(early_but_silent, Joiner("dee", "Dee", False))
    await trio.sleep(1)
    await room.join(second, Joiner("bob", "Bob", False))
    await trio.sleep(1)
    await room.join(third, Joiner("cat", "Cat", False))
    world.nursery.start_soon(keep_beating, room, second)
    world.nursery.start_soon(keep_beating, room, third)

    _, changed = await third.wait_for("room:owner_changed")
    # Dee joined first but is silent too (away): Bob is the earliest present member.
    assert changed["data"]["newOwnerId"] == "bob"


async def test_owner_back_within_60_s_is_offered_ownership_and_can_reclaim(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    owner, bob = FakeOutlet(), FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    await room.join(bob, Joiner("bob", "Bob", False))
    world.nursery.start_soon(keep_beating, room, bob)
    room.leave(owner.conn_id)
    await bob.wait_for("room:owner_changed")
    await trio.sleep(30)

    back = FakeOutlet()
    await room.join(back, Joiner(record.owner_id, "ann", False))
    await back.wait_for("room:offer_ownership")
    room.submit(back.conn_id, frame('{"type":"room:reclaim_ownership","id":"r1","data":{}}'))
    _, ack = await back.wait_for("ack")
    assert ack["re"] == "r1"
    assert room.state.owner_id == record.owner_id


async def test_owner_back_after_60_s_joins_as_participant(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    owner, bob = FakeOutlet(), FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    await room.join(bob, Joiner("bob", "Bob", False))
    world.nursery.start_soon(keep_beating, room, bob)
    room.leave(owner.conn_id)
    await bob.wait_for("room:owner_changed")
    await trio.sleep(90)

    back = FakeOutlet()
    await room.join(back, Joiner(record.owner_id, "ann", False))
    _, welcome = await back.wait_for("welcome")
    assert welcome["data"]["you"]["role"] == "participant"
    assert back.first("room:offer_ownership") is None


async def test_an_empty_room_stops_its_actor_after_idling_and_expires_a_day_later(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    member = FakeOutlet()
    await room.join(member, Joiner(record.owner_id, "ann", False))
    room.leave(member.conn_id)
    left_at = trio.current_time()
    with trio.fail_after(IDLE_STOP_S + 60):
        await room.stopped.wait()
    assert IDLE_STOP_S <= trio.current_time() - left_at < IDLE_STOP_S + 1
    assert world.registry.member_count(record.code) == 0

    janitor = Janitor(world.services, is_live=lambda code: world.registry.member_count(code) > 0)
    await trio.sleep(23 * 3600)
    assert (await janitor.sweep_once())["rooms"] == 0
    await trio.sleep(1 * 3600 + 60)
    assert (await janitor.sweep_once())["rooms"] == 1
    assert await world.services.repositories.rooms.by_code(record.code) is None


async def test_shutdown_saves_the_snapshot_and_a_restarted_room_continues_the_sequence(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    owner = FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    for text in (
        '{"type":"sync:source","id":"a","data":{"sourceType":"url","url":"https://e.org/v.mp4"}}',
        '{"type":"sync:play","id":"b","data":{}}',
        '{"type":"sync:seek","id":"c","data":{"targetMediaTimeMs":1000}}',
    ):
        room.submit(owner.conn_id, frame(text))
    while len([f for _, f in owner.frames if f["type"] == "ack"]) < 3:
        await owner.wait_for("ack")
        await trio.sleep(0.01)

    await world.registry.shutdown()
    assert owner.closed == (1012, "server restarting")
    saved = await world.services.repositories.rooms.load_snapshot(record.id)
    assert saved is not None
    assert saved.sequence_number == 3

    fresh = RoomRegistry(world.services)
    await world.nursery.start(fresh.run)
    restarted = await fresh.room_for(record)
    assert restarted.state.sequence_number == 3
    again = FakeOutlet()
    await restarted.join(again, Joiner(record.owner_id, "ann", False))
    restarted.submit(again.conn_id, frame('{"type":"sync:pause","id":"d","data":{}}'))
    _, ack = await again.wait_for("ack")
    assert ack["data"]["sequenceNumber"] == 4


async def test_a_chat_line_the_database_refuses_is_an_error_to_its_sender_at_once(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    """The sender hears at once that nobody got their line (not after the client's ack
    timeout); the others never see it; the next line, once the database is back, works."""
    room, owner, bob = await world.owner_and_bob()
    group_commit, chat = world.services.group_commit, world.services.repositories.chat
    commit, add = group_commit.commit, chat.add

    async def refused(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk I/O error")

    group_commit.commit = refused  # type: ignore[method-assign]
    chat.add = refused  # type: ignore[method-assign]
    sent_at = trio.current_time()
    room.submit(bob.conn_id, frame('{"type":"chat:message","id":"c1","data":{"content":"hi"}}'))
    reply = await bob.reply_to("c1")
    assert trio.current_time() - sent_at < 1
    assert reply["type"] == "error"
    assert reply["data"]["code"] == "internal_error"
    assert reply["data"]["retryAfter"] == 2
    assert "nobody got it" in reply["data"]["message"]

    group_commit.commit, chat.add = commit, add  # type: ignore[method-assign]
    room.submit(bob.conn_id, frame('{"type":"chat:message","id":"c2","data":{"content":"again"}}'))
    assert (await bob.reply_to("c2"))["type"] == "ack"
    await trio.sleep(1)
    said = [
        f["data"]["content"]
        for _, f in owner.frames
        if f["type"] == "chat:message" and f["data"]["kind"] == "user"
    ]
    assert said == ["again"]


async def test_a_reaction_the_database_refuses_is_an_error_to_its_sender(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    room, owner, bob = await world.owner_and_bob()
    room.submit(
        owner.conn_id,
        frame(
            '{"type":"sync:source","id":"s","data":{"sourceType":"url","url":"https://e.org/v.mp4"}}'
        ),
    )
    await owner.reply_to("s")
    reactions = world.services.repositories.reactions

    async def refused(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk I/O error")

    reactions.add = refused  # type: ignore[method-assign]
    room.submit(bob.conn_id, frame('{"type":"reaction:send","id":"r1","data":{"emoji":"👏"}}'))
    reply = await bob.reply_to("r1")
    assert reply["type"] == "error"
    assert reply["data"]["code"] == "internal_error"
    await trio.sleep(5)
    assert owner.first("reaction:new") is None
