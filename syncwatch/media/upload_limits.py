"""Per-user limits on uploading: bandwidth, uploads per hour.

Both are in-process and keyed by user id; with several instances each one
enforces them for the uploads it serves (an upload is pinned to the instance
holding its partial file, see docs/media.md). Time is Trio's clock, so tests
drive them with MockClock.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import trio

from syncwatch.errors import RateLimited


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
    """At most `limit` upload creations per user within a sliding `window_s`."""

    def __init__(self, limit: int = 3, window_s: float = 3600.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._starts: dict[str, deque[float]] = {}

    def check_and_record(self, user_id: str) -> None:
        """Record one creation, or raise `RateLimited` without recording it."""
        if self.limit <= 0:
            return
        now = trio.current_time()
        starts = self._starts.setdefault(user_id, deque())
        while starts and now - starts[0] >= self.window_s:
            starts.popleft()
        if len(starts) >= self.limit:
            retry_after = self.window_s - (now - starts[0])
            raise RateLimited(retry_after, f"At most {self.limit} uploads per hour.")
        starts.append(now)

    def forget_last(self, user_id: str) -> None:
        """Undo the newest record (the creation it counted was refused later)."""
        starts = self._starts.get(user_id)
        if starts:
            starts.pop()
