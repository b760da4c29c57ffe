"""The deny-list of signed-out sessions (issue 12 §5.12): shared by every instance
through Redis, and still held by the instance that was told when Redis is away."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
import trio

from syncwatch.auth.identity import Caller
from syncwatch.auth.revocation import FEED_POLL_S, FEED_RETRY_S, RECHECK_S, Revocations
from syncwatch.clock import Clock
from syncwatch.fabric.local import LocalFabric
from syncwatch.fabric.redis import RedisFabric

TTL_S = 900


def caller(session: str, token: str = "t1") -> Caller:
    return Caller("u1", "ann", False, session_id=session, token_id=token, expires_at_s=2**40)


class Recorder:
    def __init__(self) -> None:
        self.told = 0

    def signed_out(self) -> None:
        self.told += 1


class UnreachableFabric(LocalFabric):
    async def set_value(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        raise ConnectionError("redis is down")

    async def get_value(self, key: str) -> bytes | None:
        raise ConnectionError("redis is down")


@pytest.mark.redis
async def test_a_sign_out_on_one_instance_is_refused_on_every_other(redis_url: str) -> None:
    prefix = f"swtest:{secrets.token_hex(6)}:"
    one, other = RedisFabric(redis_url, prefix=prefix), RedisFabric(redis_url, prefix=prefix)
    try:
        here, there = Revocations(one, Clock(), TTL_S), Revocations(other, Clock(), TTL_S)
        await here.revoke_sessions(["s1"])
        assert await there.is_revoked(caller("s1"))
        assert not await there.is_revoked(caller("s2", token="t2"))
        await here.revoke_token(caller("s3", token="t3"))
        assert await there.is_revoked(caller("s4", token="t3"))
    finally:
        await one.purge_prefix()
        await one.close()
        await other.close()


async def test_the_instance_told_still_refuses_while_the_shared_list_is_unreachable() -> None:
    revocations = Revocations(UnreachableFabric(), Clock(), TTL_S)
    await revocations.revoke_sessions(["s1"])
    assert await revocations.is_revoked(caller("s1"))
    assert not await revocations.is_revoked(caller("s2", token="t2"))


async def test_revoking_a_session_tells_its_sockets_and_no_others() -> None:
    revocations = Revocations(LocalFabric(), Clock(), TTL_S)
    mine, other, gone = Recorder(), Recorder(), Recorder()
    revocations.attach(caller("s1"), mine)
    revocations.attach(caller("s2"), other)
    revocations.attach(caller("s1"), gone)
    revocations.detach(caller("s1"), gone)

    await revocations.revoke_sessions(["s1"])

    assert (mine.told, other.told, gone.told) == (1, 0, 0)
    await revocations.close_subject("u1")
    assert other.told == 1


async def test_an_entry_lapses_with_the_access_tokens_it_refuses(autojump_clock: Any) -> None:
    revocations = Revocations(UnreachableFabric(), Clock(), TTL_S)
    await revocations.revoke_sessions(["s1"])
    await trio.sleep(TTL_S - 1)
    assert await revocations.is_revoked(caller("s1"))
    await trio.sleep(2)
    assert not await revocations.is_revoked(caller("s1"))


async def test_a_sign_out_elsewhere_closes_this_instances_sockets_within_a_poll(
    autojump_clock: Any,
) -> None:
    """Two instances reading one feed: a session ended on one closes its sockets on the
    other at the next read of the feed, long before the recheck of open sockets."""
    shared = LocalFabric()
    here, there = Revocations(shared, Clock(), TTL_S), Revocations(shared, Clock(), TTL_S)
    phone, laptop, account = Recorder(), Recorder(), Recorder()
    there.attach(caller("s1"), phone)
    there.attach(caller("s2"), laptop)
    there.attach(Caller("u2", "bea", False, session_id="s9", token_id="t9"), account)
    async with trio.open_nursery() as nursery:
        await nursery.start(there.run)
        await trio.sleep(5)
        started = trio.current_time()
        await here.revoke_sessions(["s1"])
        while not phone.told:
            await trio.sleep(0.01)
        assert trio.current_time() - started <= FEED_POLL_S + 0.02  # the next read
        assert laptop.told == 0
        await here.close_subject("u2")  # an account deleted elsewhere
        await trio.sleep(FEED_POLL_S)
        assert (phone.told, laptop.told, account.told) == (1, 0, 1)
        nursery.cancel_scope.cancel()


async def test_the_feed_reader_skips_what_was_signed_out_before_it_started(
    autojump_clock: Any,
) -> None:
    """A new instance (or one whose first read failed) reads the feed from its oldest
    event, but an account closed before it started cannot touch a socket opened since."""
    shared, clock = LocalFabric(), Clock()  # one clock: instances' clocks agree (NTP)
    here = Revocations(shared, clock, TTL_S)
    await here.close_subject("u1")  # e.g. a password reset, before the other instance ran
    await trio.sleep(60)
    there = Revocations(shared, clock, TTL_S)
    fresh = Recorder()
    there.attach(caller("s5"), fresh)  # signed in again with the new password
    async with trio.open_nursery() as nursery:
        await nursery.start(there.run)
        await trio.sleep(3 * FEED_POLL_S)
        assert fresh.told == 0
        nursery.cancel_scope.cancel()


class FlakyFeedFabric(LocalFabric):
    """A fabric whose feed cannot be read until `reachable` is set."""

    reachable = False

    async def read_feed(self, feed: str, after: str | None) -> tuple[list[bytes], str]:
        if not self.reachable:
            raise ConnectionError("redis is down")
        return await super().read_feed(feed, after)


async def test_a_reader_that_could_not_read_catches_up_without_losing_a_sign_out(
    autojump_clock: Any,
) -> None:
    shared = FlakyFeedFabric()
    here, there = Revocations(shared, Clock(), TTL_S), Revocations(shared, Clock(), TTL_S)
    phone = Recorder()
    there.attach(caller("s1"), phone)
    async with trio.open_nursery() as nursery:
        await nursery.start(there.run)
        await here.revoke_sessions(["s1"])
        await trio.sleep(30)
        assert phone.told == 0  # the feed is unreachable (`recheck`, not run here, remains)
        shared.reachable = True
        await trio.sleep(FEED_RETRY_S + FEED_POLL_S)
        assert phone.told == 1
        nursery.cancel_scope.cancel()


class CountingFabric(LocalFabric):
    """A shared deny-list that counts the questions it is asked."""

    asked = 0

    async def get_value(self, key: str) -> bytes | None:
        self.asked += 1
        return await super().get_value(key)


async def test_the_recheck_closes_sockets_of_a_session_ended_elsewhere_asking_once_a_token(
    autojump_clock: Any,
) -> None:
    """The feed missed a sign-out (it was unreachable): within `RECHECK_S` the recheck finds
    it in the shared deny-list and tells that session's sockets, and only them, once;
    three sockets opened with one token cost one question, not three."""
    shared = CountingFabric()
    here, there = Revocations(shared, Clock(), TTL_S), Revocations(shared, Clock(), TTL_S)
    tabs = [Recorder() for _ in range(3)]
    for tab in tabs:
        there.attach(caller("s1"), tab)
    other = Recorder()
    there.attach(caller("s2", token="t2"), other)
    async with trio.open_nursery() as nursery:
        await nursery.start(there.recheck)
        await trio.sleep(RECHECK_S + 0.5)
        assert [tab.told for tab in tabs] == [0, 0, 0]
        # One token (jti + sid) per distinct caller: 2 callers, 2 keys each at most.
        assert shared.asked <= 4
        await here.revoke_sessions(["s1"])  # published on a feed `there` does not read
        started = trio.current_time()
        while not tabs[0].told:
            await trio.sleep(0.1)
        assert trio.current_time() - started <= RECHECK_S + 0.2
        await trio.sleep(3 * RECHECK_S)
        assert [tab.told for tab in tabs] == [1, 1, 1]  # told once, however many rechecks
        assert other.told == 0
        nursery.cancel_scope.cancel()


@pytest.mark.redis
async def test_the_signed_out_feed_is_shared_through_redis(redis_url: str) -> None:
    prefix = f"swtest:{secrets.token_hex(6)}:"
    one, other = RedisFabric(redis_url, prefix=prefix), RedisFabric(redis_url, prefix=prefix)
    try:
        assert await other.read_feed("f", None) == ([], "0-0")
        await one.publish("f", b"first", keep_s=60)
        await one.publish("f", b"second", keep_s=60)
        events, cursor = await other.read_feed("f", None)
        assert events == [b"first", b"second"]
        assert await other.read_feed("f", cursor) == ([], cursor)
        await one.publish("f", b"third", keep_s=60)
        assert (await other.read_feed("f", cursor))[0] == [b"third"]
    finally:
        await one.purge_prefix()
        await one.close()
        await other.close()
