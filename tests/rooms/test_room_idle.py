"""Idle rooms close with a warning: nothing played and nobody spoke for 30 minutes."""

from __future__ import annotations

import trio
import trio.testing

from syncwatch.protocol import messages as m
from syncwatch.rooms.core.effects import Close, DeleteRoom
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.core.state import RoomState
from tests.support.room_actors import FakeOutlet, World, keep_beating
from tests.support.rooms import T0, identity, new_room, pause, play, sent, source

MINUTE = 60_000


def room_of(*names: str) -> RoomState:
    room = new_room()
    for name in names:
        room.join(T0, f"c-{name}", identity(name))
    return room


def warnings(effects: list) -> list[int | None]:  # type: ignore[type-arg]
    return [s.message.data.closes_at for s in sent(effects, "room:idle")]  # type: ignore[attr-defined]


def chat(text: str = "hello") -> m.ChatSend:
    return m.ChatSend(id="m", type="chat:message", data=m.ChatData(content=text))


def still_here() -> m.StillHere:
    return m.StillHere(id="h", type="room:still_here")


def test_an_idle_room_is_warned_after_30_minutes_then_closed_2_minutes_later() -> None:
    room = room_of("alice", "bob")
    assert room.next_deadline_ms() is not None
    assert not warnings(room.tick(T0 + 30 * MINUTE - 1))
    assert warnings(room.tick(T0 + 30 * MINUTE)) == [T0 + 32 * MINUTE]
    assert not [e for e in room.tick(T0 + 32 * MINUTE - 1) if isinstance(e, Close)]
    effects = room.tick(T0 + 32 * MINUTE)
    closes = [e for e in effects if isinstance(e, Close)]
    assert {c.conn_id for c in closes} == {"c-alice", "c-bob"}
    assert {c.code for c in closes} == {4004}
    assert any(isinstance(e, DeleteRoom) for e in effects)
    assert room.phase == "ENDED"


def test_someone_answering_the_warning_keeps_the_room_open() -> None:
    room = room_of("alice", "bob")
    room.tick(T0 + 30 * MINUTE)
    effects = room.handle(T0 + 31 * MINUTE, "c-bob", still_here())
    assert warnings(effects) == [None]
    assert not [e for e in room.tick(T0 + 32 * MINUTE) if isinstance(e, Close)]
    assert room.phase != "ENDED"
    assert warnings(room.tick(T0 + 61 * MINUTE)) == [T0 + 63 * MINUTE]


def test_chatting_or_playing_keeps_a_room_from_being_idle() -> None:
    room = room_of("alice", "bob")
    room.handle(T0 + 20 * MINUTE, "c-bob", chat())
    assert not warnings(room.tick(T0 + 30 * MINUTE))
    room.handle(T0 + 40 * MINUTE, "c-alice", source())
    room.handle(T0 + 40 * MINUTE, "c-alice", play())
    # Playing for two hours is not idle.
    assert not warnings(room.tick(T0 + 160 * MINUTE))
    room.handle(T0 + 160 * MINUTE, "c-alice", pause())
    assert not warnings(room.tick(T0 + 189 * MINUTE))
    assert warnings(room.tick(T0 + 190 * MINUTE)) == [T0 + 192 * MINUTE]


def test_the_owner_sets_the_idle_time_or_turns_it_off() -> None:
    room = room_of("alice", "bob")
    ten = m.ChangeSettings(id="s", type="room:settings", data=m.SettingsData(idle_close_minutes=10))
    effects = room.handle(T0, "c-alice", ten)
    assert sent(effects, "room:settings")[0].message.data.idle_close_minutes == 10  # type: ignore[attr-defined]
    assert warnings(room.tick(T0 + 10 * MINUTE)) == [T0 + 12 * MINUTE]
    off = m.ChangeSettings(id="s", type="room:settings", data=m.SettingsData(idle_close_minutes=0))
    room.handle(T0 + 11 * MINUTE, "c-alice", off)
    assert not [e for e in room.tick(T0 + 12 * MINUTE) if isinstance(e, Close)]
    assert not warnings(room.tick(T0 + 600 * MINUTE))


async def test_the_room_actor_closes_an_idle_room_and_deletes_it(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    owner, bob = FakeOutlet(), FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    await room.join(bob, Joiner("bob", "Bob", False))
    world.nursery.start_soon(keep_beating, room, owner)
    world.nursery.start_soon(keep_beating, room, bob)

    warned_at, warning = await bob.wait_for("room:idle")
    assert 30 * 60 <= world.since_start(warned_at) < 30 * 60 + 1
    assert warning["data"]["closesAt"] is not None
    code, reason = await bob.wait_closed()
    assert (code, reason) == (4004, "closed: idle")
    assert await world.services.repositories.rooms.by_code(record.code) is None
