"""Several WebSocket text frames in one write: an ASGI extension of our own.

ASGI sends one message per `send` call, and in Hypercorn each one walks Quart's
wrapper, Hypercorn's `WSStream.app_send`, the protocol's stream lock, a shielded
cancel scope and a `send()` syscall: the largest item of the event loop at a few
hundred rooms (docs/benchmarks.md). A room's command reaches each member as
several frames back to back (the command, its system chat line, the sender's
ack), so a connection's writer usually finds more than one frame waiting.

`offer` puts a `send_texts` callable into the scope's `extensions` (where ASGI
servers offer what the spec does not cover) for a socket served by Hypercorn;
`SocketConnection` then writes everything queued for a client with one call: each
frame encoded by wsproto exactly as `app_send` would, the bytes joined, one write.
Hand-written because neither Hypercorn nor Quart offers a batched send; any
other server (or a test double) simply lacks the extension, and frames go one by
one through the ASGI `send` as before.

The write itself skips Hypercorn's path when it can: with nobody else writing to
the connection (its send lock free) the bytes go to the non-blocking socket at
once, without the lock, the shielded cancel scope and Trio's `send_all` and its
two scheduling points. Whatever the kernel does not take at once (a client that
reads slowly), or a socket that fails, goes the usual way, which waits for room
and reports a closed connection to Hypercorn.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import trio
from hypercorn.protocol.events import Data
from hypercorn.protocol.ws_stream import ASGIWebsocketState, WSStream
from hypercorn.trio.tcp_server import TCPServer
from wsproto.events import TextMessage
from wsproto.utilities import LocalProtocolError

EXTENSION = "syncwatch.websocket.send_texts"

SendTexts = Callable[[Sequence[str]], Awaitable[None]]


def offer(scope: dict[str, Any], send: Callable[..., Awaitable[None]]) -> None:
    """Offer `send_texts` to the app when `send` is a Hypercorn WebSocket stream's."""
    stream = getattr(send, "__self__", None)
    if scope.get("type") == "websocket" and isinstance(stream, WSStream):
        scope.setdefault("extensions", {})[EXTENSION] = _sender(stream)


def of(socket: Any) -> SendTexts | None:
    """The batched send offered to this socket (a Quart websocket), if any."""
    scope = getattr(socket, "scope", None)
    if not isinstance(scope, dict):
        return None
    sender = (scope.get("extensions") or {}).get(EXTENSION)
    return sender if callable(sender) else None


def _tcp_server(stream: WSStream) -> TCPServer | None:
    """The connection under a WebSocket served over HTTP/1.1 and plain TCP, or None
    (HTTP/2, TLS in Hypercorn itself, another layout): then only the usual path."""
    protocol = getattr(stream.send, "__self__", None)
    server = getattr(getattr(protocol, "send", None), "__self__", None)
    if isinstance(server, TCPServer) and isinstance(server.stream, trio.SocketStream):
        return server
    return None


def _write_now(server: TCPServer, data: bytes) -> int:
    """Write what the socket takes without waiting; how many bytes that was."""
    if server.send_lock.locked():
        return 0  # another write is under way: queue behind it, keep the order
    try:
        return os.write(server.stream.socket.fileno(), data)
    except (BlockingIOError, InterruptedError):
        return 0
    except OSError:
        return 0  # a broken connection: the usual path finds it and tells Hypercorn


def _sender(stream: WSStream) -> SendTexts:
    server = _tcp_server(stream)

    async def send_texts(texts: Sequence[str]) -> None:
        # What `app_send` does for each "websocket.send", for all of them at once.
        if stream.closed or stream.state is not ASGIWebsocketState.CONNECTED:
            return
        chunks: list[bytes] = []
        for text in texts:
            try:
                chunks.append(stream.connection.send(TextMessage(data=text)))
            except LocalProtocolError:
                break  # closing: wsproto sends no more data (`app_send` drops it too)
        data = b"".join(chunks)
        written = _write_now(server, data) if server is not None and data else 0
        if written == len(data):
            return
        rest = Data(stream_id=stream.stream_id, data=data[written:])
        if written == 0:
            await stream.send(rest)
            return
        # Part of a frame is out: the rest must follow before anything else, even if
        # the connection is being cut off (Hypercorn shields its own writes alike).
        with trio.CancelScope(shield=True):
            await stream.send(rest)

    return send_texts
