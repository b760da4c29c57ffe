"""The janitor: periodic clean-up that no request waits for.

Every `INTERVAL_S` it removes rooms that expired (24 h after their last member
left, by default) or were closed by their owner as long ago, and have no live
actor here nor, with Redis configured, a lease held by any instance (a room
live on another instance is never swept; while Redis does not answer, no room
is swept); refresh tokens past their expiry; and audit rows past their retention
(spec 7.8.3: security events a year, moderation 90 days, activity 30 days),
and watch history past 90 days.
A sweep that fails is logged and tried again next time; the janitor itself is
a core service.
"""

from __future__ import annotations

from collections.abc import Callable

import trio

from syncwatch.errors import ServiceUnavailable
from syncwatch.fabric.leases import RoomLeases
from syncwatch.observability.logs import get_logger
from syncwatch.services import Services

log = get_logger("syncwatch.janitor")

INTERVAL_S = 60.0
DAY_MS = 24 * 3600 * 1000
RETENTION_DAYS = {
    "security": (365, ("auth.", "admin.", "participant.banned", "room.password_failed")),
    "moderation": (90, ("participant.kicked", "permission.", "ownership.", "room.deleted")),
}
ACTIVITY_RETENTION_DAYS = 30


class Janitor:
    def __init__(
        self,
        services: Services,
        *,
        is_live: Callable[[str], bool],
        leases: RoomLeases | None = None,
    ) -> None:
        self._services = services
        self._is_live = is_live
        self._leases = leases

    async def _live_anywhere(self, code: str) -> bool:
        if self._is_live(code):
            return True
        if self._leases is None:
            return False
        try:
            return await self._leases.held(code)
        except ServiceUnavailable:
            return True  # unknown: kept until the next sweep can tell

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        task_status.started()
        while True:
            await trio.sleep(INTERVAL_S)
            try:
                await self.sweep_once()
            except Exception:
                log.exception("janitor sweep failed; will retry")

    async def sweep_once(self) -> dict[str, int]:
        now = self._services.clock.now_ms()
        repos = self._services.repositories
        removed = {"rooms": 0, "refresh_tokens": 0, "audit": 0, "watch_history": 0}
        # A closed room is kept as long as an empty one would live, so that anyone who
        # follows its link meanwhile is told it was closed by its owner (not "not found").
        keep_closed_ms = int(self._services.settings.room_expiry_hours * 3600 * 1000)
        for room in await repos.rooms.expired(
            now, deleted_before_ms=now - keep_closed_ms, limit=500
        ):
            if await self._live_anywhere(room.code):
                continue
            if await repos.rooms.purge(room.id):
                removed["rooms"] += 1
        removed["refresh_tokens"] = await repos.refresh_tokens.purge_expired(now)
        removed["audit"] = await self._purge_audit(now)
        # Watch history is kept 90 days (issue 14 §5).
        removed["watch_history"] = await repos.history.purge_older(now)
        if any(removed.values()):
            log.info("janitor sweep", **removed)
        return removed

    async def _purge_audit(self, now: int) -> int:
        audit = self._services.repositories.audit
        removed = 0
        kept_longer: list[str] = []
        for days, prefixes in RETENTION_DAYS.values():
            kept_longer += prefixes
            removed += await audit.purge(now - days * DAY_MS, prefixes=prefixes)
        removed += await audit.purge(
            now - ACTIVITY_RETENTION_DAYS * DAY_MS, keep_prefixes=kept_longer
        )
        return removed
