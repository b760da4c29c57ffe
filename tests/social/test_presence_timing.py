"""Presence over time, on `MockClock`: a signed-in user with no activity for five
minutes is away for their friends; doing something makes them online again; busy
and invisible never turn away. Stored things (friendships, the chosen status)
are real rows on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import trio
import trio.testing

from syncwatch.social.hub import ROOM_REFRESH_S, UserHub
from syncwatch.social.presence import AWAY_AFTER_S
from syncwatch.store.repositories import Repositories


class Outlet:
    def __init__(self, conn_id: str) -> None:
        self.conn_id = conn_id
        self.frames: list[dict[str, Any]] = []

    def deliver(self, text: str) -> None:
        self.frames.append(json.loads(text))

    def presence(self) -> list[tuple[str, str]]:
        return [
            (f["data"]["username"], f["data"]["status"])
            for f in self.frames
            if f["type"] == "friend:presence"
        ]


async def settle(until: Any = None) -> None:
    """Let the hub finish what it started (its database calls run in threads)."""
    for _ in range(500):
        await trio.testing.wait_all_tasks_blocked()
        if until is None or until():
            return
        await trio.to_thread.run_sync(time.sleep, 0.005)
    raise AssertionError("the hub never got there")


@pytest.fixture
async def friends(repositories: Repositories) -> tuple[str, str]:
    ann = await repositories.users.create("ann@example.org", "ann", "h")
    bob = await repositories.users.create("bob@example.org", "bob", "h")
    await repositories.friendships.request(ann.id, bob.id, 1)
    await repositories.friendships.accept(ann.id, bob.id, 2)
    return ann.id, bob.id


@pytest.fixture
async def hub(repositories: Repositories) -> AsyncIterator[UserHub]:
    found = UserHub(repositories)
    async with trio.open_nursery() as nursery:
        await nursery.start(found.run)
        yield found
        nursery.cancel_scope.cancel()


async def test_a_friend_is_away_after_five_idle_minutes_and_back_when_active(
    mock_clock: trio.testing.MockClock, hub: UserHub, friends: tuple[str, str]
) -> None:
    ann_id, bob_id = friends
    bob = Outlet("bob-1")
    await hub.connect(bob_id, "bob", bob)
    await hub.connect(ann_id, "ann", Outlet("ann-1"))
    await settle()
    assert bob.presence() == [("ann", "online")]

    mock_clock.jump(AWAY_AFTER_S - 1)
    await settle()
    assert bob.presence() == [("ann", "online")], "not away a second early"

    mock_clock.jump(1)
    await settle(until=lambda: len(bob.presence()) == 2)
    assert bob.presence()[-1] == ("ann", "away")

    await hub.active(ann_id)
    await settle()
    assert bob.presence()[-1] == ("ann", "online")
    # Activity restarts the five minutes.
    mock_clock.jump(AWAY_AFTER_S - 1)
    await settle()
    assert bob.presence()[-1] == ("ann", "online")


async def test_busy_and_invisible_never_turn_away_and_invisible_looks_offline(
    mock_clock: trio.testing.MockClock,
    hub: UserHub,
    friends: tuple[str, str],
    repositories: Repositories,
) -> None:
    ann_id, bob_id = friends
    bob = Outlet("bob-1")
    await hub.connect(bob_id, "bob", bob)
    await hub.connect(ann_id, "ann", Outlet("ann-1"))
    await hub.choose(ann_id, "busy")
    await settle()
    assert bob.presence()[-1] == ("ann", "busy")
    mock_clock.jump(AWAY_AFTER_S * 3)
    await settle()
    assert bob.presence()[-1] == ("ann", "busy")

    await hub.choose(ann_id, "invisible")
    await settle()
    last = [f for f in bob.frames if f["type"] == "friend:presence"][-1]["data"]
    assert last["status"] == "offline"
    assert last["online"] is False
    # The choice is kept for the next session.
    assert await repositories.users.presence_status(ann_id) == "invisible"
    seen_on_return = await hub.connect(bob_id, "bob", Outlet("bob-2"))
    assert [(f.username, f.status) for f in seen_on_return] == [("ann", "offline")]


async def test_a_room_turned_private_disappears_from_friends_view_within_15_seconds(
    mock_clock: trio.testing.MockClock, repositories: Repositories, friends: tuple[str, str]
) -> None:
    ann_id, bob_id = friends
    rooms = {"FRIDAYXX": ("Friday film", 5, "public")}
    hub = UserHub(repositories, room_lookup=rooms.get)
    async with trio.open_nursery() as nursery:
        await nursery.start(hub.run)
        bob = Outlet("bob-1")
        await hub.connect(bob_id, "bob", bob)
        await hub.connect(ann_id, "ann", Outlet("ann-1"))
        await hub.enter_room("FRIDAYXX", "room-1", ann_id, "ann", registered=True)
        await settle()
        watching = [f for f in bob.frames if f["type"] == "friend:presence"][-1]["data"]
        assert watching["activity"]["roomName"] == "Friday film"

        rooms["FRIDAYXX"] = ("Friday film", 5, "private")
        mock_clock.jump(ROOM_REFRESH_S)
        await settle(until=lambda: "activity" not in bob.frames[-1]["data"])
        assert bob.frames[-1]["data"]["status"] == "online"
        pushed = len(bob.frames)
        mock_clock.jump(ROOM_REFRESH_S * 4)
        await settle()
        assert len(bob.frames) == pushed, "nothing is sent while nothing changes"
        nursery.cancel_scope.cancel()
