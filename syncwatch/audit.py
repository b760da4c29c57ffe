"""The audit trail (spec 7.8): security-relevant actions, in the database and the log.

Every event is emitted at once as a structured log line with `audit=true`, and
stored in the `audit_log` table for later queries. While the writer runs (the
app starts it), rows are queued and stored in batches, one transaction each,
so a room's command loop never waits for an audit row. The writer gathers for a
moment before each batch: every room command is audited, and under load a
transaction per handful of rows kept a database worker thread busy for nothing.
Without the writer (scripts, tests) `record` stores the row itself. Storing never
fails the action it records: a database error is logged.
"""

from __future__ import annotations

from typing import Any, Protocol

import trio

from syncwatch.clock import Clock
from syncwatch.ids import new_id
from syncwatch.observability.logs import get_logger
from syncwatch.store.repositories import AuditRecord

log = get_logger("syncwatch.audit")

QUEUE_SIZE = 10_000
BATCH_SIZE = 500
# After the first row of a batch arrives, the writer waits this long for more (unless
# someone flushes): at a few hundred commands a second, a few transactions a second
# instead of a hundred. A crash loses what is queued either way.
GATHER_S = 0.1


class AuditStore(Protocol):
    async def add_many(self, records: list[AuditRecord]) -> None: ...


class AuditLog:
    def __init__(self, store: AuditStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._queue_send, self._queue = trio.open_memory_channel[AuditRecord](QUEUE_SIZE)
        self._writer_running = False
        self._pending = 0
        self._idle = trio.Event()
        self._idle.set()
        self._flush_asked = trio.Event()

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
        entry = AuditRecord(
            new_id(),
            self._clock.now_ms(),
            event_type,
            actor_id,
            actor_ip,
            target_type,
            target_id,
            dict(metadata),
            success,
        )
        if self._writer_running:
            try:
                self._queue_send.send_nowait(entry)
            except trio.WouldBlock:
                pass  # a full queue: store this one ourselves (back-pressure)
            else:
                self._pending += 1
                self._idle = trio.Event() if self._idle.is_set() else self._idle
                return
        await self._store_batch([entry])

    async def flush(self) -> None:
        """Wait until every queued entry is stored (tests, orderly shutdown)."""
        if self._pending:
            self._flush_asked.set()
            await self._idle.wait()

    def _stored(self, count: int) -> None:
        self._pending -= count
        if self._pending <= 0:
            self._pending = 0
            self._idle.set()

    async def _store_batch(self, entries: list[AuditRecord]) -> None:
        try:
            await self._store.add_many(entries)
        except Exception:
            log.exception("audit events could not be stored", count=len(entries))

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Store queued entries in batches until cancelled; flush what is left on the way out."""
        self._writer_running = True
        task_status.started()
        in_hand: list[AuditRecord] = []
        try:
            while True:
                in_hand = [await self._queue.receive()]
                with trio.move_on_after(GATHER_S):
                    await self._flush_asked.wait()
                if self._flush_asked.is_set():
                    self._flush_asked = trio.Event()
                in_hand += self._drain(BATCH_SIZE - 1)
                # Shielded: a batch taken off the queue is stored whole, never half-lost.
                with trio.CancelScope(shield=True):
                    await self._store_batch(in_hand)
                self._stored(len(in_hand))
                in_hand = []
        finally:
            self._writer_running = False
            with trio.move_on_after(5, shield=True):
                remaining = in_hand + self._drain(QUEUE_SIZE)
                if remaining:
                    await self._store_batch(remaining)
                    self._stored(len(remaining))

    def _drain(self, limit: int) -> list[AuditRecord]:
        found: list[AuditRecord] = []
        while len(found) < limit:
            try:
                found.append(self._queue.receive_nowait())
            except trio.WouldBlock:
                break
        return found
