"""Each room is supervised: its failure is its own, and it comes back from its snapshot.

Driven by `MockClock(autojump_threshold=0)` on a real SQLite file; the failing
database is a real one too (a trigger refuses one room's snapshot writes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import trio
import trio.testing

from syncwatch.errors import RoomUnavailable
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.room import INBOX_SIZE, Room
from syncwatch.store.group_commit import Write
from syncwatch.store.repositories import RoomRecord
from tests.support.faults import failing_snapshot_writes
from tests.support.room_actors import FakeOutlet, World, frame

SOURCE = '{"type":"sync:source","id":"%s","data":{"sourceType":"url","url":"https://e.org/v.mp4"}}'
PLAY = '{"type":"sync:play","id":"%s","data":{}}'
HEARTBEAT = '{"type":"presence:heartbeat","data":{}}'


async def owner_in(world: World, record: RoomRecord) -> tuple[Room, FakeOutlet]:
    room = await world.registry.room_for(record)
    owner = FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    await owner.wait_for("welcome")
    return room, owner


async def acked(room: Room, outlet: FakeOutlet, text: str, message_id: str) -> dict[str, Any]:
    room.submit(outlet.conn_id, frame(text % message_id))
    return await outlet.reply_to(message_id)


async def fail_once(world: World, record: RoomRecord) -> FakeOutlet:
    """Start the room, make its next snapshot write fail; returns the member it closed."""
    room, owner = await owner_in(world, record)
    async with failing_snapshot_writes(world.services.db, record.id):
        room.submit(owner.conn_id, frame(SOURCE % "boom"))
        await owner.wait_closed()
        await room.stopped.wait()
    return owner


async def test_a_failing_room_closes_its_members_with_1011_and_others_go_on(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    failing_record, calm_record = await world.new_room(), await world.new_room()
    calm, calm_owner = await owner_in(world, calm_record)
    room, owner = await owner_in(world, failing_record)
    assert (await acked(room, owner, SOURCE, "s1"))["type"] == "ack"

    async with failing_snapshot_writes(world.services.db, failing_record.id):
        room.submit(owner.conn_id, frame(PLAY % "p1"))
        assert await owner.wait_closed() == (1011, "room failed")
        # The calm room writes its snapshots as before, in the same database.
        assert (await acked(calm, calm_owner, SOURCE, "c1"))["type"] == "ack"

    # Nobody was told of the play whose snapshot failed.
    commands = [sent["data"]["type"] for _, sent in owner.frames if sent["type"] == "sync:command"]
    assert commands == ["SET_SOURCE"]
    assert room.stopped.is_set()
    assert calm_owner.closed is None
    assert world.registry.member_count(calm_record.code) == 1
    assert world.registry.member_count(failing_record.code) == 0


async def test_a_failed_room_starts_again_from_its_last_snapshot_on_the_next_join(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room, owner = await owner_in(world, record)
    assert (await acked(room, owner, SOURCE, "s1"))["data"] == {"sequenceNumber": 1}
    async with failing_snapshot_writes(world.services.db, record.id):
        room.submit(owner.conn_id, frame(PLAY % "p1"))
        await owner.wait_closed()
        await room.stopped.wait()

    again, back = await owner_in(world, record)
    assert again is not room
    _, welcome = await back.wait_for("welcome")
    # The play that failed never happened: the sequence continues with no gap.
    assert welcome["data"]["state"]["sequenceNumber"] == 1
    assert welcome["data"]["state"]["isPlaying"] is False
    assert (await acked(again, back, PLAY, "p2"))["data"] == {"sequenceNumber": 2}


async def test_a_room_failing_3_times_within_60_s_rests_then_starts_again(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    await fail_once(world, record)
    await trio.sleep(20)
    await fail_once(world, record)
    await trio.sleep(20)
    await fail_once(world, record)
    failed_at = trio.current_time()

    with pytest.raises(RoomUnavailable) as refused:
        await world.registry.room_for(record)
    assert refused.value.code == "room_unavailable"
    assert 115 <= refused.value.retry_after <= 120
    await trio.sleep(100)
    with pytest.raises(RoomUnavailable):
        await world.registry.room_for(record)

    await trio.sleep(120 - (trio.current_time() - failed_at))
    room, owner = await owner_in(world, record)
    assert not room.stopped.is_set()
    assert owner.closed is None


async def test_failures_spread_over_more_than_60_s_never_rest_the_room(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    for _ in range(4):
        await fail_once(world, record)
        await trio.sleep(31)  # never 3 within one 60 s window
    room, owner = await owner_in(world, record)
    assert owner.closed is None
    assert not room.stopped.is_set()


async def test_a_slow_room_start_does_not_hold_up_another_room(
    world: World, autojump_clock: trio.testing.MockClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_record, quick_record = await world.new_room(), await world.new_room()
    rooms = world.services.repositories.rooms
    release = trio.Event()
    load_snapshot = rooms.load_snapshot

    async def slow_for_one_room(room_id: str):  # type: ignore[no-untyped-def]
        if room_id == slow_record.id:
            await release.wait()
        return await load_snapshot(room_id)

    monkeypatch.setattr(rooms, "load_snapshot", slow_for_one_room)
    started: list[str] = []

    async def start(record: RoomRecord) -> None:
        await world.registry.room_for(record)
        started.append(record.code)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(start, slow_record)
        nursery.start_soon(start, slow_record)  # a second join waits for the same start
        await trio.testing.wait_all_tasks_blocked()
        with trio.fail_after(10):
            await start(quick_record)
        assert started == [quick_record.code]
        release.set()
    assert started == [quick_record.code, slow_record.code, slow_record.code]
    assert world.registry.member_count(slow_record.code) == 0


async def stall_the_loop(world: World, monkeypatch: pytest.MonkeyPatch) -> trio.Event:
    """Make the room's next write (a join's activity, a command's snapshot: they go
    through the group commit) wait until the returned event is set."""
    await trio.testing.wait_all_tasks_blocked()  # every write before now is done
    group_commit = world.services.group_commit
    release = trio.Event()
    commit = group_commit.commit

    async def stalled(writes: Sequence[Write]) -> None:
        await release.wait()
        await commit(writes)

    monkeypatch.setattr(group_commit, "commit", stalled)
    return release


async def test_a_leave_against_a_full_inbox_still_frees_the_seat(
    world: World, autojump_clock: trio.testing.MockClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = await world.new_room()
    room, owner = await owner_in(world, record)
    bob = FakeOutlet()
    await room.join(bob, Joiner("bob", "Bob", False))
    release = await stall_the_loop(world, monkeypatch)
    await room.join(FakeOutlet(), Joiner("cat", "Cat", False))  # its activity write stalls
    accepted = 0
    while room.submit(owner.conn_id, frame(HEARTBEAT)):
        accepted += 1
    assert accepted == INBOX_SIZE

    room.leave(bob.conn_id)  # returns at once, full inbox or not
    await trio.sleep(600)
    release.set()
    with trio.fail_after(60):
        while room.is_member("bob"):
            await trio.sleep(0.01)
    participants = owner.last("room:participants")
    assert participants is not None
    assert "bob" not in [p["userId"] for p in participants["data"]["participants"]]
    assert room.member_count == 2


async def test_a_join_cancelled_while_queued_never_takes_a_seat(
    world: World, autojump_clock: trio.testing.MockClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = await world.new_room()
    room, _owner = await owner_in(world, record)
    release = await stall_the_loop(world, monkeypatch)
    await room.join(FakeOutlet(), Joiner("cat", "Cat", False))  # its activity write stalls

    with trio.move_on_after(5) as waited:
        await room.join(FakeOutlet(), Joiner("dee", "Dee", False))
    assert waited.cancelled_caught
    release.set()
    await room.join(FakeOutlet(), Joiner("eve", "Eve", False))  # the queue has moved on
    assert room.is_member("eve")
    assert not room.is_member("dee")
    assert room.member_count == 3
