"""The deny-list of signed-out sessions (issue 12 §5.12): shared by every instance
through Redis, and still held by the instance that was told when Redis is away."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
import trio

from syncwatch.auth.identity import Caller
from syncwatch.auth.revocation import Revocations
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
    revocations.close_subject("u1")
    assert other.told == 1


async def test_an_entry_lapses_with_the_access_tokens_it_refuses(autojump_clock: Any) -> None:
    revocations = Revocations(UnreachableFabric(), Clock(), TTL_S)
    await revocations.revoke_sessions(["s1"])
    await trio.sleep(TTL_S - 1)
    assert await revocations.is_revoked(caller("s1"))
    await trio.sleep(2)
    assert not await revocations.is_revoked(caller("s1"))
