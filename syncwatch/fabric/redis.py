"""Redis fabric: limits and state shared by every instance.

redis-py's synchronous client runs in worker threads through `run_blocking`
(there is no Trio-native Redis client worth depending on). The sliding-window
limit is one Lua script so check-and-add is atomic across instances.

Everything lives in the one database the URL names (`redis://host:6379/3` is
database 3; none named is 0), so an operator can give SyncWatch its own
database, or the only one a managed Redis offers. Keys stay apart by prefix:
`<prefix>rl:` for rate limits, `<prefix>val:` for values, `<prefix>feed:` for
notification feeds, `<prefix>share:` for parts each instance contributes to a
shared record (a user's presence) (`prefix` is `sw:`).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from syncwatch.blocking import run_blocking
from syncwatch.errors import ServiceUnavailable
from syncwatch.fabric import RateDecision

LIMITS = "rl:"
VALUES = "val:"
FEEDS = "feed:"
SHARES = "share:"
FEED_LENGTH = 1000  # events a feed keeps (approximately): far more than a poll ever misses

# A healthy Redis answers in well under a millisecond. redis-py's defaults (5 s,
# three retries with backoff) stalled every request for up to 15 s on a frozen
# Redis; `FailOpenFabric` falls back to in-process limits instead.
SOCKET_TIMEOUT_S = 0.25

# Returns {allowed (0/1), remaining, retry_after_ms}.
_SLIDING_WINDOW = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local consume = ARGV[4] == '1'
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= limit then
  local edge = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  return {0, 0, tonumber(edge[2]) + window - now}
end
if consume then
  redis.call('ZADD', key, now, ARGV[5])
  redis.call('PEXPIRE', key, window)
  count = count + 1
end
return {1, limit - count, 0}
"""


