"""The audit trail: every event reaches the table, batched while the writer runs."""

from __future__ import annotations

import trio
import trio.testing

from syncwatch.audit import GATHER_S, AuditLog
from syncwatch.services import Services
from syncwatch.store.repositories import AuditRecord


async def test_events_are_stored_directly_without_the_writer(services: Services) -> None:
    await services.audit.record("room.created", actor_id="u1", target_type="room", target_id="r1")
    [stored] = await services.repositories.audit.list()
    assert stored.event_type == "room.created"
    assert stored.actor_id == "u1"


async def test_the_writer_batches_and_flushes_everything_when_it_stops(
    services: Services,
) -> None:
    async with trio.open_nursery() as nursery:
        await nursery.start(services.audit.run)
        for index in range(25):
            await services.audit.record("participant.joined", actor_id=f"u{index}", seat=index)
        await services.audit.flush()
        assert len(await services.repositories.audit.list(limit=100)) == 25
        for index in range(5):
            await services.audit.record("participant.left", actor_id=f"u{index}")
        nursery.cancel_scope.cancel()
    left = await services.repositories.audit.list(event_type="participant.left", limit=100)
    assert len(left) == 5
    joined = await services.repositories.audit.list(event_type="participant.joined", limit=100)
    assert sorted(entry.metadata["seat"] for entry in joined) == list(range(25))


async def test_rows_arriving_close_together_share_one_transaction(
    services: Services, autojump_clock: trio.testing.MockClock
) -> None:
    """Every room command is audited: rows coming in over a moment are stored together,
    not one transaction each, and a flush does not wait for the moment to pass."""
    batches: list[int] = []

    class CountingStore:
        async def add_many(self, records: list[AuditRecord]) -> None:
            batches.append(len(records))
            await services.repositories.audit.add_many(records)

    audit = AuditLog(CountingStore(), services.clock)
    async with trio.open_nursery() as nursery:
        await nursery.start(audit.run)
        for index in range(20):
            await audit.record("room.command", actor_id=f"u{index}")
            await trio.sleep(GATHER_S / 40)
        await trio.sleep(GATHER_S * 2)
        assert batches == [20]
        await audit.record("room.command", actor_id="late")
        before = trio.current_time()
        await audit.flush()
        assert trio.current_time() - before < GATHER_S / 2
        assert batches == [20, 1]
        nursery.cancel_scope.cancel()
    assert len(await services.repositories.audit.list(limit=100)) == 21
