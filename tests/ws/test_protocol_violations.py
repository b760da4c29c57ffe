"""A frame that breaks the WebSocket protocol itself gets a close frame with the RFC 6455
code and reason, not a dropped TCP connection (which a client sees as 1006, with no
reason): a text frame that is not UTF-8 closes with 1007, broken framing with 1002.
Found by the socket fuzzer (issue 12 §6). The frames are written by hand on a plain
TCP socket, since WebSocket libraries refuse to send them; the room goes on."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.socket_fuzz import client_frame, open_raw_socket, raw_frames
from tests.support.ws import PROTOCOL, create_room, register, room_client

TEXT, CLOSE = 0x1, 0x8


def hello(token: str) -> bytes:
    return json.dumps(
        {"type": "hello", "data": {"protocolVersion": PROTOCOL, "token": token}}
    ).encode()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "payload",
    [b"\xc3\x28", b"\xed\xa0\x80", b'{"type":"hello","data":{"token":"\xff\xfe"}}'],
    ids=["broken-sequence", "surrogate", "inside-json"],
)
async def test_a_text_frame_that_is_not_utf8_closes_with_1007(
    live_server: str, payload: bytes
) -> None:
    answer = await raw_frames(live_server, "/ws/rooms/ABCDEFGH", [client_frame(TEXT, payload)])

    assert answer.close_code == 1007
    assert answer.close_reason == "invalid frame payload data"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_member_sending_invalid_utf8_is_closed_with_1007_and_the_room_goes_on(
    live_server: str, http: httpx.AsyncClient
) -> None:
    owner = await register(http, "ann")
    code = (await create_room(http, owner))["code"]
    guest = (await http.post("/api/v1/auth/guest", json={"nickname": "Bob"})).json()
    async with (
        room_client(live_server, code, owner) as ann,
        open_raw_socket(live_server, f"/ws/rooms/{code}") as bob,
    ):
        await bob.send(client_frame(TEXT, hello(guest["accessToken"])))
        assert json.loads(await bob.next_text())["type"] == "welcome"
        await bob.send(client_frame(TEXT, b"\x80\x81"))

        answer = await bob.answer()
        assert (answer.close_code, answer.close_reason) == (1007, "invalid frame payload data")
        # The room goes on for Ann.
        said = await ann.reply_to(await ann.send("chat:message", {"content": "still here"}))
        assert said["type"] == "ack"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_broken_framing_closes_with_1002(live_server: str) -> None:
    unmasked = client_frame(TEXT, b'{"type":"time:ping","data":{"t0":1}}', masked=False)
    reserved_opcode = client_frame(0x3, b"")

    for frame in (unmasked, reserved_opcode):
        answer = await raw_frames(live_server, "/ws/rooms/ABCDEFGH", [frame])
        assert (answer.close_code, answer.close_reason) == (1002, "protocol error")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_close_the_client_begins_is_still_answered_with_its_own_code(
    live_server: str,
) -> None:
    answer = await raw_frames(
        live_server, "/ws/rooms/ABCDEFGH", [client_frame(CLOSE, (1000).to_bytes(2, "big"))]
    )

    assert answer.close_code == 1000
