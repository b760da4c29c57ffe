"""Running the server: Hypercorn's Trio worker, driven programmatically.

`serve_forever` opens the components (`syncwatch/components.py`), which run the
core services, and serves the app beside them. SIGTERM/SIGINT start a graceful
shutdown: `services.shutting_down` is set (room connections send close 1012 and
rooms save their snapshots), HTTP requests in progress get up to 10 s to finish,
then Hypercorn stops accepting and closes what is left within a second. A
second signal cancels everything at once.
A lost core service cancels the server too and ends `trio.run` with
`CoreServiceLost`: the process never serves without its core services.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Generator
from typing import Any

import trio
from hypercorn.config import Config as HypercornConfig
from hypercorn.protocol import ws_stream
from hypercorn.protocol.events import StreamClosed
from hypercorn.trio import serve as hypercorn_serve
from hypercorn.trio import task_group as hypercorn_task_group
from wsproto.connection import Connection, ConnectionState
from wsproto.events import CloseConnection, Event, Message, Ping

import syncwatch.http.bounded_writes  # noqa: F401  (a deadline on Hypercorn's writes)
from syncwatch import collector
from syncwatch.app import create_app
from syncwatch.close_codes import CloseCode
from syncwatch.components import Components, open_components
from syncwatch.http import send_texts
from syncwatch.http.in_flight import InFlightRequests
from syncwatch.observability.logs import get_logger
from syncwatch.settings import Settings

log = get_logger("syncwatch.server")

# In-flight HTTP requests get this long to finish once a shutdown starts
# (WebSockets are closed with 1012 first)...
GRACEFUL_TIMEOUT_S = 10.0
# ...then Hypercorn gets this long for the connections left, which are idle
# keep-alive ones by then (syncwatch/http/in_flight.py says why they linger).
CONNECTION_GRACE_S = 1.0
# Hypercorn refuses frames above this outright (close 1009). The protocol's own
# 64 KiB limit is enforced by the sockets, which answer with an error frame
# and keep the connection; this is only the hard ceiling behind it.
HARD_FRAME_LIMIT = 1024 * 1024


class RefusingWebsocketBuffer(ws_stream.WebsocketBuffer):
    """Hypercorn's message buffer, minus two faults with a message over the ceiling.

    Hypercorn closes such a socket with 1009 but keeps its buffer: every later
    chunk of that message, and every message after it, was still written into
    it (memory without bound), and a binary frame after an oversized text one
    raised TypeError out of the connection handler, which ended the whole
    server (found by tests/fuzz). Once a message is refused, this buffer drops
    everything the closing socket still receives.
    """

    def __init__(self, max_length: int) -> None:
        super().__init__(max_length)
        self.refused = False

    def extend(self, event: Message) -> None:  # type: ignore[type-arg]
        if self.refused:
            raise ws_stream.FrameTooLargeError()
        try:
            super().extend(event)
        except ws_stream.FrameTooLargeError:
            self.clear()
            self.refused = True
            raise


# Hypercorn builds each socket's buffer from this module global.
ws_stream.WebsocketBuffer = RefusingWebsocketBuffer  # type: ignore[misc]

# The close reason sent with a protocol violation: RFC 6455's names, short and
# fixed (wsproto's own message quotes the offending bytes).
VIOLATION_REASONS: dict[int, str] = {
    CloseCode.PROTOCOL_ERROR: "protocol error",
    CloseCode.INVALID_PAYLOAD: "invalid frame payload data",
}


class FailingConnection(Connection):
    """wsproto's connection, answering a protocol violation with a close frame.

    When wsproto finds a violation in what the client sent (a text frame that is
    not UTF-8: 1007; broken framing: 1002) it reports a `CloseConnection` with the
    right code but stays OPEN, and Hypercorn only answers a close the peer began
    (REMOTE_CLOSING): it dropped the TCP connection, and the client saw 1006 with
    no reason. RFC 6455 §7.1.7 asks the endpoint to send the close frame first.
    Marking the connection as closing makes Hypercorn send it (the code, and a
    fixed reason) before it ends the stream.
    """

    def events(self) -> Generator[Event, None, None]:
        for event in super().events():
            if isinstance(event, CloseConnection) and self.state is ConnectionState.OPEN:
                self._state = ConnectionState.REMOTE_CLOSING
                event = CloseConnection(
                    code=event.code, reason=VIOLATION_REASONS.get(event.code, "")
                )
            yield event


# Hypercorn builds each socket's wsproto connection from this module global.
ws_stream.Connection = FailingConnection  # type: ignore[attr-defined]


async def _handle_events(self: ws_stream.WSStream) -> None:
    """Hypercorn's `WSStream._handle_events`, minus a hang after a refused message.

    Hypercorn stopped reading the events of a chunk at the first piece of a message
    over the ceiling (`break`), and every later piece is refused too: whatever came
    after it in the same chunk stayed unparsed until more bytes arrived. When that
    was the client's close (its answer to our 1009, or its own goodbye), nothing more
    ever came: the client waited for the TCP close and the server for the close frame,
    both for ever (found by tests/fuzz). Here a refused piece ends only itself, and
    once our close is sent, data frames are dropped unread (RFC 6455 §1.4).
    """
    for event in self.connection.events():
        if isinstance(event, Message):
            if self.connection.state is not ConnectionState.OPEN:
                continue
            try:
                self.buffer.extend(event)
            except ws_stream.FrameTooLargeError:
                await self._send_wsproto_event(CloseConnection(code=CloseCode.MESSAGE_TOO_BIG))
                continue
            if event.message_finished:
                assert self.app_put is not None  # set when the app was started, before any data
                await self.app_put(self.buffer.to_message())
                self.buffer.clear()
        elif isinstance(event, Ping):
            await self._send_wsproto_event(event.response())
        elif isinstance(event, CloseConnection):
            if self.connection.state == ConnectionState.REMOTE_CLOSING:
                await self._send_wsproto_event(event.response())
            await self.send(StreamClosed(stream_id=self.stream_id))


ws_stream.WSStream._handle_events = _handle_events  # type: ignore[method-assign]


def _no_threads(*_: Any, **__: Any) -> Any:
    """Hypercorn passes thread helpers for WSGI apps; an ASGI app never gets them
    (`hypercorn.app_wrappers.ASGIWrapper`), and SyncWatch's threads go through
    `syncwatch.blocking` with their limiters."""
    raise RuntimeError("SyncWatch is an ASGI app: Hypercorn never runs it in a thread")


async def _spawn_app(
    self: hypercorn_task_group.TaskGroup,
    app: Any,
    config: HypercornConfig,
    scope: Any,
    send: Callable[[Any], Awaitable[None]],
) -> Callable[[Any], Awaitable[None]]:
    """Hypercorn's `TaskGroup.spawn_app`, minus a hang once the app has finished.

    Hypercorn hands the app what the client sends through a bounded queue that
    nobody closes when the app ends. A client that sent faster than the app read
    (a burst, then cut off with 4008) could leave Hypercorn's reader waiting for
    ever to put one more frame into that queue: it then never read the client's
    answer to our close, and client and server each waited for the other to end
    the TCP connection (tests/fuzz). Here the queue closes when the app ends, and
    whatever arrives after that is dropped: nobody would ever read it.
    A WebSocket app is also offered our batched send (`http/send_texts.py`).
    """
    send_texts.offer(scope, send)
    sending, receiving = trio.open_memory_channel[Any](config.max_app_queue_size)

    async def run_app() -> None:
        with receiving:
            await hypercorn_task_group._handle(
                app,
                config,
                scope,
                receiving.receive,
                send,
                _no_threads,
                _no_threads,
            )

    async def put(event: Any) -> None:
        with contextlib.suppress(trio.BrokenResourceError):  # the app has finished
            await sending.send(event)

    assert self._nursery is not None
    self._nursery.start_soon(run_app)
    return put


hypercorn_task_group.TaskGroup.spawn_app = _spawn_app  # type: ignore[method-assign]


def hypercorn_config(settings: Settings) -> HypercornConfig:
    config = HypercornConfig()
    config.bind = [f"{settings.host}:{settings.port}"]
    config.accesslog = None
    config.errorlog = logging.getLogger("hypercorn.error")
    config.graceful_timeout = CONNECTION_GRACE_S
    config.websocket_max_message_size = HARD_FRAME_LIMIT
    config.keep_alive_timeout = 30
    config.include_server_header = False
    return config


async def run_server(
    components: Components,
    *,
    stop: trio.Event,
    task_status: trio.TaskStatus[list[str]] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Serve the running `components` until `stop` is set, then shut down gracefully."""
    app = create_app(components)
    in_flight = InFlightRequests()
    in_flight.install(app)

    async def shutdown_trigger() -> None:
        await stop.wait()
        # Members are told to reconnect (1012) and rooms saved before Hypercorn stops.
        await components.shutdown()
        with trio.move_on_after(GRACEFUL_TIMEOUT_S):
            await in_flight.wait_until_idle()

    await hypercorn_serve(
        app,
        hypercorn_config(components.services.settings),
        shutdown_trigger=shutdown_trigger,
        task_status=task_status,
    )


async def _watch_signals(stop: trio.Event, cancel: trio.CancelScope) -> None:
    with trio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
        async for signum in signals:
            if not stop.is_set():
                log.info("shutting down gracefully", signal=signal.Signals(signum).name)
                stop.set()
            else:
                log.warning("second signal: stopping now", signal=signal.Signals(signum).name)
                cancel.cancel()
                return


async def serve_forever(settings: Settings) -> None:
    stop = trio.Event()
    async with open_components(settings) as components, trio.open_nursery() as nursery:
        nursery.start_soon(_watch_signals, stop, nursery.cancel_scope)
        binds = await nursery.start(_serve_then_end, components, stop, nursery.cancel_scope)
        collector.tune_for_serving()
        log.info("SyncWatch is listening", urls=binds, public_url=settings.public_url)


async def _serve_then_end(
    components: Components,
    stop: trio.Event,
    scope: trio.CancelScope,
    task_status: trio.TaskStatus[list[str]] = trio.TASK_STATUS_IGNORED,
) -> None:
    await run_server(components, stop=stop, task_status=task_status)
    scope.cancel()  # the server is done: end the signal watcher too
