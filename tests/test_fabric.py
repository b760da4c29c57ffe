"""The fabric contract, run on the in-process implementation and on real Redis."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
import trio

from syncwatch.fabric import Fabric
from syncwatch.fabric.local import LocalFabric
from syncwatch.fabric.redis import RedisFabric


@pytest.fixture(params=["local", pytest.param("redis", marks=pytest.mark.redis)])
async def fabric(request: pytest.FixtureRequest) -> AsyncIterator[Fabric]:
    if request.param == "local":
        yield LocalFabric()
        return
    url = request.getfixturevalue("redis_url")
    found = RedisFabric(url, prefix=f"swtest:{secrets.token_hex(6)}:")
    try:
        yield found
    finally:
        await found.purge_prefix()
        await found.close()


async def test_limit_allows_exactly_the_limit_then_says_when_to_retry(fabric: Fabric) -> None:
    now = 1_000_000
    decisions = [await fabric.hit("login:ann", 3, 60, now + i) for i in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[2].remaining == 0
    # The oldest hit (at `now`) leaves the window 60 s later.
    assert decisions[3].retry_after_s == pytest.approx(60 - 0.003, abs=0.002)


async def test_window_slides(fabric: Fabric) -> None:
    now = 2_000_000
    for i in range(3):
        assert (await fabric.hit("k", 3, 10, now + i * 1000)).allowed
    assert not (await fabric.hit("k", 3, 10, now + 9_000)).allowed
    # At now + 10 s the first hit has left the window: one slot is free again.
    assert (await fabric.hit("k", 3, 10, now + 10_000)).allowed
    assert not (await fabric.hit("k", 3, 10, now + 10_001)).allowed


async def test_keys_are_independent_and_reset_clears(fabric: Fabric) -> None:
    now = 3_000_000
    assert (await fabric.hit("a", 1, 60, now)).allowed
    assert not (await fabric.hit("a", 1, 60, now)).allowed
    assert (await fabric.hit("b", 1, 60, now)).allowed
    await fabric.reset("a")
    assert (await fabric.hit("a", 1, 60, now)).allowed


async def test_peek_and_record_count_failures_separately(fabric: Fabric) -> None:
    now = 4_000_000
    for _ in range(3):
        assert (await fabric.hit("pw", 3, 1800, now, consume=False)).allowed
        await fabric.record("pw", 1800, now)
    blocked = await fabric.hit("pw", 3, 1800, now + 1000, consume=False)
    assert not blocked.allowed
    assert blocked.retry_after_s == pytest.approx(1799, abs=0.01)


async def test_values_expire(fabric: Fabric) -> None:
    await fabric.set_value("snap", b"\x00state", ttl_s=60)
    assert await fabric.get_value("snap") == b"\x00state"
    await fabric.delete_value("snap")
    assert await fabric.get_value("snap") is None


async def test_parallel_reservations_never_pass_the_limit(fabric: Fabric) -> None:
    now = 9_000_000
    granted: list[str] = []

    async def attempt() -> None:
        decision, token = await fabric.reserve("room-pw:r1:ip", 3, 1800, now)
        if decision.allowed:
            assert token is not None
            granted.append(token)
        else:
            assert token is None

    async with trio.open_nursery() as nursery:
        for _ in range(40):
            nursery.start_soon(attempt)
    assert len(granted) == 3


async def test_a_released_reservation_is_given_back(fabric: Fabric) -> None:
    now = 9_500_000
    first, token = await fabric.reserve("k", 2, 60, now)
    assert first.allowed
    assert token is not None
    assert (await fabric.reserve("k", 2, 60, now + 1))[0].allowed
    assert not (await fabric.reserve("k", 2, 60, now + 2))[0].allowed
    await fabric.release("k", token)
    again, _ = await fabric.reserve("k", 2, 60, now + 3)
    assert again.allowed
    assert not (await fabric.reserve("k", 2, 60, now + 4))[0].allowed
