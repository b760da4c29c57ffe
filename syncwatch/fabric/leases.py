"""Room leases in Redis, with fencing tokens (docs/adr/0015-room-leases.md).

A room runs on one instance at a time. Before an instance starts a room it takes
the room's lease: one Redis key, set only if absent (`SET NX PX`), whose value
names the holder and a fencing token drawn from a per-room counter (`INCR`), so
every grant of a room's lease carries a larger token than the one before. The
holder renews the lease while the room is live and deletes it when the room
stops; a holder that dies or freezes loses it when it expires, and the next
instance to start the room takes a new lease with a larger token.

Redis decides who may *start* a room; it is not what keeps a late owner from
writing. The token is: the room's snapshot row in the database records the
largest token that claimed it, and a snapshot write carrying a smaller one is
refused (`RoomRepository.save_snapshot(..., fence=...)`). A frozen owner that
wakes after its lease expired and moved therefore fails its next write and
closes its members, who reconnect to the new owner.

A lease outlives its holder by up to its whole term, which is too long for a
room whose instance died (`kill -9`, a lost machine). So each instance also beats:
it refreshes one key of its own, `instance:<holder>`, far more often than any lease
and with a much shorter life. An instance that finds a room's lease held by a
holder whose instance key is gone (it stopped beating: dead, or cut off from
Redis) takes the room over at once, with a new token, instead of waiting for the
lease to run out; the token fences the old holder out if it was only cut off
(ADR 0015, revision).

Every check-and-set is one Lua script, atomic across instances. Only built with
Redis configured: one process on its own takes no leases at all.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from syncwatch.blocking import run_blocking
from syncwatch.errors import ServiceUnavailable
from syncwatch.fabric.redis import SOCKET_TIMEOUT_S

LEASES = "lease:"
FENCES = "fence:"
INSTANCES = "instance:"

# How long a lease lives unless renewed (its holder renews it three times as often): a
# frozen or dead holder's rooms can start elsewhere this long after its last renewal.
LEASE_TTL_S = 10.0
# How long an instance counts as alive after its last beat (it beats three times as
# often): a dead instance's rooms can be taken over this long after it died.
INSTANCE_TTL_S = 3.0

# KEYS: lease, fence counter. ARGV: holder, ttl ms, instance key prefix, floor.
# Returns {token, 0} when granted (or already held by `holder`: renewed),
# {0, ms left} when another holder has it and still beats. A holder that no longer
# beats has lost the room: it is taken over. (The holder's instance key is only known
# once the lease is read, so it is named by prefix: one Redis, not a cluster.)
_ACQUIRE = """
local current = redis.call('GET', KEYS[1])
if current then
  local holder, token = string.match(current, '^(.*)|(%d+)$')
  if holder == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return {tonumber(token), 0}
  end
  local alive = redis.call('PTTL', ARGV[3] .. holder)
  if alive ~= -2 then
    local left = redis.call('PTTL', KEYS[1])
    if alive >= 0 and alive < left then left = alive end
    return {0, left}
  end
end
local token = redis.call('INCR', KEYS[2])
if token <= tonumber(ARGV[4]) then
  token = tonumber(ARGV[4]) + 1
  redis.call('SET', KEYS[2], token)
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return {token, 0}
"""

# KEYS: lease, fence counter. ARGV: value, ttl ms, token. 1 when renewed, 0 when no
# longer held. A lease that is gone with no later grant since (Redis restarted empty,
# or it ran out while nobody wanted the room) is taken back, the counter raised to it.
_RENEW = """
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if current then
  return 0
end
local counter = tonumber(redis.call('GET', KEYS[2]) or '0')
local token = tonumber(ARGV[3])
if counter > token then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if counter < token then
  redis.call('SET', KEYS[2], token)
end
return 1
"""

# KEYS: lease. ARGV: value. Deletes the lease only if still this holder's.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


@dataclass(frozen=True, slots=True)
class Lease:
    code: str
    holder: str
    token: int

    @property
    def value(self) -> str:
        return f"{self.holder}|{self.token}"


@dataclass(frozen=True, slots=True)
class HeldElsewhere:
    """Another instance holds the room's lease for `retry_after_s` more at most."""

    retry_after_s: float


