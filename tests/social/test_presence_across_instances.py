"""Presence when an instance dies without a word (ADR 0016): the parts it shared of
its users stop being renewed, and the instances still alive withdraw them and tell
those users' friends what they now see. Two hubs on one real Redis prefix and one
database (SQLite and PostgreSQL); lifetimes shortened so that it takes a second."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
import trio

from syncwatch.clock import Clock
from syncwatch.fabric import Fabric, open_fabric
from syncwatch.fabric.crossing import Crossing
from syncwatch.fabric.redis import RedisFabric
from syncwatch.social.hub import UserHub
from syncwatch.store.repositories import Repositories

pytestmark = pytest.mark.redis


class Outlet:
    def __init__(self, conn_id: str) -> None:
        self.conn_id = conn_id
        self.frames: list[dict[str, Any]] = []

    def deliver(self, text: str) -> None:
        self.frames.append(json.loads(text))

    def statuses_of(self, user_id: str) -> list[str]:
        return [
            f["data"]["status"]
            for f in self.frames
            if f["type"] == "friend:presence" and f["data"]["userId"] == user_id
        ]


@pytest.fixture
async def fabric(redis_url: str) -> AsyncIterator[Fabric]:
    found = await open_fabric(redis_url, prefix=f"swtest:{secrets.token_hex(4)}:")
    yield found
    primary = getattr(found, "primary", None)
    if isinstance(primary, RedisFabric):
        await primary.purge_prefix()
    await found.close()


def hub_on(instance: str, repositories: Repositories, fabric: Fabric) -> UserHub:
    clock = Clock()
    return UserHub(
        repositories,
        crossing=Crossing(fabric, clock, instance=instance),
        fabric=fabric,
        clock=clock,
        share_refresh_s=0.2,
        share_ttl_s=0.6,
    )


async def test_friends_see_the_users_of_a_dead_instance_go_offline(
    repositories: Repositories, fabric: Fabric
) -> None:
    ann = await repositories.users.create("ann@example.org", "ann", "h")
    bob = await repositories.users.create("bob@example.org", "bob", "h")
    await repositories.friendships.request(ann.id, bob.id, 1)
    await repositories.friendships.accept(ann.id, bob.id, 2)
    a, b = hub_on("a", repositories, fabric), hub_on("b", repositories, fabric)
    bob_socket = Outlet("bob-1")
    async with trio.open_nursery() as nursery:
        await nursery.start(b.run)
        async with trio.open_nursery() as instance_a:
            await instance_a.start(a.run)
            await a.connect(ann.id, "ann", Outlet("ann-1"))
            welcome = await b.connect(bob.id, "bob", bob_socket)
            assert [(f.username, f.status) for f in welcome] == [("ann", "online")]
            await trio.sleep(0.5)  # both instances renew and see each other
            instance_a.cancel_scope.cancel()  # A dies: no disconnect, no goodbye
        with trio.fail_after(5):
            while "offline" not in bob_socket.statuses_of(ann.id):
                await trio.sleep(0.05)
        seen = await b.views({ann.id: "ann"})
        assert seen[ann.id].status == "offline"
        nursery.cancel_scope.cancel()
