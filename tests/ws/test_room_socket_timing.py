"""Time-dependent socket behaviour and telemetry."""

from __future__ import annotations

from pathlib import Path

import httpx
import trio
import trio.testing

from syncwatch.blocking import run_inline_in_this_run
from syncwatch.clock import Clock
from syncwatch.components import open_components
from syncwatch.http.room_socket import RoomConnection
from syncwatch.settings import load_settings
from tests.support.environment import TEST_ENVIRONMENT
from tests.support.ws import create_room, register, room_client


class SilentSocket:
    """A WebSocket whose client never says anything."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.closed_with: int | None = None

    async def receive(self) -> str:
        await trio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(self, text: str) -> None:
        self.sent.append(text)

    async def close(self, code: int, reason: str = "") -> None:
        self.closed_with = code


async def test_a_socket_without_hello_is_closed_with_4001_after_10_seconds(
    tmp_path: Path, autojump_clock: trio.testing.MockClock
) -> None:
    run_inline_in_this_run()
    settings = load_settings(
        environ=TEST_ENVIRONMENT,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
    )
    async with open_components(settings, clock=Clock()) as components:
        socket = SilentSocket()
        started = trio.current_time()
        connection = RoomConnection(
            components.services, socket, "ABCDEFGH", components.rooms, components.directory
        )
        await connection.serve()
        waited = trio.current_time() - started
    assert socket.closed_with == 4001
    assert 10.0 <= waited < 10.5


async def test_room_telemetry_reaches_metrics(http: httpx.AsyncClient, live_server: str) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    async with room_client(live_server, room["code"], owner) as ann:
        await ann.send("time:ping", {"t0": 1.0, "rttMs": 3.5})
        await ann.expect("time:pong")
        await ann.reply_to(
            await ann.send("sync:source", {"sourceType": "url", "url": "https://e.org/v.mp4"})
        )
        await ann.reply_to(await ann.send("sync:play", {}))
        report = {"mediaTimeMs": 1000, "atServerTime": 1, "driftMs": -12.5}
        assert (await ann.reply_to(await ann.send("sync:report", report)))["type"] == "ack"
        text = (await http.get("/metrics")).text
    assert "syncwatch_active_rooms 1.0" in text
    assert "syncwatch_connected_clients 1.0" in text
    assert 'syncwatch_sync_command_latency_ms_count{command_type="PLAY"} 1.0' in text
    assert "syncwatch_ws_rtt_ms_count 1.0" in text
    assert "syncwatch_playback_drift_ms_count 1.0" in text
    assert 'syncwatch_playback_drift_ms_bucket{le="20.0"} 1.0' in text
