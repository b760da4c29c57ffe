"""A room that fails fails alone, over real sockets, on SQLite and PostgreSQL.

The database really fails: a trigger refuses one room's snapshot writes
(`tests/support/faults.py`), while every other room of the same server writes
as usual.
"""

from __future__ import annotations

from typing import Any

import httpx
import structlog

from syncwatch.components import Components
from tests.support.faults import failing_snapshot_writes
from tests.support.ws import RoomClient, create_room, register, room_client

SOURCE = {"sourceType": "url", "url": "https://e.org/v.mp4"}


async def fail_the_room(client: RoomClient) -> int:
    """Send a command whose snapshot cannot be written; returns the close code seen."""
    await client.send("sync:source", SOURCE)
    return await client.closed_with()


async def test_a_room_whose_database_fails_recovers_and_the_others_never_notice(
    http: httpx.AsyncClient, live_server: str, components: Components
) -> None:
    ann, bob = await register(http, "ann"), await register(http, "bob")
    failing, calm = await create_room(http, ann), await create_room(http, bob)
    async with room_client(live_server, calm["code"], bob) as bob_in_calm:
        async with room_client(live_server, failing["code"], ann) as ann_in_failing:
            first = await ann_in_failing.reply_to(await ann_in_failing.send("sync:source", SOURCE))
            assert first["data"]["sequenceNumber"] == 1
            with structlog.testing.capture_logs() as logs:
                async with failing_snapshot_writes(components.services.db, failing["id"]):
                    assert await fail_the_room(ann_in_failing) == 1011
                    calm_ack = await bob_in_calm.reply_to(
                        await bob_in_calm.send("sync:source", SOURCE)
                    )
                    ready = await http.get("/health/ready")

        assert calm_ack["type"] == "ack"
        assert ready.status_code == 200, ready.text
        [failure] = [line for line in logs if line["event"].startswith("room failed")]
        assert failure["room"] == failing["code"]
        assert failure["error_code"] == "internal_error"
        assert "snapshot write refused" in failure["error"]

        # The client reconnects by itself: the room is back, from its last snapshot.
        async with room_client(live_server, failing["code"], ann, lastSeq=1) as again:
            assert again.welcome["state"]["sequenceNumber"] == 1
            play = await again.reply_to(await again.send("sync:play", {}))
            assert play["type"] == "ack"
            assert play["data"]["sequenceNumber"] == 2
        # The calm room's member never lost their connection.
        calm_play = await bob_in_calm.reply_to(await bob_in_calm.send("sync:play", {}))
        assert calm_play["data"]["sequenceNumber"] == 2


async def test_a_room_failing_again_and_again_is_unavailable_for_a_while(
    http: httpx.AsyncClient, live_server: str, components: Components
) -> None:
    ann = await register(http, "ann")
    room = await create_room(http, ann)
    code = room["code"]
    async with failing_snapshot_writes(components.services.db, room["id"]):
        for _ in range(3):
            async with room_client(live_server, code, ann) as client:
                assert await fail_the_room(client) == 1011

        async with room_client(live_server, code, ann, expect_welcome=False) as refused:
            error = await refused.expect("error")
            closed = await refused.closed_with()
        joined = await http.post(
            f"/api/v1/rooms/{code}/join", json={}, headers={"Authorization": f"Bearer {ann}"}
        )
        ready = await http.get("/health/ready")

    assert error["data"]["code"] == "room_unavailable"
    assert 1 <= error["data"]["retryAfter"] <= 120
    assert closed == 1013  # try again later: the client reconnects with backoff
    problem: dict[str, Any] = joined.json()
    assert joined.status_code == 503
    assert joined.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "room_unavailable"
    assert 1 <= int(joined.headers["Retry-After"]) <= 120
    assert ready.status_code == 200  # one resting room is not the server's failure
