"""A message over the hard ceiling (1 MiB) closes that socket with 1009, and nothing
else: found by the socket fuzzer (issue 12 §6), where a binary frame right after an
oversized text message crashed Hypercorn's connection handler and with it the
whole server, and every byte after the refused message piled up in memory."""

from __future__ import annotations

import contextlib

import httpx
import pytest
import trio
from trio_websocket import ConnectionClosed, open_websocket_url

from syncwatch.server import HARD_FRAME_LIMIT, RefusingWebsocketBuffer
from tests.support.socket_fuzz import client_frame, open_raw_socket
from tests.support.ws import create_room, register, ws_url


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_frames_after_an_oversized_message_close_only_that_socket(
    live_server: str, http: httpx.AsyncClient
) -> None:
    token = await register(http, "ann")
    code = (await create_room(http, token))["code"]
    codes: list[int] = []

    async def oversized_then(follow_up: str | bytes) -> None:
        async with open_websocket_url(
            ws_url(live_server, code), max_message_size=4 * 1024 * 1024, disconnect_timeout=1
        ) as ws:
            try:
                await ws.send_message("x" * (HARD_FRAME_LIMIT + 10))
                await ws.send_message(follow_up)
                await ws.send_message("more")
                with trio.fail_after(15):
                    while True:
                        await ws.get_message()
            except ConnectionClosed as closed:
                codes.append(closed.reason.code)

    async with trio.open_nursery() as nursery:
        for follow_up in (b"\x00binary", "text", b""):
            nursery.start_soon(oversized_then, follow_up)
    assert codes == [1009, 1009, 1009]
    # The server is still there, and a new socket works.
    assert (await http.get("/health/live")).status_code == 200
    async with open_websocket_url(ws_url(live_server, code)) as ws:
        await ws.send_message(
            f'{{"type":"hello","data":{{"protocolVersion":"1.0.0","token":"{token}"}}}}'
        )
        assert '"welcome"' in await ws.get_message()


def test_the_rest_of_a_refused_message_is_dropped_not_kept() -> None:
    from hypercorn.protocol.ws_stream import FrameTooLargeError
    from wsproto.events import BytesMessage, TextMessage

    buffer = RefusingWebsocketBuffer(10)
    with contextlib.suppress(FrameTooLargeError):
        buffer.extend(TextMessage(data="x" * 11, message_finished=False))
    for event in (TextMessage(data="y" * 1000), BytesMessage(data=b"z" * 1000)):
        with contextlib.suppress(FrameTooLargeError):
            buffer.extend(event)
    assert buffer.length == 0
    assert buffer.value is None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_close_right_behind_an_oversized_message_ends_the_connection(
    live_server: str,
) -> None:
    # Found by the socket fuzzer: the close that came in the same read as the refused
    # message's last piece was left unparsed, and client and server waited for each
    # other for ever (the connection was never released).
    big = client_frame(0x1, b"x" * (HARD_FRAME_LIMIT + 50_000))
    goodbye = client_frame(0x8, (1000).to_bytes(2, "big"))
    async with open_raw_socket(live_server, "/ws/rooms/ABCDEFGH") as raw:
        await raw.send(big + goodbye)

        answer = await raw.answer()
        assert answer.close_code == 1009
        with trio.fail_after(5):
            while await raw.next_frame() is not None:
                pass  # until the server ends the TCP connection
