"""Kit for tests of live `Room` actors and their registry under `MockClock`.

`FakeOutlet` stands for a connection and records what the room sends it, and
when (mock time). `open_world` runs a registry on services over a SQLite file;
database calls run inline (`run_inline_in_this_run`), so the mock clock only
jumps when the room is really idle.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trio

from syncwatch.blocking import run_inline_in_this_run
from syncwatch.clock import Clock
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.registry import RoomRegistry
from syncwatch.rooms.room import Room
from syncwatch.services import Services, open_services
from syncwatch.settings import load_settings
from syncwatch.store.repositories import RoomRecord
from tests.support.environment import TEST_ENVIRONMENT

HEARTBEAT = '{"type":"presence:heartbeat","data":{}}'


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

    def last(self, type_: str) -> dict[str, Any] | None:
        return next((f for _, f in reversed(self.frames) if f["type"] == type_), None)

    async def wait_for(self, type_: str, limit_s: float = 3600) -> tuple[float, dict[str, Any]]:
        with trio.fail_after(limit_s):
            while (found := self.first(type_)) is None:
                await self._arrived.wait()
            return found

    async def reply_to(self, message_id: str, limit_s: float = 3600) -> dict[str, Any]:
        """The `ack` or `error` answering `message_id`."""
        with trio.fail_after(limit_s):
            while True:
                for _, sent in self.frames:
                    if sent["type"] in ("ack", "error") and sent.get("re") == message_id:
                        return sent
                await self._arrived.wait()

    async def wait_closed(self, limit_s: float = 3600) -> tuple[int, str]:
        with trio.fail_after(limit_s):
            while self.closed is None:
                await self._arrived.wait()
            return self.closed


def frame(text: str) -> m.RoomMessage:
    message = m.parse_client_frame(text)
    assert not isinstance(message, m.Hello | m.TimePing)
    return message


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

    async def owner_and_bob(self) -> tuple[Room, FakeOutlet, FakeOutlet]:
        """A new room, running, with its owner ("ann") and Bob seated."""
        record = await self.new_room()
        room = await self.registry.room_for(record)
        owner, bob = FakeOutlet(), FakeOutlet()
        await room.join(owner, Joiner(record.owner_id, "ann", False))
        await room.join(bob, Joiner("bob", "Bob", False))
        return room, owner, bob


@asynccontextmanager
async def open_world(data_dir: Path) -> AsyncIterator[World]:
    """Services on a SQLite file, with a running registry. Tests that use it also take
    `autojump_clock` (pytest-trio runs a test on the clock among its own arguments)."""
    run_inline_in_this_run()
    settings = load_settings(
        environ=TEST_ENVIRONMENT,
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'actor.db'}",
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
