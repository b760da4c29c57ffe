"""In-process fabric: the default for a single server.

All calls run on the Trio loop without awaiting anything slow; state lives in
dictionaries that are pruned as they are touched and by a periodic sweep.
"""

from __future__ import annotations

import time
from collections import deque

from syncwatch.fabric import RateDecision

_SWEEP_EVERY = 1024  # hits between sweeps of stale keys
_FEED_LENGTH = 1000  # events a feed keeps


class LocalFabric:
    kind = "local"

    def __init__(self) -> None:
        self._events: dict[str, deque[int]] = {}
        self._windows: dict[str, int] = {}
        self._values: dict[str, tuple[bytes, int | None]] = {}
        self._feeds: dict[str, deque[tuple[int, bytes]]] = {}
        self._shares: dict[str, dict[str, tuple[bytes, int]]] = {}
        self._published = 0
        self._hits = 0
        self._last_now_ms = 0

    def _window(self, key: str, window_ms: int, now_ms: int) -> deque[int]:
        events = self._events.setdefault(key, deque())
        self._windows[key] = max(window_ms, self._windows.get(key, 0))
        while events and events[0] <= now_ms - window_ms:
            events.popleft()
        self._hits += 1
        self._last_now_ms = max(self._last_now_ms, now_ms)
        if self._hits % _SWEEP_EVERY == 0:
            self._sweep(now_ms)
        return events

    def _sweep(self, now_ms: int) -> None:
        for key, events in list(self._events.items()):
            if not events or events[-1] <= now_ms - self._windows.get(key, 0):
                del self._events[key]
                self._windows.pop(key, None)

    async def hit(
        self, key: str, limit: int, window_s: float, now_ms: int, *, consume: bool = True
    ) -> RateDecision:
        window_ms = int(window_s * 1000)
        events = self._window(key, window_ms, now_ms)
        if len(events) >= limit:
            retry_ms = events[len(events) - limit] + window_ms - now_ms
            return RateDecision(False, 0, max(retry_ms, 1) / 1000)
        if consume:
            events.append(now_ms)
        return RateDecision(True, limit - len(events), 0.0)

    async def reserve(
        self, key: str, limit: int, window_s: float, now_ms: int
    ) -> tuple[RateDecision, str | None]:
        # Check and count happen without an await between them: atomic on the loop.
        decision = await self.hit(key, limit, window_s, now_ms)
        return decision, (str(now_ms) if decision.allowed else None)

    async def release(self, key: str, token: str) -> None:
        events = self._events.get(key)
        # Events are bare times: giving back any one of the same time counts the same.
        if events is not None and int(token) in events:
            events.remove(int(token))

    async def record(self, key: str, window_s: float, now_ms: int) -> None:
        self._window(key, int(window_s * 1000), now_ms).append(now_ms)

    async def reset(self, key: str) -> None:
        self._events.pop(key, None)
        self._windows.pop(key, None)

    def _expired(self, expires_at_ms: int | None) -> bool:
        return expires_at_ms is not None and expires_at_ms <= time.time() * 1000

    async def set_value(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        expires = None if ttl_s is None else int(time.time() * 1000 + ttl_s * 1000)
        self._values[key] = (value, expires)

    async def get_value(self, key: str) -> bytes | None:
        found = self._values.get(key)
        if found is None:
            return None
        if self._expired(found[1]):
            del self._values[key]
            return None
        return found[0]

    async def delete_value(self, key: str) -> None:
        self._values.pop(key, None)

    async def publish(self, feed: str, event: bytes, *, keep_s: float) -> None:
        # One process: the feed is for its own readers (the same code path as Redis).
        events = self._feeds.setdefault(feed, deque(maxlen=_FEED_LENGTH))
        self._published += 1
        events.append((self._published, event))

    async def read_feed(self, feed: str, after: str | None) -> tuple[list[bytes], str]:
        seen = int(after or 0)
        fresh = [event for number, event in self._feeds.get(feed, ()) if number > seen]
        return fresh, str(self._published)

    async def share(self, key: str, member: str, value: bytes, *, ttl_s: float) -> None:
        expires = int(time.time() * 1000 + ttl_s * 1000)
        self._shares.setdefault(key, {})[member] = (value, expires)

    async def unshare(self, key: str, member: str) -> None:
        parts = self._shares.get(key)
        if parts is not None:
            parts.pop(member, None)
            if not parts:
                del self._shares[key]

    async def shares(self, keys: list[str]) -> list[dict[str, bytes]]:
        found: list[dict[str, bytes]] = []
        for key in keys:
            parts = self._shares.get(key, {})
            for member, (_, expires) in list(parts.items()):
                if self._expired(expires):
                    del parts[member]
            found.append({member: value for member, (value, _) in parts.items()})
        return found

    def degraded(self) -> str | None:
        return None

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        self._events.clear()
        self._values.clear()
        self._shares.clear()
