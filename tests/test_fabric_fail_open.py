"""Rate limits fail open when Redis is down or frozen, and come back without a restart
(issue 12 §5.11). Runs against a Redis server of its own, stopped and frozen by PID."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator, Iterator

import pytest
import redis
import trio

from syncwatch.fabric.fail_open import CALL_DEADLINE_S, FailOpenFabric
from syncwatch.fabric.redis import RedisFabric
from tests.support.redis_server import OwnRedis, own_redis

RETRY_AFTER_S = 0.3


@pytest.fixture
def server() -> Iterator[OwnRedis]:
    with own_redis() as found:
        yield found


@pytest.fixture
async def fabric(server: OwnRedis) -> AsyncIterator[FailOpenFabric]:
    found = FailOpenFabric(
        RedisFabric(server.url, prefix=f"swtest:{secrets.token_hex(4)}:"),
        retry_after_s=RETRY_AFTER_S,
    )
    try:
        yield found
    finally:
        await found.close()


def now_ms() -> int:
    return int(time.time() * 1000)


def counted_in_redis(server: OwnRedis) -> int:
    """How many limit keys the Redis server holds (in whichever logical database)."""
    return sum(len(redis.Redis(port=server.port, db=db).keys("*rl:*")) for db in range(16))


async def timed(call: object) -> float:
    started = time.perf_counter()
    await call  # type: ignore[misc]
    return time.perf_counter() - started


async def test_limits_are_shared_in_redis_while_it_answers(
    fabric: FailOpenFabric, server: OwnRedis
) -> None:
    assert (await fabric.hit("login:ann", 2, 60, now_ms())).allowed
    assert fabric.degraded() is None
    assert counted_in_redis(server) == 1


async def test_a_frozen_redis_stalls_one_call_briefly_then_limits_are_counted_locally(
    fabric: FailOpenFabric, server: OwnRedis
) -> None:
    await fabric.ping()
    server.freeze()
    try:
        first = await timed(fabric.hit("login:bob", 3, 60, now_ms()))
        assert first < CALL_DEADLINE_S + 0.2
        assert fabric.degraded()
        # Degraded: no call waits on Redis any more, and the limit still holds.
        started = time.perf_counter()
        decisions = [await fabric.hit("login:bob", 3, 60, now_ms()) for _ in range(3)]
        assert time.perf_counter() - started < 0.05
        assert [d.allowed for d in decisions] == [True, True, False]
        assert decisions[2].retry_after_s > 0
        # Parallel reservations on the fallback never pass the limit either.
        granted = []

        async def attempt() -> None:
            decision, token = await fabric.reserve("room-pw:r:ip", 3, 1800, now_ms())
            if decision.allowed:
                granted.append(token)

        async with trio.open_nursery() as nursery:
            for _ in range(20):
                nursery.start_soon(attempt)
        assert len(granted) == 3
        assert all(token is not None and token.startswith("l|") for token in granted)
        await fabric.release("room-pw:r:ip", granted[0] or "")
        assert (await fabric.reserve("room-pw:r:ip", 3, 1800, now_ms()))[0].allowed
    finally:
        server.thaw()


async def test_after_redis_comes_back_limits_are_shared_again_without_a_restart(
    fabric: FailOpenFabric, server: OwnRedis
) -> None:
    server.stop()
    assert (await fabric.hit("k", 5, 60, now_ms())).allowed
    assert fabric.degraded()
    server.start()  # the same port: a restarted Redis, empty
    # Within the retry period the fabric leaves Redis alone ...
    assert (await fabric.hit("k", 5, 60, now_ms())).allowed
    assert fabric.degraded()
    assert counted_in_redis(server) == 0
    # ... after it, the next call finds Redis and the degradation ends.
    await trio.sleep(RETRY_AFTER_S + 0.05)
    assert (await fabric.hit("k", 5, 60, now_ms())).allowed
    assert fabric.degraded() is None
    assert counted_in_redis(server) == 1


async def test_the_readiness_ping_asks_redis_itself_and_ends_a_degradation(
    fabric: FailOpenFabric, server: OwnRedis
) -> None:
    server.freeze()
    try:
        with pytest.raises(Exception, match="Redis is unavailable"):
            await fabric.ping()
        assert fabric.degraded()
    finally:
        server.thaw()
    await fabric.ping()
    assert fabric.degraded() is None
