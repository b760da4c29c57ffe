"""A room runs on one instance at a time (ADR 0015, issue 15 §2).

Two server instances share one database and one Redis key prefix, as behind
nginx. While instance A holds a room's lease, a join on B is refused with
`room_unavailable` and close 1013 instead of starting the room a second time.
When A's lease expires while A is frozen (it renews nothing), B takes the room
over from its snapshot; A's next write is refused for its older fencing token,
A closes its members with 1012, and they reconnect to B with no gap in sequence
numbers.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import httpx
import pytest
import redis
import trio

from syncwatch.components import Components, open_components
from syncwatch.server import run_server
from syncwatch.settings import Settings
from tests.support.instances import two_instances
from tests.support.redis_server import own_redis
from tests.support.sessions import sign_up
from tests.support.ws import create_room, room_client

pytestmark = pytest.mark.redis

SOURCE = {"sourceType": "url", "url": "https://example.org/film.mp4"}


@pytest.fixture
def settings(settings_factory: Any, redis_url: str) -> Settings:
    settings: Settings = settings_factory(redis_url=redis_url, register_limit_per_hour=0)
    return settings


def expire_lease(
    client: redis.Redis, components: Components, code: str, *, granted_since: bool = False
) -> None:
    """What Redis does to a lease nobody renewed: it is gone. `granted_since`: another
    instance was also granted the room since (its fence counter moved on), so the old
    holder cannot take the lease back."""
    leases = components.services.room_leases
    assert leases is not None
    assert client.delete(f"{leases.prefix}lease:{code}") == 1
    if granted_since:
        client.incr(f"{leases.prefix}fence:{code}")


async def test_a_room_lives_on_one_instance_and_a_stale_owner_cannot_write(
    settings: Settings,
) -> None:
    async with two_instances(settings) as ((a, on_a), (b, _), client):
        leases = on_a.services.room_leases
        assert leases is not None
        leases.ttl_s = 600  # A renews nothing during the test: a frozen owner
        async with httpx.AsyncClient(base_url=a) as http:
            ann = (await sign_up(http, "ann"))["token"]
            bob = (await sign_up(http, "bob"))["token"]
            code = (await create_room(http, ann, playbackControl="all"))["code"]

        async with room_client(a, code, ann) as ann_on_a:
            await ann_on_a.reply_to(await ann_on_a.send("sync:source", SOURCE))
            played = await ann_on_a.send("sync:play")
            assert (await ann_on_a.reply_to(played))["data"]["sequenceNumber"] == 2

            # B does not start a second copy of the room while A holds it.
            async with room_client(b, code, bob, expect_welcome=False) as refused:
                error = await refused.expect("error")
                assert error["data"]["code"] == "room_unavailable"
                # Not the lease's 600 s: A beats, and may be taken for dead 3 s after
                # its last beat, so that is when to come back.
                assert 1 <= error["data"]["retryAfter"] <= 3
                assert await refused.closed_with() == 1013

            # A's lease expires while A is frozen; B takes the room from its snapshot.
            expire_lease(client, on_a, code)
            async with room_client(b, code, bob) as bob_on_b:
                assert bob_on_b.welcome["state"]["sequenceNumber"] == 2
                assert bob_on_b.welcome["state"]["isPlaying"] is True

                # A wakes and writes: refused, its members told to reconnect.
                paused = await ann_on_a.send("sync:pause")
                assert await ann_on_a.closed_with() == 1012
                assert paused  # never acknowledged: the command was not applied anywhere

                async with room_client(b, code, ann) as ann_on_b:
                    assert ann_on_b.welcome["state"]["sequenceNumber"] == 2
                    assert ann_on_b.welcome["state"]["isPlaying"] is True
                    again = await ann_on_b.send("sync:pause")
                    assert (await ann_on_b.reply_to(again))["data"]["sequenceNumber"] == 3
                    assert (await bob_on_b.expect("sync:command"))["data"]["sequenceNumber"] == 3


async def test_a_stale_owner_stores_no_chat_line(settings: Settings) -> None:
    async with two_instances(settings) as ((a, on_a), (b, _), client):
        leases = on_a.services.room_leases
        assert leases is not None
        leases.ttl_s = 600  # frozen: no renewal
        async with httpx.AsyncClient(base_url=a) as http:
            ann = (await sign_up(http, "ann"))["token"]
            code = (await create_room(http, ann))["code"]

        async with room_client(a, code, ann) as ann_on_a:
            said = await ann_on_a.send("chat:message", {"content": "before"})
            assert (await ann_on_a.reply_to(said))["type"] == "ack"
            expire_lease(client, on_a, code)
            async with room_client(b, code, ann) as ann_on_b:
                await ann_on_a.send("chat:message", {"content": "from the stale owner"})
                assert await ann_on_a.closed_with() == 1012
                said = await ann_on_b.send("chat:message", {"content": "after"})
                assert (await ann_on_b.reply_to(said))["type"] == "ack"
            async with room_client(b, code, ann) as again:
                lines = [
                    m.get("content") for m in again.welcome["chat"] if m.get("kind") != "system"
                ]
                assert lines == ["before", "after"]


async def test_an_owner_that_finds_its_lease_taken_closes_its_members_with_1012(
    settings: Settings,
) -> None:
    async with two_instances(settings) as ((a, on_a), (b, _), client):
        leases = on_a.services.room_leases
        assert leases is not None
        leases.ttl_s = 0.6  # renewed every 0.2 s
        async with httpx.AsyncClient(base_url=a) as http:
            ann = (await sign_up(http, "ann"))["token"]
            bob = (await sign_up(http, "bob"))["token"]
            code = (await create_room(http, ann, playbackControl="all"))["code"]

        async with room_client(a, code, ann) as ann_on_a:
            expire_lease(client, on_a, code, granted_since=True)
            async with room_client(b, code, bob) as bob_on_b:
                # A's next renewal finds B's lease: A ends the room, nothing written.
                assert await ann_on_a.closed_with(timeout=5) == 1012
                async with room_client(b, code, ann) as ann_on_b:
                    chosen = await ann_on_b.send("sync:source", SOURCE)
                    assert (await ann_on_b.reply_to(chosen))["data"]["sequenceNumber"] == 1
                    assert (await bob_on_b.expect("sync:command"))["data"]["sequenceNumber"] == 1


async def test_with_redis_down_a_room_still_starts_and_plays(settings_factory: Any) -> None:
    """A Redis outage is not an outage of SyncWatch: without a lease to take, the room
    starts as it did before leases, with the fencing token last claimed."""
    with own_redis() as server:
        settings = settings_factory(redis_url=server.url, register_limit_per_hour=0)
        async with (
            open_components(settings, fabric_prefix="swtest:leases:") as components,
            trio.open_nursery() as nursery,
        ):
            stop = trio.Event()
            base = (await nursery.start(partial(run_server, components, stop=stop)))[0]
            async with httpx.AsyncClient(base_url=base) as http:
                ann = (await sign_up(http, "ann"))["token"]
                code = (await create_room(http, ann))["code"]
            server.stop()
            async with room_client(base, code, ann) as ann_in_room:
                chosen = await ann_in_room.send("sync:source", SOURCE)
                assert (await ann_in_room.reply_to(chosen))["data"]["sequenceNumber"] == 1
            stop.set()


async def test_a_room_whose_instance_stopped_beating_is_taken_over_before_its_lease_expires(
    settings: Settings,
) -> None:
    """A dead instance (kill -9) renews nothing and beats no more: its rooms are taken
    over as soon as its beat has expired, not when their 10 s leases run out."""
    async with two_instances(settings) as ((a, on_a), (b, _), client):
        leases = on_a.services.room_leases
        assert leases is not None
        async with httpx.AsyncClient(base_url=a) as http:
            ann = (await sign_up(http, "ann"))["token"]
            bob = (await sign_up(http, "bob"))["token"]
            code = (await create_room(http, ann, playbackControl="all"))["code"]

        async with room_client(a, code, ann) as ann_on_a:
            chosen = await ann_on_a.send("sync:source", SOURCE)
            assert (await ann_on_a.reply_to(chosen))["data"]["sequenceNumber"] == 1

            async def dead() -> None:
                """A stops beating (its lease, renewed 3 s ago at most, lives on)."""

            leases.beat = dead  # type: ignore[method-assign]
            await trio.sleep(leases.beat_every_s + 0.1)  # no beat of A's still on its way
            client.delete(f"{leases.prefix}instance:{leases.holder}")  # its last beat expired
            assert client.pttl(f"{leases.prefix}lease:{code}") > 5000
            async with room_client(b, code, bob) as bob_on_b:
                assert bob_on_b.welcome["state"]["sequenceNumber"] == 1
                played = await bob_on_b.send("sync:play")
                assert (await bob_on_b.reply_to(played))["data"]["sequenceNumber"] == 2
                # A, were it only frozen, can no longer write: its members move to B.
                await ann_on_a.send("sync:pause")
                assert await ann_on_a.closed_with() == 1012
