"""What a member was told is kept is kept, even when the server process is killed.

Rooms write their snapshots and chat lines behind, in group commits shared by
every room (syncwatch/store/group_commit.py); a command's `ack` and a chat line's
`ack` leave only once the transaction holding them has committed. So a SIGKILL in
the middle of busy traffic may lose what nobody was told about, never what was
acknowledged: after a restart the room resumes at or past every acknowledged
sequence number and every acknowledged chat line is in its history.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import trio
from trio_websocket import open_websocket_url

from tests.support.databases import throwaway_postgres_database
from tests.support.instance import bearer, register, room_socket, websocket_url
from tests.support.processes import syncwatch_process

ROOMS = 3
CHATTERS_PER_ROOM = 2
CHAT_LINES_EACH = 25  # under the room's 30 lines a minute per member
COMMAND_EVERY_S = 0.03
CHAT_EVERY_S = 0.03
KILL_AFTER_S = 2.0


@contextmanager
def database_for(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'syncwatch.db'}"
        return
    server_url: str = request.getfixturevalue("postgres_server_url")
    with throwaway_postgres_database(server_url) as url:
        yield url


class Acknowledged:
    """What the server acknowledged before it died: sequence numbers and chat line ids."""

    def __init__(self) -> None:
        self.sequence_numbers: dict[str, int] = {}
        self.chat_ids: set[str] = set()


async def owner_commands(base_url: str, code: str, token: str, acked: Acknowledged) -> None:
    """Pipelined play/pause: send without waiting, count every ack as it arrives."""
    async with open_websocket_url(websocket_url(base_url, code)) as ws:
        await ws.send_message(
            json.dumps({"type": "hello", "data": {"protocolVersion": "1.0.0", "token": token}})
        )
        async with trio.open_nursery() as nursery:

            async def send() -> None:
                source = {"sourceType": "url", "sourceId": "https://example.org/v.mp4"}
                frame = {"type": "sync:source", "id": "s", "data": source}
                await ws.send_message(json.dumps(frame))
                for index in range(100_000):
                    kind = "sync:play" if index % 2 == 0 else "sync:pause"
                    await ws.send_message(json.dumps({"type": kind, "id": f"c{index}", "data": {}}))
                    await trio.sleep(COMMAND_EVERY_S)

            async def receive() -> None:
                while True:
                    message: dict[str, Any] = json.loads(await ws.get_message())
                    if message["type"] == "welcome":
                        nursery.start_soon(send)
                    elif message["type"] == "ack" and "sequenceNumber" in message["data"]:
                        sequence = int(message["data"]["sequenceNumber"])
                        acked.sequence_numbers[code] = max(
                            sequence, acked.sequence_numbers.get(code, 0)
                        )

            nursery.start_soon(receive)


async def chatter(base_url: str, code: str, token: str, acked: Acknowledged) -> None:
    async with room_socket(base_url, code, token) as (room, _):
        for index in range(CHAT_LINES_EACH):
            ack = await room.request("chat:message", {"content": f"line {index}"})
            acked.chat_ids.add(str(ack["data"]["id"]))
            await trio.sleep(CHAT_EVERY_S)


async def busy_rooms(base_url: str, process: Any, acked: Acknowledged) -> list[str]:
    """Rooms under command and chat traffic from several sockets; SIGKILL mid-traffic."""
    codes: list[str] = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        sockets: list[tuple[str, str, bool]] = []
        for room_index in range(ROOMS):
            owner = await register(http, f"owner{room_index}")
            created = await http.post(
                "/api/v1/rooms",
                json={"maxParticipants": 5, "playbackControl": "owner_only"},
                headers=bearer(owner),
            )
            assert created.status_code == 201, created.text
            code = created.json()["code"]
            codes.append(code)
            sockets.append((code, owner, True))
            for chatter_index in range(CHATTERS_PER_ROOM):
                token = await register(http, f"chat{room_index}_{chatter_index}")
                sockets.append((code, token, False))
    # Every socket ends when the process dies under it; only what was acked counts.
    with trio.move_on_after(KILL_AFTER_S + 10):
        async with trio.open_nursery() as nursery:
            for code, token, is_owner in sockets:
                run = owner_commands if is_owner else chatter
                nursery.start_soon(_until_it_dies, run, base_url, code, token, acked)
            await trio.sleep(KILL_AFTER_S)
            process.send_signal(signal.SIGKILL)
    return codes


async def _until_it_dies(run: Any, base_url: str, code: str, token: str, acked: Any) -> None:
    with contextlib.suppress(Exception):  # the connection was cut by the kill
        await run(base_url, code, token, acked)


def stored_chat_ids(database_url: str) -> set[str]:
    query = "SELECT id FROM chat_messages"
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            return {row[0] for row in connection.execute(query)}
    with psycopg.connect(database_url) as connection:
        return {row[0] for row in connection.execute(query)}


async def resumed_sequence_number(base_url: str, code: str) -> int:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        token = await register(http, f"back_{code.lower()}")
    async with room_socket(base_url, code, token) as (_, welcome):
        return int(welcome["state"]["sequenceNumber"])


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.mark.slow  # two server starts and a restart: ~15-25 s per engine on a busy machine
@pytest.mark.parametrize("engine", ENGINES)
def test_a_killed_server_keeps_every_acknowledged_command_and_chat_line(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    acked = Acknowledged()
    with database_for(engine, tmp_path, request) as database_url:
        settings = {
            "database_url": database_url,
            "room_create_limit_per_hour": "0",
            "register_limit_per_hour": "0",
        }
        data_dir = tmp_path / "data"
        with syncwatch_process(data_dir, tmp_path / "first.log", **settings) as (url, process):
            codes = trio.run(busy_rooms, url, process, acked)
            process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
        # The traffic was real: commands and chat were acknowledged in every room.
        assert len(acked.sequence_numbers) == ROOMS, acked.sequence_numbers
        assert min(acked.sequence_numbers.values()) >= 5, acked.sequence_numbers
        assert len(acked.chat_ids) >= ROOMS * CHATTERS_PER_ROOM, len(acked.chat_ids)

        with syncwatch_process(data_dir, tmp_path / "second.log", **settings) as (url, _):
            resumed = {code: trio.run(resumed_sequence_number, url, code) for code in codes}
            missing_chat = acked.chat_ids - stored_chat_ids(database_url)
    for code in codes:
        assert resumed[code] >= acked.sequence_numbers[code], (code, resumed, acked)
    assert not missing_chat, f"{len(missing_chat)} acknowledged chat lines lost"
