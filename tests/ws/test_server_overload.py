"""A saturated server refuses newcomers cleanly and keeps serving the rooms it runs,
over real sockets, on SQLite and PostgreSQL. The lag is injected into the gauge."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import trio

from syncwatch.components import Components
from syncwatch.settings import Settings
from tests.support.ws import create_room, register, room_client

SOURCE = {"sourceType": "url", "url": "https://e.org/v.mp4"}


@pytest.fixture
def settings(settings_factory: Any) -> Settings:
    # A limit this machine's own lag never reaches; the test injects a far larger one.
    found: Settings = settings_factory(
        register_limit_per_hour=0, api_limit_per_minute=0, overload_lag_ms=1000
    )
    return found


def saturate(components: Components) -> None:
    for _ in range(3):  # late every time: a saturated loop
        components.rooms.load.observe_lag(10.0, trio.current_time())


async def test_a_saturated_server_refuses_newcomers_and_its_rooms_go_on(
    http: httpx.AsyncClient, live_server: str, components: Components
) -> None:
    ann, bob = await register(http, "ann"), await register(http, "bob")
    room = await create_room(http, ann)
    code = room["code"]
    async with room_client(live_server, code, ann) as ann_in_room:
        first = await ann_in_room.reply_to(await ann_in_room.send("sync:source", SOURCE))
        saturate(components)

        created = await http.post(
            "/api/v1/rooms",
            json={"maxParticipants": 5, "playbackControl": "owner_only"},
            headers={"Authorization": f"Bearer {bob}"},
        )
        joined = await http.post(
            f"/api/v1/rooms/{code}/join", json={}, headers={"Authorization": f"Bearer {bob}"}
        )
        async with room_client(live_server, code, bob, expect_welcome=False) as refused:
            error = await refused.expect("error")
            closed = await refused.closed_with()
        ready = await http.get("/health/ready")
        # The room already running keeps going.
        play = await ann_in_room.reply_to(await ann_in_room.send("sync:play", {}))

    assert first["data"]["sequenceNumber"] == 1
    assert play["type"] == "ack"
    assert play["data"]["sequenceNumber"] == 2

    for response in (created, joined):
        assert response.status_code == 503, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "overloaded"
        assert 1 <= int(response.headers["Retry-After"]) <= 5
    assert error["data"]["code"] == "overloaded"
    assert 1 <= error["data"]["retryAfter"] <= 5
    assert closed == 1013  # try again later

    assert ready.status_code == 503
    assert ready.headers["Cache-Control"] == "no-store"
    capacity = ready.json()["checks"]["capacity"]
    assert capacity["healthy"] is False
    assert "event loop lag" in capacity["error"]

    # A member coming back to the room running here keeps their seat meanwhile.
    async with room_client(live_server, code, ann, lastSeq=2) as back:
        assert back.welcome["state"]["sequenceNumber"] == 2
    mine = await http.get("/api/v1/rooms/mine", headers={"Authorization": f"Bearer {bob}"})
    assert mine.json()["owned"] == []  # the refused creation stored nothing


async def test_a_calm_server_is_ready_with_its_capacity_checked(http: httpx.AsyncClient) -> None:
    ready = await http.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["capacity"]["healthy"] is True
