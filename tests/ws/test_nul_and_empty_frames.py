"""Two frames the socket fuzzer (issue 12 §6) found breaking more than themselves: a
NUL character in chat text failed the whole room's write on PostgreSQL (every member
was sent away with 1011), and an empty binary frame ended its connection with an
unhandled error. Each is now one refusal answering the frame, and the room goes on."""

from __future__ import annotations

import httpx
import pytest

from tests.support.ws import create_room, register, room_client


async def test_text_with_a_nul_character_is_refused_and_the_room_goes_on(
    live_server: str, http: httpx.AsyncClient
) -> None:
    token = await register(http, "ann")
    code = (await create_room(http, token))["code"]
    async with room_client(live_server, code, token) as ann:
        refused = await ann.reply_to(await ann.send("chat:message", {"content": "hi\u0000there"}))
        assert refused["type"] == "error"
        assert refused["data"]["code"] == "bad_message"
        assert "NUL" in refused["data"]["message"]

        said = await ann.reply_to(await ann.send("chat:message", {"content": "hi there"}))
        assert said["type"] == "ack"
    async with room_client(live_server, code, token) as again:
        lines = [line.get("content") for line in again.welcome["chat"] if line["kind"] == "user"]
        assert lines == ["hi there"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_empty_binary_frame_is_refused_like_any_binary_frame(
    live_server: str, http: httpx.AsyncClient
) -> None:
    token = await register(http, "ann")
    code = (await create_room(http, token))["code"]
    async with room_client(live_server, code, token) as ann:
        await ann.ws.send_message(b"")
        refused = await ann.expect("error")
        assert refused["data"]["code"] == "bad_message"
        said = await ann.reply_to(await ann.send("chat:message", {"content": "still here"}))
        assert said["type"] == "ack"