class RedisFabric:
    kind = "redis"

    def __init__(self, url: str, *, prefix: str = "sw:") -> None:
        self.prefix = prefix
        options: dict[str, Any] = {
            "socket_timeout": SOCKET_TIMEOUT_S,
            "socket_connect_timeout": SOCKET_TIMEOUT_S,
            "retry": Retry(NoBackoff(), 0),
        }
        # No `db=` here: it would override the database the URL names.
        self._redis = redis.Redis.from_url(url, **options)
        self._script = self._redis.register_script(_SLIDING_WINDOW)

    async def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            # Abandoned on cancel: a caller's deadline never waits for a stuck socket.
            return await run_blocking("redis", fn, *args, abandon_on_cancel=True, **kwargs)
        except redis.RedisError as error:
            raise ServiceUnavailable(f"Redis is unavailable: {error}") from error

    def _limit_key(self, key: str) -> str:
        return f"{self.prefix}{LIMITS}{key}"

    def _value_key(self, key: str) -> str:
        return f"{self.prefix}{VALUES}{key}"

    async def hit(
        self, key: str, limit: int, window_s: float, now_ms: int, *, consume: bool = True
    ) -> RateDecision:
        decision, _ = await self._hit(key, limit, window_s, now_ms, consume=consume)
        return decision

    async def _hit(
        self, key: str, limit: int, window_s: float, now_ms: int, *, consume: bool
    ) -> tuple[RateDecision, str]:
        member = f"{now_ms}:{secrets.token_hex(6)}"
        allowed, remaining, retry_ms = await self._call(
            self._script,
            keys=[self._limit_key(key)],
            args=[now_ms, int(window_s * 1000), limit, "1" if consume else "0", member],
        )
        return RateDecision(bool(allowed), int(remaining), max(int(retry_ms), 0) / 1000), member

    async def reserve(
        self, key: str, limit: int, window_s: float, now_ms: int
    ) -> tuple[RateDecision, str | None]:
        # The script checks and adds in one step, across every instance.
        decision, member = await self._hit(key, limit, window_s, now_ms, consume=True)
        return decision, (member if decision.allowed else None)

    async def release(self, key: str, token: str) -> None:
        await self._call(self._redis.zrem, self._limit_key(key), token)

    async def record(self, key: str, window_s: float, now_ms: int) -> None:
        full = self._limit_key(key)
        member = f"{now_ms}:{secrets.token_hex(6)}"

        def add() -> None:
            with self._redis.pipeline() as pipe:
                pipe.zadd(full, {member: now_ms})
                pipe.pexpire(full, int(window_s * 1000))
                pipe.execute()

        await self._call(add)

    async def reset(self, key: str) -> None:
        await self._call(self._redis.delete, self._limit_key(key))

    async def set_value(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        px = None if ttl_s is None else max(1, int(ttl_s * 1000))
        await self._call(self._redis.set, self._value_key(key), value, px=px)

    async def get_value(self, key: str) -> bytes | None:
        found: bytes | None = await self._call(self._redis.get, self._value_key(key))
        return found

    async def delete_value(self, key: str) -> None:
        await self._call(self._redis.delete, self._value_key(key))

    async def publish(self, feed: str, event: bytes, *, keep_s: float) -> None:
        # A capped Redis stream: unlike pub/sub, a reader that missed a moment (a
        # reconnection, a slow poll) still finds what was published meanwhile.
        key = f"{self.prefix}{FEEDS}{feed}"

        def append() -> None:
            with self._redis.pipeline() as pipe:
                pipe.xadd(key, {"e": event}, maxlen=FEED_LENGTH, approximate=True)
                pipe.pexpire(key, max(1, int(keep_s * 1000)))
                pipe.execute()

        await self._call(append)

    async def read_feed(self, feed: str, after: str | None) -> tuple[list[bytes], str]:
        key = f"{self.prefix}{FEEDS}{feed}"
        cursor = after or "0-0"
        found = await self._call(self._redis.xread, {key: cursor}, count=FEED_LENGTH)
        entries = found[0][1] if found else []
        if not entries:
            return [], cursor
        return [fields[b"e"] for _, fields in entries], entries[-1][0].decode()

    async def share(self, key: str, member: str, value: bytes, *, ttl_s: float) -> None:
        # A hash per key, one field per member. Fields have no expiry of their own in
        # Redis 7.0, so each value carries its deadline; the key expires with its last.
        full = f"{self.prefix}{SHARES}{key}"
        ttl_ms = max(1, int(ttl_s * 1000))
        expires = int(time.time() * 1000) + ttl_ms

        def put() -> None:
            with self._redis.pipeline() as pipe:
                pipe.hset(full, member, b"%d|%b" % (expires, value))
                pipe.pexpire(full, ttl_ms)  # every part has the same lifetime: the newest
                pipe.execute()

        await self._call(put)

    async def unshare(self, key: str, member: str) -> None:
        await self._call(self._redis.hdel, f"{self.prefix}{SHARES}{key}", member)

    async def shares(self, keys: list[str]) -> list[dict[str, bytes]]:
        def get_all() -> list[dict[bytes, bytes]]:
            with self._redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.hgetall(f"{self.prefix}{SHARES}{key}")
                found: list[dict[bytes, bytes]] = pipe.execute()
                return found

        now_ms = int(time.time() * 1000)
        found: list[dict[str, bytes]] = []
        for parts in await self._call(get_all) if keys else []:
            live: dict[str, bytes] = {}
            for member, stored in parts.items():
                expires, _, value = stored.partition(b"|")
                if expires.isdigit() and int(expires) > now_ms:
                    live[member.decode()] = value
            found.append(live)
        return found

    def degraded(self) -> str | None:
        return None  # on its own it fails loudly; `FailOpenFabric` degrades

    async def ping(self) -> None:
        await self._call(self._redis.ping)

    async def close(self) -> None:
        await run_blocking("redis", self._redis.close)

    async def purge_prefix(self) -> int:
        """Delete every key under this fabric's prefix (tests, tear-down)."""

        def purge() -> int:
            keys = list(self._redis.scan_iter(match=f"{self.prefix}*", count=500))
            return int(self._redis.delete(*keys)) if keys else 0

        result: int = await self._call(purge)
        return result
