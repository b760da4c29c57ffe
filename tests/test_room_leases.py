"""Room leases on the real Redis (syncwatch/fabric/leases.py, ADR 0015): one holder
at a time, a larger fencing token at every grant, renewal and release only by the
holder, and a lease that expires passes on."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
import trio

from syncwatch.fabric.leases import HeldElsewhere, Lease, RoomLeases

pytestmark = pytest.mark.redis


@pytest.fixture
async def prefix(redis_url: str) -> AsyncIterator[str]:
    prefix = f"swtest:{secrets.token_hex(4)}:"
    yield prefix
    cleaner = RoomLeases(redis_url, prefix=prefix)
    await cleaner.purge_prefix()
    await cleaner.close()


async def instance(redis_url: str, prefix: str, name: str, ttl_s: float = 10.0) -> RoomLeases:
    """An instance's leases, the instance alive (it beat, and counts as alive for 3 s)."""
    leases = RoomLeases(redis_url, prefix=prefix, holder=name, ttl_s=ttl_s)
    await leases.beat()
    return leases


async def test_one_instance_at_a_time_holds_a_room(redis_url: str, prefix: str) -> None:
    a, b = await instance(redis_url, prefix, "a"), await instance(redis_url, prefix, "b")
    first = await a.acquire("ROOM2345")
    assert isinstance(first, Lease)
    refused = await b.acquire("ROOM2345")
    assert isinstance(refused, HeldElsewhere)
    # Told to come back when the holder, alive now, could be dead (3 s after its beat).
    assert 2.5 < refused.retry_after_s <= 3
    # Another room is free; the holder asking again keeps its token.
    assert isinstance(await b.acquire("ROOM6789"), Lease)
    again = await a.acquire("ROOM2345")
    assert isinstance(again, Lease)
    assert again.token == first.token


async def test_a_released_lease_passes_on_with_a_larger_token(redis_url: str, prefix: str) -> None:
    a, b = await instance(redis_url, prefix, "a"), await instance(redis_url, prefix, "b")
    first = await a.acquire("ROOM2345")
    assert isinstance(first, Lease)
    await b.release(Lease("ROOM2345", "b", first.token))  # not b's: nothing happens
    assert isinstance(await b.acquire("ROOM2345"), HeldElsewhere)
    await a.release(first)
    second = await b.acquire("ROOM2345")
    assert isinstance(second, Lease)
    assert second.token > first.token
    assert await a.renew(first) is False
    assert await b.renew(second) is True


async def test_a_lease_not_renewed_expires_and_the_old_holder_cannot_renew_it(
    redis_url: str, prefix: str
) -> None:
    a = await instance(redis_url, prefix, "a", ttl_s=0.3)
    b = await instance(redis_url, prefix, "b", ttl_s=0.3)
    first = await a.acquire("ROOM2345")
    assert isinstance(first, Lease)
    for _ in range(3):  # renewed in time, it holds past its first term
        await trio.sleep(0.15)
        assert await a.renew(first) is True
    assert isinstance(await b.acquire("ROOM2345"), HeldElsewhere)
    await trio.sleep(0.5)  # a is frozen: no renewal
    taken = await b.acquire("ROOM2345")
    assert isinstance(taken, Lease)
    assert taken.token > first.token
    assert await a.renew(first) is False


async def test_a_room_whose_holder_stopped_beating_is_taken_over_before_its_lease_expires(
    redis_url: str, prefix: str
) -> None:
    a = RoomLeases(redis_url, prefix=prefix, holder="a", instance_ttl_s=0.3)
    b = RoomLeases(redis_url, prefix=prefix, holder="b", instance_ttl_s=0.3)
    await a.beat()
    first = await a.acquire("ROOM2345")
    assert isinstance(first, Lease)
    for _ in range(3):  # while a beats, its 10 s lease keeps the room a's
        await trio.sleep(0.15)
        await a.beat()
        refused = await b.acquire("ROOM2345")
        assert isinstance(refused, HeldElsewhere)
        assert 0 < refused.retry_after_s <= 0.3  # told to come back when a may be dead
    await trio.sleep(0.4)  # a died: no beat, its lease still has over 9 s to run
    taken = await b.acquire("ROOM2345")
    assert isinstance(taken, Lease)
    assert taken.token > first.token
    assert await a.renew(first) is False


async def test_tokens_stay_above_the_databases_fence_when_redis_forgot_its_counters(
    redis_url: str, prefix: str
) -> None:
    a = await instance(redis_url, prefix, "a")
    granted = await a.acquire("ROOM2345", floor=41)  # the database knows token 41
    assert isinstance(granted, Lease)
    assert granted.token == 42
    await a.release(granted)
    again = await a.acquire("ROOM2345", floor=42)
    assert isinstance(again, Lease)
    assert again.token == 43


async def test_a_lease_redis_forgot_is_taken_back_by_its_holder_unless_granted_since(
    redis_url: str, prefix: str
) -> None:
    a, b = await instance(redis_url, prefix, "a"), await instance(redis_url, prefix, "b")
    first = await a.acquire("ROOM2345", floor=7)
    assert isinstance(first, Lease)
    await a.purge_prefix()  # Redis restarted without its data
    await a.beat()
    await b.beat()
    assert await a.renew(first) is True  # the room goes on where it runs
    refused = await b.acquire("ROOM2345", floor=first.token)
    assert isinstance(refused, HeldElsewhere)
    # Forgotten again, and this time b took the room before a renewed: a has lost it.
    await a.purge_prefix()
    await a.beat()
    await b.beat()
    taken = await b.acquire("ROOM2345", floor=first.token)
    assert isinstance(taken, Lease)
    assert taken.token > first.token
    assert await a.renew(first) is False
