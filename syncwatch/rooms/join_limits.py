"""Joining limits (spec 7.7.3): wrong room codes per IP, joins per user per minute.

Room codes are the only secret of a public room, so an address that tries codes
that do not exist is stopped after `room_code_limit_per_hour` misses for the
rest of that hour: every look-up by code from it (GET, join, hello) is refused
with `rate_limited` and `Retry-After`, the right codes included, or the limit
would still tell a guesser which codes exist. A user (or guest) joins at most
`room_join_limit_per_minute` times a minute, the REST pre-flight and the
WebSocket hello counted alike.

Each limit writes one audit event when it starts refusing someone, not one per
refusal: a flood of refused requests must not become a flood of audit rows.
"""

from __future__ import annotations

from syncwatch.audit import AuditLog
from syncwatch.errors import RateLimited
from syncwatch.fabric import Fabric

CODE_WINDOW_S = 3600
JOIN_WINDOW_S = 60


class JoinLimits:
    def __init__(
        self, fabric: Fabric, audit: AuditLog, *, codes_per_hour: int, joins_per_minute: int
    ) -> None:
        self._fabric = fabric
        self._audit = audit
        self._codes_per_hour = codes_per_hour
        self._joins_per_minute = joins_per_minute

    async def check_code_guesses(self, ip: str, now_ms: int) -> None:
        """Refuse an address that has used up its wrong codes for this hour."""
        if self._codes_per_hour <= 0:
            return
        decision = await self._fabric.hit(
            _code_key(ip), self._codes_per_hour, CODE_WINDOW_S, now_ms, consume=False
        )
        if not decision.allowed:
            raise RateLimited(decision.retry_after_s, "Too many wrong room codes; try later.")

    async def wrong_code(self, ip: str, now_ms: int) -> None:
        """Count a code that named no room; the miss that uses up the limit is audited."""
        if self._codes_per_hour <= 0:
            return
        decision = await self._fabric.hit(
            _code_key(ip), self._codes_per_hour, CODE_WINDOW_S, now_ms
        )
        if decision.allowed and decision.remaining == 0:
            await self._audit.record(
                "room.code_guesses_blocked",
                actor_ip=ip,
                success=False,
                limit=self._codes_per_hour,
                window_s=CODE_WINDOW_S,
            )

    async def count_join(self, subject_id: str, ip: str, now_ms: int) -> None:
        """Count one join by `subject_id`; refuse past the limit (audited once per block)."""
        if self._joins_per_minute <= 0:
            return
        key = f"room-join:{subject_id}"
        decision = await self._fabric.hit(key, self._joins_per_minute, JOIN_WINDOW_S, now_ms)
        if decision.allowed:
            return
        marker = f"room-join-audited:{subject_id}"
        if await self._fabric.get_value(marker) is None:
            await self._fabric.set_value(marker, b"1", ttl_s=decision.retry_after_s)
            await self._audit.record(
                "room.join_rate_limited",
                actor_id=subject_id,
                actor_ip=ip,
                success=False,
                limit=self._joins_per_minute,
                window_s=JOIN_WINDOW_S,
            )
        raise RateLimited(decision.retry_after_s, "Too many joins; wait a moment.")


def _code_key(ip: str) -> str:
    return f"room-code-miss:{ip}"
