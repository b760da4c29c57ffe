"""SYNCWATCH_REDIS_URL's database number is the one SyncWatch uses, for everything, and
the rate limits and the values in it stay apart by key prefix (ADR 0014). It used to
be overridden: values went to database 0 and limits to database 2, whatever the URL
said. On the real Redis server."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis

from syncwatch.fabric import open_fabric
from syncwatch.fabric.redis import RedisFabric

pytestmark = pytest.mark.redis
NOW = 1_000_000


def in_database(url: str, number: int) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


def keys_per_database(url: str, prefix: str) -> dict[int, list[str]]:
    """Which of the first 16 databases hold keys under `prefix`, and which keys."""
    found: dict[int, list[str]] = {}
    for number in range(16):
        client = redis.Redis.from_url(in_database(url, number), decode_responses=True)
        with client:
            if keys := sorted(client.scan_iter(match=f"{prefix}*")):
                found[number] = keys
    return found


async def test_limits_and_values_go_to_the_database_the_url_names(redis_url: str) -> None:
    prefix = f"swtest:{secrets.token_hex(6)}:"
    fabric = await open_fabric(in_database(redis_url, 3), prefix=prefix)
    try:
        assert (await fabric.hit("login:ann", 3, 60, NOW)).allowed
        await fabric.set_value("revoked:abc", b"1", ttl_s=60)
        assert await fabric.get_value("revoked:abc") == b"1"

        assert keys_per_database(redis_url, prefix) == {
            3: [f"{prefix}rl:login:ann", f"{prefix}val:revoked:abc"]
        }
    finally:
        await fabric.close()
        cleaner = RedisFabric(in_database(redis_url, 3), prefix=prefix)
        await cleaner.purge_prefix()
        await cleaner.close()


async def test_a_url_without_a_database_uses_database_0(redis_url: str) -> None:
    prefix = f"swtest:{secrets.token_hex(6)}:"
    url = urlunsplit(urlsplit(redis_url)._replace(path=""))
    fabric = RedisFabric(url, prefix=prefix)
    try:
        await fabric.record("room-pw:r1:ip", 1800, NOW)
        await fabric.set_value("marker", b"1", ttl_s=60)

        assert keys_per_database(redis_url, prefix) == {
            0: [f"{prefix}rl:room-pw:r1:ip", f"{prefix}val:marker"]
        }
    finally:
        await fabric.purge_prefix()
        await fabric.close()


async def test_a_value_and_a_limit_with_the_same_name_do_not_meet(redis_url: str) -> None:
    prefix = f"swtest:{secrets.token_hex(6)}:"
    fabric = RedisFabric(in_database(redis_url, 3), prefix=prefix)
    try:
        # Named to collide if both lived under one namespace.
        await fabric.set_value("rl:x", b"kept", ttl_s=60)
        await fabric.set_value("x", b"kept too", ttl_s=60)
        assert (await fabric.hit("x", 1, 60, NOW)).allowed
        assert not (await fabric.hit("x", 1, 60, NOW + 1)).allowed
        await fabric.reset("x")

        assert await fabric.get_value("rl:x") == b"kept"
        assert await fabric.get_value("x") == b"kept too"
        assert (await fabric.hit("x", 1, 60, NOW + 2)).allowed
    finally:
        await fabric.purge_prefix()
        await fabric.close()
