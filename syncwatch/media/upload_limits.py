"""Per-user limits on uploading: bandwidth, uploads per hour.

The bandwidth throttle is in-process: with several instances each one throttles
the uploads it serves (an upload is pinned to the instance holding its partial
file, see docs/media.md). The uploads per hour are counted in the fabric, so
with Redis configured the limit holds across every instance (and falls back to
per-instance counting while Redis is away). Time is Trio's clock, so tests
drive them with MockClock.
"""

from __future__ import annotations

from dataclasses import dataclass

import trio

from syncwatch.clock import Clock
from syncwatch.errors import RateLimited
from syncwatch.fabric import Fabric
from syncwatch.fabric.local import LocalFabric


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated_at: float


class BandwidthThrottle:
    """A token bucket per user: `rate_bits_per_s` sustained, `burst_bytes` at once.

    `consume` takes the bytes immediately and sleeps off any debt, so a chunk
    larger than the burst is still accepted, just paid for afterwards, and
    several uploads of one user share one budget. A rate of 0 means unlimited.
    """

    def __init__(self, rate_bits_per_s: int = 50_000_000, burst_bytes: int | None = None) -> None:
        self.rate_bytes_per_s = rate_bits_per_s / 8
        # Spec 8.7.3: bursts of 10 MB, never more than one second's worth.
        self.burst_bytes = (
            burst_bytes if burst_bytes is not None else int(min(10_000_000, self.rate_bytes_per_s))
        )
        self._buckets: dict[str, _Bucket] = {}

    async def consume(self, user_id: str, n_bytes: int) -> None:
        if self.rate_bytes_per_s <= 0:
            await trio.lowlevel.checkpoint()
            return
        now = trio.current_time()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(float(self.burst_bytes), now)
        refill = (now - bucket.updated_at) * self.rate_bytes_per_s
        bucket.tokens = min(float(self.burst_bytes), bucket.tokens + refill) - n_bytes
        bucket.updated_at = now
        if bucket.tokens < 0:
            await trio.sleep(-bucket.tokens / self.rate_bytes_per_s)
        else:
            await trio.lowlevel.checkpoint()
        self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        # A bucket idle long enough to be full again carries no state.
        full_after = self.burst_bytes / self.rate_bytes_per_s
        if len(self._buckets) > 1000:
            for user_id, bucket in list(self._buckets.items()):
                if now - bucket.updated_at > full_after:
                    del self._buckets[user_id]


class UploadRateLimiter:
    """At most `limit` upload creations per user within a sliding `window_s`, service-wide
    when the fabric is shared. A limit of 0 or less switches it off."""

    def __init__(
        self,
        limit: int = 3,
        window_s: float = 3600.0,
        *,
        fabric: Fabric | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._fabric = fabric or LocalFabric()
        self._clock = clock or Clock()

    async def check_and_record(self, user_id: str) -> str | None:
        """Count one creation, or raise `RateLimited` without counting it. Returns the
        token `forget` takes to give the creation back (None when unlimited)."""
        if self.limit <= 0:
            return None
        decision, token = await self._fabric.reserve(
            f"uploads:{user_id}", self.limit, self.window_s, self._clock.now_ms()
        )
        if not decision.allowed:
            raise RateLimited(decision.retry_after_s, f"At most {self.limit} uploads per hour.")
        return token

    async def forget(self, user_id: str, token: str | None) -> None:
        """Give a creation back (it was refused later, and so never happened)."""
        if token is not None:
            await self._fabric.release(f"uploads:{user_id}", token)
