"""At its room cap (`SYNCWATCH_MAX_ROOMS`) a process runs no more rooms: people
joining a room it runs get in, a room that would start here is refused with
`overloaded` (503 / close 1013) and readiness says so, over real sockets, on
SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from syncwatch.settings import Settings
from tests.support.ws import create_room, register, room_client


@pytest.fixture
def settings(settings_factory: Any) -> Settings:
    found: Settings = settings_factory(
        register_limit_per_hour=0, api_limit_per_minute=0, max_rooms=1
    )
    return found


async def test_at_its_room_cap_a_process_admits_only_rooms_it_runs(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann, bob = await register(http, "ann"), await register(http, "bob")
    running = await create_room(http, ann)
    # Created before the cap was reached: nothing runs a room until someone joins it.
    waiting = await create_room(http, bob)
    async with room_client(live_server, running["code"], ann):
        ready = await http.get("/health/ready")
        created = await http.post(
            "/api/v1/rooms",
            json={"maxParticipants": 5, "playbackControl": "owner_only"},
            headers={"Authorization": f"Bearer {bob}"},
        )
        async with room_client(live_server, waiting["code"], bob, expect_welcome=False) as refused:
            error = await refused.expect("error")
            closed = await refused.closed_with()
        # Someone joining the room that runs here gets in.
        async with room_client(live_server, running["code"], bob) as joined:
            seats = len(joined.welcome["participants"])

    assert created.status_code == 503, created.text
    assert created.json()["code"] == "overloaded"
    assert int(created.headers["Retry-After"]) == 30
    assert error["data"]["code"] == "overloaded"
    assert error["data"]["retryAfter"] == 30
    assert closed == 1013
    assert seats == 2
    assert ready.status_code == 503
    assert "room cap: 1 of 1 rooms running" in ready.json()["checks"]["capacity"]["error"]
