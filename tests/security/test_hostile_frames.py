"""Findings of the adversarial test, over the room WebSocket: numbers JSON does not
have never reach room state, and every refusal of a frame with an id answers that
id (issue 12 §5.2, §5.8)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.ws import RoomClient, create_room, register, room_client


async def reply_raw(client: RoomClient, frame: str, message_id: str) -> dict[str, object]:
    await client.ws.send_message(frame)
    return await client.reply_to(message_id)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", '"NaN"', '"inf"'])
async def test_a_seek_to_a_number_that_is_not_finite_is_refused_and_changes_nothing(
    http: httpx.AsyncClient, live_server: str, number: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner, playbackControl="all")
    async with room_client(live_server, room["code"], owner) as ann:
        source = await ann.send("sync:source", {"sourceType": "url", "url": "https://x.test/a.mp4"})
        assert (await ann.reply_to(source))["type"] == "ack"
        frame = '{"type":"sync:seek","id":"s1","data":{"targetMediaTimeMs":' + number + "}}"
        refused = await reply_raw(ann, frame, "s1")
        assert refused["type"] == "error"
        assert refused["data"]["code"] == "bad_message"  # type: ignore[index]
    # Nobody else, and no later welcome, sees a broken anchor.
    async with room_client(live_server, room["code"], owner) as again:
        state = again.welcome["state"]
        assert state["sequenceNumber"] == 1
        assert state["anchorMediaTimeMs"] == 0


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e400", '"NaN"'])
async def test_a_ping_with_a_number_that_is_not_finite_gets_an_error_not_a_null_echo(
    http: httpx.AsyncClient, live_server: str, number: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    async with room_client(live_server, room["code"], owner) as ann:
        refused = await reply_raw(
            ann, '{"type":"time:ping","id":"p1","data":{"t0":' + number + "}}", "p1"
        )
        assert refused["type"] == "error"
        assert refused["data"]["code"] == "bad_message"  # type: ignore[index]
        ping = await ann.send("time:ping", {"t0": 12.5})
        pong = await ann.expect("time:pong")
        assert pong["data"]["t0"] == 12.5, ping


@pytest.mark.parametrize(
    ("frame", "why"),
    [
        ({"type": "sync:seek", "data": {"targetMediaTimeMs": "soon"}}, "a wrong field type"),
        ({"type": "sync:teleport", "data": {}}, "an unknown type"),
        ({"type": 42, "data": {}}, "a type that is not a string"),
        ({"type": "chat:message", "data": {"content": "x" * 9000}}, "an oversized chat"),
        ({"type": "chat:message", "data": {"content": "x" * 70_000}}, "a frame over 64 KiB"),
        ({"type": "sync:seek", "data": {"targetMediaTimeMs": 1e400}}, "an infinite number"),
        ({"type": "hello", "data": {"protocolVersion": "1.0.0", "token": "t"}}, "a second hello"),
    ],
)
async def test_every_refusal_of_a_frame_with_an_id_carries_re(
    http: httpx.AsyncClient, live_server: str, frame: dict[str, object], why: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    async with room_client(live_server, room["code"], owner) as ann:
        text = json.dumps({**frame, "id": "ask-1"}).replace("Infinity", "1e400")
        refused = await reply_raw(ann, text, "ask-1")
        assert refused["type"] == "error", why
        assert refused["data"]["code"] == "bad_message", why  # type: ignore[index]
        # The socket stays usable.
        await ann.send("time:ping", {"t0": 1})
        assert (await ann.expect("time:pong"))["data"]["t0"] == 1
