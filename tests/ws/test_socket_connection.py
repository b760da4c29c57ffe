"""The one WebSocket connection both sockets are built on, driven through a fake socket.

A minimal socket (`EchoConnection`: a `hello` with token "ok" opens it, every
message with an `id` is acknowledged) shows what every socket gets from
`SocketConnection` without a room or a hub: the hello deadline, version
negotiation, ping, the flood guard, the bounded outbound queue, shutdown, and
refusals closing with the code their error names. On `MockClock`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import trio
import trio.testing

from syncwatch.blocking import run_inline_in_this_run
from syncwatch.clock import Clock
from syncwatch.components import Components, open_components
from syncwatch.errors import Banned, RoomFull, SyncWatchError, Unauthorized
from syncwatch.http import send_texts
from syncwatch.http.socket_connection import SocketConnection
from syncwatch.http.user_socket import UserConnection
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.services import Services
from syncwatch.settings import load_settings
from tests.support.environment import TEST_ENVIRONMENT


class FakeSocket:
    """The server's side of a WebSocket: frames the test pushes, frames the server sent."""

    def __init__(self) -> None:
        self._push, self._inbound = trio.open_memory_channel[str | bytes](1000)
        self.sent: list[str] = []
        self.stalled = False
        self.closed_with: int | None = None

    def push(self, *frames: Any) -> None:
        for frame in frames:
            self._push.send_nowait(frame if isinstance(frame, str | bytes) else json.dumps(frame))

    async def receive(self) -> str | bytes:
        return await self._inbound.receive()

    async def send(self, text: str) -> None:
        if self.stalled:
            await trio.sleep_forever()  # a client that stopped reading
        self.sent.append(text)

    async def close(self, code: int, reason: str = "") -> None:
        self.closed_with = code

    def frames(self, type_: str | None = None) -> list[dict[str, Any]]:
        decoded = [json.loads(text) for text in self.sent]
        return [frame for frame in decoded if type_ is None or frame["type"] == type_]


class EchoConnection(SocketConnection):
    outbound_limit = 8

    def __init__(self, services: Services, socket: Any, refusal: SyncWatchError | None = None):
        super().__init__(services, socket)
        self.refusal = refusal
        self.detached = False
        self.cut = False
        self.rtts: list[float] = []

    def parse(self, frame: str | bytes) -> m.ClientMessage:
        return m.parse_client_frame(frame)

    async def open(self, hello: m.Hello) -> None:
        if self.refusal is not None:
            raise self.refusal
        if hello.data.token != "ok":
            raise Unauthorized()
        self.send(out.Ack(re="hello"))

    async def handle(self, message: m.RoomMessage) -> None:
        if message.id is not None:
            self.send(out.Ack(re=message.id))

    def observe_rtt(self, rtt_ms: float) -> None:
        self.rtts.append(rtt_ms)

    def cut_off(self) -> None:
        self.cut = True

    async def detach(self) -> None:
        self.detached = True


def hello(version: str = "1.0.0", token: str = "ok") -> dict[str, Any]:
    return {"type": "hello", "data": {"protocolVersion": version, "token": token}}


@pytest.fixture
async def components(
    tmp_path: Path, autojump_clock: trio.testing.MockClock
) -> AsyncIterator[Components]:
    run_inline_in_this_run()
    settings = load_settings(
        environ=TEST_ENVIRONMENT,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
    )
    async with open_components(settings, clock=Clock()) as opened:
        yield opened


@pytest.fixture
def services(components: Components) -> Services:
    return components.services


async def serve_until_closed(connection: SocketConnection) -> float:
    """Serve to the end; how long it took on the mock clock."""
    started = trio.current_time()
    with trio.fail_after(60):
        await connection.serve()
    return trio.current_time() - started


async def test_a_user_socket_without_hello_is_closed_with_4001_after_10_seconds(
    components: Components,
) -> None:
    socket = FakeSocket()
    connection = UserConnection(
        components.services, socket, components.hub, components.friends, components.notifier
    )
    waited = await serve_until_closed(connection)
    assert socket.closed_with == 4001
    assert 10.0 <= waited < 10.5


@pytest.mark.parametrize(
    ("first_frame", "code"),
    [
        (hello(version="2.0.0"), 4010),
        (hello(version="one"), 4001),
        ({"type": "time:ping", "id": "p", "data": {"t0": 1}}, 4001),
        ("not json", 4001),
        (hello(token="expired"), 4001),
    ],
)
async def test_a_bad_hello_closes_the_socket_with_its_code(
    services: Services, first_frame: Any, code: int
) -> None:
    socket = FakeSocket()
    socket.push(first_frame)
    connection = EchoConnection(services, socket)
    await serve_until_closed(connection)
    assert socket.closed_with == code
    assert socket.frames("ack") == []


async def test_a_malformed_hello_is_answered_with_an_error_naming_its_id(
    services: Services,
) -> None:
    socket = FakeSocket()
    socket.push({"type": "time:ping", "id": "p", "data": {"t0": 1}})
    await serve_until_closed(EchoConnection(services, socket))
    [error] = socket.frames("error")
    assert error["re"] == "p"
    assert error["data"]["code"] == "bad_message"


@pytest.mark.parametrize(
    ("refusal", "code"),
    [(Unauthorized(), 4001), (Banned(), 4003), (RoomFull(), 4009), (SyncWatchError(), 1011)],
)
async def test_a_refused_open_closes_with_the_code_its_error_names(
    services: Services, refusal: SyncWatchError, code: int
) -> None:
    socket = FakeSocket()
    socket.push(hello())
    connection = EchoConnection(services, socket, refusal=refusal)
    await serve_until_closed(connection)
    assert socket.closed_with == code
    assert connection.detached  # clean-up runs whatever happened
    assert f'syncwatch_ws_closed_total{{code="{code}"}} 1.0' in services.metrics.render().decode()


