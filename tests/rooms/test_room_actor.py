"""The Trio `Room` actor and its registry, driven by `MockClock(autojump_threshold=0)`.

Hours of room life run in milliseconds. Database calls still run in worker
threads (a real SQLite file), so tests wait for the message they expect and
then check *when* (on the mock clock) it was delivered, rather than sleeping to
an instant and hoping the actor got there first.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import trio
import trio.testing

from syncwatch.blocking import run_inline_in_this_run
from syncwatch.clock import Clock
from syncwatch.janitor import Janitor
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.registry import RoomRegistry
from syncwatch.rooms.room import IDLE_STOP_S, Room
from syncwatch.services import Services, open_services
from syncwatch.settings import load_settings
from syncwatch.store.repositories import RoomRecord
from tests.fixtures.environment import TEST_ENVIRONMENT


@dataclass
class FakeOutlet:
    """A connection that records what the room sends it, and when (mock time)."""

    conn_id: str = field(default_factory=lambda: secrets.token_hex(4))
    protocol_deprecated: bool = False
    frames: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    closed: tuple[int, str] | None = None
    _arrived: trio.Event = field(default_factory=trio.Event)

    def deliver(self, text: str) -> None:
        self.frames.append((trio.current_time(), json.loads(text)))
        self._arrived.set()
        self._arrived = trio.Event()

    def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)
        self._arrived.set()

    def first(self, type_: str) -> tuple[float, dict[str, Any]] | None:
        return next(((t, f) for t, f in self.frames if f["type"] == type_), None)

    async def wait_for(self, type_: str, limit_s: float = 3600) -> tuple[float, dict[str, Any]]:
        with trio.fail_after(limit_s):
            while (found := self.first(type_)) is None:
                await self._arrived.wait()
            return found


def frame(text: str) -> m.RoomMessage:
    message = m.parse_client_frame(text)
    assert not isinstance(message, m.Hello | m.TimePing)
    return message


HEARTBEAT = '{"type":"presence:heartbeat","data":{}}'


@dataclass
class World:
    services: Services
    registry: RoomRegistry
    nursery: trio.Nursery
    start: float

    async def new_room(self, **fields: Any) -> RoomRecord:
        repos = self.services.repositories
        owner = await repos.users.create(
            f"{secrets.token_hex(3)}@example.org", f"ann_{secrets.token_hex(3)}", "x"
        )
        now = self.services.clock.now_ms()
        values: dict[str, Any] = {
            "code": secrets.token_hex(4).upper(),
            "name": "Room",
            "owner_id": owner.id,
            "max_participants": 5,
            "password_hash": None,
            "playback_control": "owner_only",
            "auto_handover": True,
            "created_at": now,
            "expires_at": now + 24 * 3600 * 1000,
        }
        values.update(fields)
        return await repos.rooms.create(**values)

    def since_start(self, at: float) -> float:
        return at - self.start


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """Services on a SQLite file, with a running registry. Tests that use it also take
    `autojump_clock` (pytest-trio runs a test on the clock among its own arguments)."""
    run_inline_in_this_run()
    settings = load_settings(
        environ=TEST_ENVIRONMENT,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'actor.db'}",
    )
    async with open_services(settings, clock=Clock()) as services, trio.open_nursery() as nursery:
        registry = RoomRegistry(services)
        await nursery.start(registry.run)
        yield World(services, registry, nursery, trio.current_time())
        nursery.cancel_scope.cancel()


async def keep_beating(room: Room, outlet: FakeOutlet, every_s: float = 5) -> None:
    while True:
        room.submit(outlet.conn_id, frame(HEARTBEAT))
        await trio.sleep(every_s)


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
    await room.leave(owner.conn_id)
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
    await room.leave(owner.conn_id)
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
    await room.leave(member.conn_id)
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