class RoomLeases:
    """Leases on rooms for this instance (`holder`), in the Redis `url` names."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "sw:",
        holder: str | None = None,
        ttl_s: float = LEASE_TTL_S,
        instance_ttl_s: float = INSTANCE_TTL_S,
    ) -> None:
        self.prefix = prefix
        # Unique per process start: a restarted instance never mistakes its previous
        # life's lease for its own (that one's room state died with it).
        self.holder = holder or secrets.token_hex(8)
        self.ttl_s = ttl_s
        self.instance_ttl_s = instance_ttl_s
        self._redis = redis.Redis.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT_S,
            socket_connect_timeout=SOCKET_TIMEOUT_S,
            retry=Retry(NoBackoff(), 0),
        )
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._renew = self._redis.register_script(_RENEW)
        self._release = self._redis.register_script(_RELEASE)

    @property
    def renew_every_s(self) -> float:
        return self.ttl_s / 3

    @property
    def beat_every_s(self) -> float:
        return self.instance_ttl_s / 3

    def _lease_key(self, code: str) -> str:
        return f"{self.prefix}{LEASES}{code}"

    def _fence_key(self, code: str) -> str:
        return f"{self.prefix}{FENCES}{code}"

    @property
    def _instance_key(self) -> str:
        return f"{self.prefix}{INSTANCES}{self.holder}"

    async def _call(self, fn: Any, **kwargs: Any) -> Any:
        try:
            return await run_blocking("redis", fn, abandon_on_cancel=True, **kwargs)
        except redis.RedisError as error:
            raise ServiceUnavailable(f"Redis is unavailable: {error}") from error

    @property
    def _ttl_ms(self) -> int:
        return max(1, int(self.ttl_s * 1000))

    async def acquire(self, code: str, *, floor: int = 0) -> Lease | HeldElsewhere:
        """Take the room's lease, with a new fencing token; or learn who has it for how long
        (at most until its holder's instance stops beating).

        `floor` is the largest token the database knows for the room: a new token is
        always larger, even when Redis lost its counters (restarted without them).

        Raises `ServiceUnavailable` when Redis does not answer: a room is never
        started without knowing that nobody else runs it."""
        token, left_ms = await self._call(
            self._acquire,
            keys=[self._lease_key(code), self._fence_key(code)],
            args=[self.holder, self._ttl_ms, f"{self.prefix}{INSTANCES}", floor],
        )
        if int(token) == 0:
            return HeldElsewhere(max(int(left_ms), 0) / 1000)
        return Lease(code, self.holder, int(token))

    async def beat(self) -> None:
        """Say this instance is alive for `instance_ttl_s` more: while it beats, the rooms
        it holds wait for their leases to expire before anyone else may take them."""
        ttl_ms = max(1, int(self.instance_ttl_s * 1000))
        await self._call(self._redis.set, name=self._instance_key, value=b"1", px=ttl_ms)

    async def renew(self, lease: Lease) -> bool:
        """Extend the lease; False when it is no longer this holder's (taken by another
        instance since). A lease Redis forgot with no grant since is taken back."""
        renewed = await self._call(
            self._renew,
            keys=[self._lease_key(lease.code), self._fence_key(lease.code)],
            args=[lease.value, self._ttl_ms, lease.token],
        )
        return bool(renewed)

    async def release(self, lease: Lease) -> None:
        """Give the lease up (the room stopped here), if it is still this holder's."""
        await self._call(self._release, keys=[self._lease_key(lease.code)], args=[lease.value])

    async def held(self, code: str) -> bool:
        """Whether any instance holds the room's lease: the room is live somewhere.

        Raises `ServiceUnavailable` when Redis does not answer."""
        key = self._lease_key(code)

        def exists() -> int:
            return int(self._redis.exists(key))

        count: int = await self._call(exists)
        return count > 0

    async def close(self) -> None:
        await run_blocking("redis", self._redis.close)

    async def purge_prefix(self) -> int:
        """Delete every lease and fence counter under this prefix (tests, tear-down)."""

        def purge() -> int:
            keys: list[Any] = []
            for kind in (LEASES, FENCES, INSTANCES):
                keys += self._redis.scan_iter(match=f"{self.prefix}{kind}*", count=500)
            return int(self._redis.delete(*keys)) if keys else 0

        result: int = await self._call(purge)
        return result