async def test_ping_is_answered_a_second_hello_refused_and_messages_acknowledged(
    services: Services,
) -> None:
    socket = FakeSocket()
    socket.push(
        hello(),
        {"type": "time:ping", "data": {"t0": 5.5, "rttMs": 42}},
        {**hello(), "id": "again"},
        {"type": "presence:heartbeat", "id": "h1"},
        {"type": "sync:teleport", "id": "t1", "data": {}},
    )
    with trio.fail_after(60):
        async with trio.open_nursery() as nursery:
            connection = EchoConnection(services, socket)
            nursery.start_soon(connection.serve)
            await trio.testing.wait_all_tasks_blocked()
            [pong] = socket.frames("time:pong")
            assert pong["data"]["t0"] == 5.5
            assert connection.rtts == [42]
            errors = {frame["re"]: frame["data"]["code"] for frame in socket.frames("error")}
            assert errors == {"again": "bad_message", "t1": "bad_message"}
            assert [frame["re"] for frame in socket.frames("ack")] == ["hello", "h1"]
            services.shutting_down.set()
    assert socket.closed_with == 1012
    assert connection.detached


async def test_a_shutdown_closes_every_open_socket_with_1012_and_any_opened_after_it_at_once(
    services: Services,
) -> None:
    sockets = [FakeSocket() for _ in range(3)]
    with trio.fail_after(60):
        async with trio.open_nursery() as nursery:
            for socket in sockets:
                socket.push(hello())
                nursery.start_soon(EchoConnection(services, socket).serve)
            await trio.testing.wait_all_tasks_blocked()
            assert [socket.closed_with for socket in sockets] == [None, None, None]
            services.shutting_down.set()
        assert [socket.closed_with for socket in sockets] == [1012, 1012, 1012]
        late = FakeSocket()
        late.push(hello())
        await serve_until_closed(EchoConnection(services, late))
    assert late.closed_with == 1012
    assert [frame["re"] for frame in late.frames("ack")] == ["hello"]


async def test_oversized_frames_get_an_error_and_the_socket_stays_usable(
    services: Services,
) -> None:
    socket = FakeSocket()
    big = {"type": "chat:message", "id": "big", "data": {"content": "x" * (m.MAX_FRAME_BYTES)}}
    socket.push(hello(), big, {"type": "presence:heartbeat", "id": "after"})
    with trio.fail_after(60):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(EchoConnection(services, socket).serve)
            await trio.testing.wait_all_tasks_blocked()
            [error] = socket.frames("error")
            assert error["data"]["code"] == "bad_message"
            assert "65536 bytes" in error["data"]["message"]
            assert socket.frames("ack")[-1]["re"] == "after"
            assert socket.closed_with is None
            nursery.cancel_scope.cancel()


async def test_a_flooding_client_gets_errors_then_is_closed_with_4008(
    services: Services,
) -> None:
    socket = FakeSocket()
    socket.push(hello(), *(["garbage"] * 200))
    connection = EchoConnection(services, socket)
    await serve_until_closed(connection)
    assert socket.closed_with == 4008
    assert 30 <= len(socket.frames("error")) <= 32
    assert 'syncwatch_ws_closed_total{code="4008"} 1.0' in services.metrics.render().decode()


async def test_a_client_too_slow_for_its_queue_is_cut_off_at_once_with_4008(
    services: Services,
) -> None:
    socket = FakeSocket()
    socket.push(hello())
    connection = EchoConnection(services, socket)
    with trio.fail_after(60):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(connection.serve)
            await trio.testing.wait_all_tasks_blocked()
            socket.stalled = True
            for n in range(connection.outbound_limit + 2):
                connection.deliver(json.dumps({"type": "room:participants", "n": n}))
            assert connection.cut  # released before the stalled writer gives up
            assert connection.close_code == 4008
    assert socket.closed_with == 4008
    assert connection.detached


class BatchingSocket(FakeSocket):
    """A socket whose server offers the batched send (as Hypercorn does through
    `syncwatch.http.send_texts`); `held` keeps the first write from finishing."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[list[str]] = []
        self.held = trio.Event()
        self.scope = {"extensions": {send_texts.EXTENSION: self._send_texts}}

    async def _send_texts(self, texts: Any) -> None:
        self.writes.append(list(texts))
        self.sent.extend(texts)
        if len(self.writes) == 1:
            await self.held.wait()

    async def send(self, text: str) -> None:
        raise AssertionError("with the batched send offered, frames never go one by one")


async def test_frames_queued_while_a_write_is_under_way_leave_together_and_in_order(
    services: Services,
) -> None:
    """A client behind a slow write does not pay one write per frame: what queued
    meanwhile leaves in the next write, every frame once, in the order sent."""
    socket = BatchingSocket()
    socket.push(hello())
    with trio.fail_after(60):
        async with trio.open_nursery() as nursery:
            connection = EchoConnection(services, socket)
            nursery.start_soon(connection.serve)
            await trio.testing.wait_all_tasks_blocked()
            assert socket.writes == [[socket.sent[0]]]  # the hello's ack, at once, alone
            socket.push(*({"type": "presence:heartbeat", "id": f"h{i}"} for i in range(5)))
            await trio.testing.wait_all_tasks_blocked()
            socket.held.set()
            await trio.testing.wait_all_tasks_blocked()
            assert [frame["re"] for frame in socket.frames("ack")] == ["hello"] + [
                f"h{i}" for i in range(5)
            ]
            assert [len(write) for write in socket.writes] == [1, 5]
            services.shutting_down.set()
    assert socket.closed_with == 1012
