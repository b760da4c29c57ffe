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


def instance(redis_url: str, prefix: str, name: str, ttl_s: float = 10.0) -> RoomLeases:
    return RoomLeases(redis_url, prefix=prefix, holder=name, ttl_s=ttl_s)


async def test_one_instance_at_a_time_holds_a_room(redis_url: str, prefix: str) -> None:
    a, b = instance(redis_url, prefix, "a"), instance(redis_url, prefix, "b")
    first = await a.acquire("ROOM2345")
    assert isinstance(first, Lease)
    refused = await b.acquire("ROOM2345")
    assert isinstance(refused, HeldElsewhere)
    assert 9 < refused.retry_after_s <= 10
    # Another room is free; the holder asking again keeps its token.
    assert isinstance(await b.acquire("ROOM6789"), Lease)
    again = await a.acquire("ROOM2345")
    assert isinstance(again, Lease)
    assert again.token == first.token


async def test_a_released_lease_passes_on_with_a_larger_token(redis_url: str, prefix: str) -> None:
    a, b = instance(redis_url, prefix, "a"), instance(redis_url, prefix, "b")
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
    a = instance(redis_url, prefix, "a", ttl_s=0.3)
    b = instance(redis_url, prefix, "b", ttl_s=0.3)
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
