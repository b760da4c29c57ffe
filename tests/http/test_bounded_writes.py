"""A client that stops reading is cut off after `STALL_S`; one that reads slowly
gets everything (syncwatch/http/bounded_writes.py).

Real kernel sockets with small buffers stand in for the network; the clock is Trio's
MockClock, which jumps ahead whenever every task waits.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
import trio
import trio.testing
from hypercorn.events import Closed, RawData
from hypercorn.trio.tcp_server import TCPServer

import syncwatch.server  # noqa: F401  (installs the server's Hypercorn fixes)
from syncwatch.http.bounded_writes import STALL_S, WINDOW_BYTES

PAYLOAD = 512 * 1024


class Protocol:
    def __init__(self) -> None:
        self.events: list[Any] = []

    async def handle(self, event: Any) -> None:
        self.events.append(event)


def connection() -> tuple[TCPServer, Protocol, trio.socket.SocketType]:
    ours, theirs = trio.socket.socketpair()
    ours.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    theirs.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    server = TCPServer.__new__(TCPServer)  # the parts a write uses, without a listener
    server.send_lock = trio.Lock()
    server.stream = trio.SocketStream(ours)  # type: ignore[assignment]
    protocol = Protocol()
    server.protocol = protocol  # type: ignore[assignment]
    return server, protocol, theirs


@pytest.fixture
def clock() -> trio.testing.MockClock:
    return trio.testing.MockClock(autojump_threshold=0)


async def test_a_client_that_takes_nothing_is_cut_off(
    clock: trio.testing.MockClock,
) -> None:
    server, protocol, theirs = connection()
    started = trio.current_time()
    finished: list[float] = []

    async def write() -> None:
        await server.protocol_send(RawData(data=b"x" * PAYLOAD))
        finished.append(trio.current_time())

    async with trio.open_nursery() as nursery:
        nursery.start_soon(write)
        with trio.move_on_after(3 * STALL_S):
            while not finished:
                await trio.sleep(1)
        if not finished:  # without a deadline the write waits for ever: end it, then fail
            theirs.close()
    assert finished[0] - started == pytest.approx(STALL_S, abs=1.01)
    # Hypercorn hears the connection closed, and so does the client, after what
    # the buffers held.
    assert [type(event) for event in protocol.events] == [Closed]
    received = 0
    while chunk := await theirs.recv(65536):
        received += len(chunk)
    assert 0 < received < PAYLOAD


async def test_a_client_that_reads_slowly_gets_every_byte(clock: trio.testing.MockClock) -> None:
    server, protocol, theirs = connection()
    # A little faster than the slowest reading that counts (a window in `STALL_S`), in
    # small sips: the whole write takes many times `STALL_S`.
    sip = 512
    pause = sip / (1.25 * WINDOW_BYTES / STALL_S)
    received = bytearray()

    async def read_slowly() -> None:
        while len(received) < PAYLOAD:
            received.extend(await theirs.recv(sip))
            await trio.sleep(pause)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(read_slowly)
        await server.protocol_send(RawData(data=b"y" * PAYLOAD))

    assert protocol.events == []
    assert bytes(received) == b"y" * PAYLOAD
