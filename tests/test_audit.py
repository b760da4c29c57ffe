"""The audit trail: every event reaches the table, batched while the writer runs."""

from __future__ import annotations

import trio

from syncwatch.services import Services


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
