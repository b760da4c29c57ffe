"""Redis, failing open: when Redis is down or frozen, limits fall back to this process.

Rate limits protect the service; they must never become the outage. So every
call goes to Redis with a short deadline, and when one fails or runs out of
time the fabric turns *degraded*: for the next `RETRY_AFTER_S` every call goes
straight to an in-process `LocalFabric` (the same limits, counted per instance)
without waiting on Redis at all. After that one call at a time tries Redis
again; the first that succeeds ends the degradation, with no restart. A frozen
Redis (SIGSTOP, a full network buffer) thus costs one request at most
`CALL_DEADLINE_S` per retry period, and a dead one costs nothing.

Readiness reports the degradation (`degraded()`), and the readiness probe
(`ping`) always asks Redis itself, so it also ends a degradation as soon as
Redis answers.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog
import trio

from syncwatch.errors import ServiceUnavailable
from syncwatch.fabric import Fabric, RateDecision
from syncwatch.fabric.local import LocalFabric

T = TypeVar("T")

log = structlog.get_logger(__name__)

# Redis answers in well under a millisecond on a healthy network: a quarter of a
# second is an outage, not a slow day.
CALL_DEADLINE_S = 0.25
# How long a degraded fabric leaves Redis alone before one call tries it again.
RETRY_AFTER_S = 2.0

# Reservation tokens say which side counted them, so `release` gives them back there.
_REDIS, _LOCAL = "r|", "l|"


class FailOpenFabric:
    kind = "redis"

    def __init__(
        self,
        primary: Fabric,
        fallback: LocalFabric | None = None,
        *,
        deadline_s: float = CALL_DEADLINE_S,
        retry_after_s: float = RETRY_AFTER_S,
    ) -> None:
        self.primary = primary
        self.fallback = fallback if fallback is not None else LocalFabric()
        self._deadline_s = deadline_s
        self._retry_after_s = retry_after_s
        self._degraded_since: float | None = None
        self._next_try = -math.inf
        self._trying = False
        self._last_error = ""
        self.failures = 0
        """Calls Redis did not answer in time or refused, since start: each one was
        counted in this process instead (a degradation may be over before anyone looks)."""

    # --- the state --------------------------------------------------------------------

    def degraded(self) -> str | None:
        """Why limits are counted in-process right now, or None when Redis is in use."""
        return self._last_error if self._degraded_since is not None else None

    def _use_primary(self) -> bool:
        if self._degraded_since is None:
            return True
        # Degraded: one caller at a time probes Redis once the retry period is over.
        if self._trying or trio.current_time() < self._next_try:
            return False
        self._trying = True
        return True

    def _succeeded(self) -> None:
        self._trying = False
        if self._degraded_since is not None:
            log.warning(
                "redis is back: rate limits shared again",
                degraded_s=round(trio.current_time() - self._degraded_since, 1),
            )
            self._degraded_since = None
            self._last_error = ""

    def _failed(self, error: str) -> None:
        self._trying = False
        self.failures += 1
        now = trio.current_time()
        if self._degraded_since is None:
            log.warning("redis unavailable: rate limits counted in this process", error=error)
            self._degraded_since = now
        self._last_error = error
        self._next_try = now + self._retry_after_s

    async def _primary(self, call: Callable[[], Awaitable[T]]) -> T:
        """`call` on Redis within the deadline; raises `ServiceUnavailable` otherwise."""
        try:
            with trio.fail_after(self._deadline_s):
                result = await call()
        except trio.TooSlowError:
            message = f"no answer within {self._deadline_s * 1000:.0f} ms"
            self._failed(message)
            raise ServiceUnavailable(f"Redis is unavailable: {message}") from None
        except ServiceUnavailable as error:
            self._failed(str(error))
            raise
        except BaseException:
            # Cancelled from outside: nothing learned about Redis, let the next call try.
            self._trying = False
            raise
        self._succeeded()
        return result

    async def _either(
        self, on_primary: Callable[[], Awaitable[T]], on_fallback: Callable[[], Awaitable[T]]
    ) -> T:
        if self._use_primary():
            try:
                return await self._primary(on_primary)
            except ServiceUnavailable:
                pass
        return await on_fallback()

    # --- the Fabric protocol ----------------------------------------------------------

    async def hit(
        self, key: str, limit: int, window_s: float, now_ms: int, *, consume: bool = True
    ) -> RateDecision:
        return await self._either(
            lambda: self.primary.hit(key, limit, window_s, now_ms, consume=consume),
            lambda: self.fallback.hit(key, limit, window_s, now_ms, consume=consume),
        )

    async def record(self, key: str, window_s: float, now_ms: int) -> None:
        await self._either(
            lambda: self.primary.record(key, window_s, now_ms),
            lambda: self.fallback.record(key, window_s, now_ms),
        )

    async def reserve(
        self, key: str, limit: int, window_s: float, now_ms: int
    ) -> tuple[RateDecision, str | None]:
        async def on(side: Fabric, tag: str) -> tuple[RateDecision, str | None]:
            decision, token = await side.reserve(key, limit, window_s, now_ms)
            return decision, (None if token is None else tag + token)

        return await self._either(
            lambda: on(self.primary, _REDIS), lambda: on(self.fallback, _LOCAL)
        )

    async def release(self, key: str, token: str) -> None:
        if token.startswith(_LOCAL):
            await self.fallback.release(key, token.removeprefix(_LOCAL))
            return
        # A reservation Redis counted that cannot be given back expires with its window.
        if self._use_primary():
            with contextlib.suppress(ServiceUnavailable):
                await self._primary(lambda: self.primary.release(key, token.removeprefix(_REDIS)))

    async def reset(self, key: str) -> None:
        await self.fallback.reset(key)
        if self._use_primary():
            with contextlib.suppress(ServiceUnavailable):
                await self._primary(lambda: self.primary.reset(key))

    async def set_value(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        await self._either(
            lambda: self.primary.set_value(key, value, ttl_s),
            lambda: self.fallback.set_value(key, value, ttl_s),
        )

    async def get_value(self, key: str) -> bytes | None:
        return await self._either(
            lambda: self.primary.get_value(key), lambda: self.fallback.get_value(key)
        )

    async def delete_value(self, key: str) -> None:
        await self.fallback.delete_value(key)
        if self._use_primary():
            with contextlib.suppress(ServiceUnavailable):
                await self._primary(lambda: self.primary.delete_value(key))

    async def publish(self, feed: str, event: bytes, *, keep_s: float) -> None:
        # Only Redis reaches the other instances; while it is away this instance has
        # acted on the event itself, and the readers elsewhere fall back on their checks.
        if not self._use_primary():
            raise ServiceUnavailable(f"Redis is unavailable: {self._last_error}")
        await self._primary(lambda: self.primary.publish(feed, event, keep_s=keep_s))

    async def read_feed(self, feed: str, after: str | None) -> tuple[list[bytes], str]:
        # Raises while Redis is away: the reader keeps its cursor and catches up later.
        if not self._use_primary():
            raise ServiceUnavailable(f"Redis is unavailable: {self._last_error}")
        return await self._primary(lambda: self.primary.read_feed(feed, after))

    async def share(self, key: str, member: str, value: bytes, *, ttl_s: float) -> None:
        # Kept here too: while Redis is away this instance still sees its own part.
        await self.fallback.share(key, member, value, ttl_s=ttl_s)
        if self._use_primary():
            with contextlib.suppress(ServiceUnavailable):
                await self._primary(lambda: self.primary.share(key, member, value, ttl_s=ttl_s))

    async def unshare(self, key: str, member: str) -> None:
        await self.fallback.unshare(key, member)
        if self._use_primary():
            with contextlib.suppress(ServiceUnavailable):
                await self._primary(lambda: self.primary.unshare(key, member))

    async def shares(self, keys: list[str]) -> list[dict[str, bytes]]:
        return await self._either(
            lambda: self.primary.shares(keys), lambda: self.fallback.shares(keys)
        )

    async def ping(self) -> None:
        """Ask Redis itself, degraded or not (readiness): raises while it does not answer."""
        self._trying = True
        await self._primary(self.primary.ping)

    async def close(self) -> None:
        await self.primary.close()
        await self.fallback.close()
