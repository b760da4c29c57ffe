"""The realtime fabric: rate limits and short-lived shared state.

Two implementations behind one protocol, chosen once at start-up from the
configuration: `local` (in-process, the zero-setup default) and `redis`
(several instances sharing limits and state). Redis carries limits and
notifications, never the truth. When it fails, the limits fail open onto
in-process ones (`fail_open.py`): an outage of Redis is never an outage of
SyncWatch, and readiness says "degraded" until Redis answers again.

Redis is used in the one database `SYNCWATCH_REDIS_URL` names, with rate limits
and values kept apart by key prefix (`fabric/redis.py`; ADR 0014 says why not
one logical database per concern, as the specification's section 2.3 had it).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Protocol

from syncwatch.errors import RateLimited


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    remaining: int
    retry_after_s: float  # 0 when allowed


class Fabric(Protocol):
    kind: str

    async def hit(
        self, key: str, limit: int, window_s: float, now_ms: int, *, consume: bool = True
    ) -> RateDecision:
        """Sliding-window limit: at most `limit` events per `window_s` under `key`.

        With `consume=False` only look (used to refuse before costly work and
        count failures separately with `record`).
        """
        ...

    async def record(self, key: str, window_s: float, now_ms: int) -> None:
        """Count one event under `key` without checking any limit."""
        ...

    async def reserve(
        self, key: str, limit: int, window_s: float, now_ms: int
    ) -> tuple[RateDecision, str | None]:
        """Like `hit`, atomically, but also hand back a token that `release` takes to
        give the event back: an attempt is counted before the costly work it allows
        (a password hash), so parallel attempts cannot all pass the check, and one
        that turns out fine is returned. The token is None when refused."""
        ...

    async def release(self, key: str, token: str) -> None:
        """Give back one event `reserve` counted (nothing if it has expired)."""
        ...

    async def reset(self, key: str) -> None: ...

    async def set_value(self, key: str, value: bytes, ttl_s: float | None = None) -> None: ...

    async def get_value(self, key: str) -> bytes | None: ...

    async def delete_value(self, key: str) -> None: ...

    async def publish(self, feed: str, event: bytes, *, keep_s: float) -> None:
        """Append `event` to the shared `feed` that every instance reads (`read_feed`).

        A notification, never the truth: a feed keeps its last events (about a
        thousand) for `keep_s`, so a reader that was briefly away catches up."""
        ...

    async def read_feed(self, feed: str, after: str | None) -> tuple[list[bytes], str]:
        """The events of `feed` published after the cursor `after`, oldest first, and the
        cursor to pass next time. `after=None` starts with the oldest event the feed keeps."""
        ...

    async def share(self, key: str, member: str, value: bytes, *, ttl_s: float) -> None:
        """Set this `member`'s part of the shared `key` (one instance's contribution to a
        user's presence): every instance reads it (`shares`) until `ttl_s` passes unless
        it is set again, so a dead instance's part goes by itself."""
        ...

    async def unshare(self, key: str, member: str) -> None:
        """Withdraw this `member`'s part of `key` at once."""
        ...

    async def shares(self, keys: list[str]) -> list[dict[str, bytes]]:
        """For each key, the parts every member set that have not expired (one round trip)."""
        ...

    async def ping(self) -> None:
        """Raise if the fabric cannot be used."""
        ...

    def degraded(self) -> str | None:
        """Why the fabric works in a lesser mode right now (Redis down), or None."""
        ...

    async def close(self) -> None: ...


async def open_fabric(redis_url: str | None, *, prefix: str = "sw:") -> Fabric:
    """The configured fabric. Redis that does not answer at start-up is not fatal:
    the server starts degraded, counting limits in-process until Redis answers."""
    if redis_url:
        from syncwatch.errors import ServiceUnavailable
        from syncwatch.fabric.fail_open import FailOpenFabric
        from syncwatch.fabric.redis import RedisFabric

        fabric = FailOpenFabric(RedisFabric(redis_url, prefix=prefix))
        with contextlib.suppress(ServiceUnavailable):
            await fabric.ping()
        return fabric
    from syncwatch.fabric.local import LocalFabric

    return LocalFabric()


async def enforce_limit(fabric: Fabric, key: str, limit: int, window_s: float, now_ms: int) -> None:
    """Count one event under `key`; raise `RateLimited` past `limit` per `window_s`.

    A limit of 0 or less switches the limit off.
    """
    if limit <= 0:
        return
    decision = await fabric.hit(key, limit, window_s, now_ms)
    if not decision.allowed:
        raise RateLimited(decision.retry_after_s)
