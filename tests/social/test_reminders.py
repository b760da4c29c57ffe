"""Scheduled rooms' reminders on `MockClock`: the owner and everyone invited hear 10
minutes before the start and at the start, once each, in their notification centre
and live over `/ws/me`. Stored on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import trio
import trio.testing

from syncwatch.clock import Clock
from syncwatch.social.hub import UserHub
from syncwatch.social.notifications import Notifier
from syncwatch.social.reminders import Reminders
from syncwatch.store import Connection
from syncwatch.store.repositories import Repositories
from syncwatch.store.repositories.notifications import NotificationRepository, new_notification

MINUTE_MS = 60_000


class Outlet:
    conn_id = "bob-1"

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    def deliver(self, text: str) -> None:
        self.frames.append(json.loads(text))

    def reminders(self) -> list[dict[str, Any]]:
        return [
            f["data"]["notification"]
            for f in self.frames
            if f["type"] == "notification" and f["data"]["notification"]["kind"] == "reminder"
        ]


async def settle(until: Any = None) -> None:
    for _ in range(500):
        await trio.testing.wait_all_tasks_blocked()
        if until is None or until():
            return
        await trio.to_thread.run_sync(time.sleep, 0.005)
    raise AssertionError("the reminders never came")


@pytest.fixture
async def running(
    repositories: Repositories, mock_clock: trio.testing.MockClock
) -> AsyncIterator[tuple[Reminders, UserHub, Clock]]:
    clock = Clock(epoch_ms_at_start=1_800_000_000_000)
    hub = UserHub(repositories)
    reminders = Reminders(repositories, Notifier(repositories, hub, clock), clock)
    async with trio.open_nursery() as nursery:
        await nursery.start(reminders.run)
        yield reminders, hub, clock
        nursery.cancel_scope.cancel()


async def reminder_rows(repositories: Repositories, user_id: str) -> list[int | None]:
    return [
        n.data.get("startsAt")
        for n in await repositories.notifications.recent(user_id)
        if n.kind == "reminder"
    ]


async def test_reminders_ten_minutes_before_and_at_the_start(
    mock_clock: trio.testing.MockClock,
    repositories: Repositories,
    running: tuple[Reminders, UserHub, Clock],
) -> None:
    reminders, hub, clock = running
    ann = await repositories.users.create("ann@example.org", "ann", "h")
    bob = await repositories.users.create("bob@example.org", "bob", "h")
    now = clock.now_ms()
    room = await repositories.rooms.create(
        code="FRIDAYXX",
        name="Friday film",
        owner_id=ann.id,
        max_participants=5,
        password_hash=None,
        playback_control="owner_only",
        auto_handover=True,
        created_at=now,
        expires_at=now + 3600_000,
    )
    await repositories.invitations.invite(room.id, bob.id, ann.id, now)
    bob_socket = Outlet()
    await hub.connect(bob.id, "bob", bob_socket)
    starts_at = now + 15 * MINUTE_MS
    await repositories.schedules.set(room.id, starts_at, now)
    reminders.changed()
    await settle()

    mock_clock.jump(5 * 60 - 1)
    await settle()
    assert await reminder_rows(repositories, bob.id) == []

    mock_clock.jump(1)
    await settle(until=lambda: len(bob_socket.reminders()) == 1)
    assert bob_socket.reminders()[0]["roomName"] == "Friday film"
    assert bob_socket.reminders()[0]["startsAt"] == starts_at
    assert await reminder_rows(repositories, ann.id) == [starts_at]

    mock_clock.jump(10 * 60 - 1)
    await settle()
    assert len(bob_socket.reminders()) == 1, "the start reminder waits for the start"

    mock_clock.jump(1)
    await settle(until=lambda: len(bob_socket.reminders()) == 2)
    assert await reminder_rows(repositories, ann.id) == [starts_at, starts_at]
    mock_clock.jump(3600)
    await settle()
    assert len(bob_socket.reminders()) == 2, "each reminder goes out once"


async def test_a_room_scheduled_five_minutes_ahead_gets_only_the_start_reminder(
    mock_clock: trio.testing.MockClock,
    repositories: Repositories,
    running: tuple[Reminders, UserHub, Clock],
) -> None:
    reminders, _hub, clock = running
    ann = await repositories.users.create("ann@example.org", "ann", "h")
    now = clock.now_ms()
    room = await repositories.rooms.create(
        code="SOONROOM",
        name="Soon",
        owner_id=ann.id,
        max_participants=5,
        password_hash=None,
        playback_control="owner_only",
        auto_handover=True,
        created_at=now,
        expires_at=now + 3600_000,
    )
    await repositories.schedules.set(room.id, now + 5 * MINUTE_MS, now)
    reminders.changed()
    await settle()
    mock_clock.jump(5 * 60 - 1)
    await settle()
    assert await reminder_rows(repositories, ann.id) == []
    mock_clock.jump(1)
    for _ in range(200):
        if await reminder_rows(repositories, ann.id):
            break
        await settle()
        await trio.to_thread.run_sync(time.sleep, 0.005)
    assert await reminder_rows(repositories, ann.id) == [now + 5 * MINUTE_MS]


async def test_two_instances_send_each_reminder_once_between_them(
    mock_clock: trio.testing.MockClock, repositories: Repositories
) -> None:
    # Every instance runs the reminder service on the one database: the first to claim a
    # reminder sends it, the other finds it claimed (not once per instance, not never).
    clock = Clock(epoch_ms_at_start=1_800_000_000_000)
    sockets = [Outlet(), Outlet()]
    ann = await repositories.users.create("ann@example.org", "ann", "h")
    bob = await repositories.users.create("bob@example.org", "bob", "h")
    now = clock.now_ms()
    room = await repositories.rooms.create(
        code="TWOINSTS",
        name="Both",
        owner_id=ann.id,
        max_participants=5,
        password_hash=None,
        playback_control="owner_only",
        auto_handover=True,
        created_at=now,
        expires_at=now + 3600_000,
    )
    await repositories.invitations.invite(room.id, bob.id, ann.id, now)
    starts_at = now + 15 * MINUTE_MS
    await repositories.schedules.set(room.id, starts_at, now)
    services = []
    for socket in sockets:
        hub = UserHub(repositories)
        await hub.connect(bob.id, "bob", socket)
        services.append(Reminders(repositories, Notifier(repositories, hub, clock), clock))

    async def both_look() -> None:
        # Both wake for the same reminder at the same moment, as two instances do.
        async with trio.open_nursery() as nursery:
            for reminders in services:
                nursery.start_soon(reminders.send_due)

    mock_clock.jump(5 * 60)
    await both_look()
    assert await reminder_rows(repositories, bob.id) == [starts_at]
    mock_clock.jump(10 * 60)
    await both_look()
    await both_look()
    assert sum(len(s.reminders()) for s in sockets) == 2
    assert await reminder_rows(repositories, bob.id) == [starts_at, starts_at]
    assert await reminder_rows(repositories, ann.id) == [starts_at, starts_at]


async def test_a_reminder_is_claimed_with_its_notifications_or_not_at_all(
    repositories: Repositories,
) -> None:
    # A failure (a crash, a lost connection) between the claim and storing what it
    # sends leaves neither: the reminder stays due, for this instance or another.
    ann = await repositories.users.create("ann@example.org", "ann", "h")
    now = 1_800_000_000_000
    room = await repositories.rooms.create(
        code="ATOMICXX",
        name="Atomic",
        owner_id=ann.id,
        max_participants=5,
        password_hash=None,
        playback_control="owner_only",
        auto_handover=True,
        created_at=now,
        expires_at=now + 3600_000,
    )
    starts_at = now + 15 * MINUTE_MS
    await repositories.schedules.set(room.id, starts_at, now)
    early = now + 5 * MINUTE_MS
    record = new_notification(ann.id, "reminder", {"startsAt": starts_at}, early)

    def store_then_fail(conn: Connection) -> None:
        NotificationRepository.insert(conn, record)
        raise ConnectionError("lost mid-transaction")

    with pytest.raises(ConnectionError):
        await repositories.schedules.mark(room.id, "early", then=store_then_fail)
    assert await reminder_rows(repositories, ann.id) == []
    assert [which for _, which in await repositories.schedules.due(early)] == ["early"]

    def store(conn: Connection) -> None:
        NotificationRepository.insert(conn, record)

    assert await repositories.schedules.mark(room.id, "early", then=store)
    assert not await repositories.schedules.mark(room.id, "early", then=store)
    assert await reminder_rows(repositories, ann.id) == [starts_at]
    assert await repositories.schedules.due(early) == []
