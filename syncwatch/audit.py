"""The audit trail (spec 7.8): security-relevant actions, in the database and the log.

Every event is written to the `audit_log` table for later queries and emitted
as a structured log line with `audit=true` for log aggregation. Writing an
audit event never fails the action it records: a database error is logged.
"""

from __future__ import annotations

from typing import Any, Protocol

from syncwatch.clock import Clock
from syncwatch.observability.logs import get_logger

log = get_logger("syncwatch.audit")


class AuditStore(Protocol):
    async def add(
        self,
        *,
        event_type: str,
        actor_id: str | None,
        actor_ip: str | None,
        target_type: str | None,
        target_id: str | None,
        metadata: dict[str, Any],
        success: bool,
        created_at: int,
    ) -> Any: ...


class AuditLog:
    def __init__(self, store: AuditStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def record(
        self,
        event_type: str,
        *,
        actor_id: str | None = None,
        actor_ip: str | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        success: bool = True,
        **metadata: Any,
    ) -> None:
        log.info(
            f"audit: {event_type}",
            audit=True,
            event_type=event_type,
            actor_id=actor_id,
            actor_ip=actor_ip,
            target_type=target_type,
            target_id=target_id,
            success=success,
            metadata=metadata,
        )
        try:
            await self._store.add(
                event_type=event_type,
                actor_id=actor_id,
                actor_ip=actor_ip,
                target_type=target_type,
                target_id=target_id,
                metadata=metadata,
                success=success,
                created_at=self._clock.now_ms(),
            )
        except Exception:
            log.exception("audit event could not be stored", event_type=event_type)
