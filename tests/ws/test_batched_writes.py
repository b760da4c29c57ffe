"""Frames that leave a real server together (`syncwatch/http/send_texts.py`) reach the
client whole, each once and in order, however many queue up at once: forty pings in
one TCP write give forty pongs, then a chat line the other member sent in between
still arrives, and the socket closes cleanly afterwards. Also when the kernel takes
only part of a write at once (a client reading slowly): the rest follows through
Hypercorn's own path, before anything else."""

from __future__ import annotations

import json

import httpx
import pytest

from syncwatch.http import send_texts
from tests.support.socket_fuzz import client_frame, open_raw_socket
from tests.support.ws import PROTOCOL, create_room, register, room_client

TEXT, CLOSE = 0x1, 0x8


def frame(message: dict[str, object]) -> bytes:
    return client_frame(TEXT, json.dumps(message).encode())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("kernel_takes", ["all", "7 bytes at a time"])
async def test_a_burst_of_frames_comes_back_whole_once_each_and_in_order(
    live_server: str, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, kernel_takes: str
) -> None:
    if kernel_takes != "all":
        write_now = send_texts._write_now
        monkeypatch.setattr(send_texts, "_write_now", lambda tcp, data: write_now(tcp, data[:7]))
    owner = await register(http, "ann")
    code = (await create_room(http, owner))["code"]
    guest = (await http.post("/api/v1/auth/guest", json={"nickname": "Bob"})).json()
    async with (
        room_client(live_server, code, owner) as ann,
        open_raw_socket(live_server, f"/ws/rooms/{code}") as bob,
    ):
        hello = {
            "type": "hello",
            "data": {"protocolVersion": PROTOCOL, "token": guest["accessToken"]},
        }
        await bob.send(frame(hello))
        assert json.loads(await bob.next_text())["type"] == "welcome"
        burst = b"".join(frame({"type": "time:ping", "data": {"t0": i}}) for i in range(1, 41))
        await bob.send(burst)
        await ann.reply_to(await ann.send("chat:message", {"content": "between"}))

        pongs: list[float] = []
        said: list[str] = []
        while len(pongs) < 40 or "between" not in said:
            message = json.loads(await bob.next_text())
            if message["type"] == "time:pong":
                pongs.append(message["data"]["t0"])
            elif message["type"] == "chat:message" and message["data"]["kind"] == "user":
                said.append(message["data"]["content"])
        assert pongs == list(range(1, 41))
        assert said == ["between"]

        await bob.send(client_frame(CLOSE, (1000).to_bytes(2, "big")))
        assert (await bob.answer()).close_code == 1000
