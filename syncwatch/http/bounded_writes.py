"""A client that stops reading is cut off, never waited on for ever.

Hypercorn writes to a connection under a shielded cancel scope with no deadline
(`TCPServer.protocol_send`): once a write has begun it cannot be cancelled, since
a frame half sent would corrupt the stream. A client that stops reading, while
the server still has bytes for it, then holds that write, the connection's send
lock, the app task waiting behind it and the TCP connection for as long as the
client lives. When the client is itself stuck writing to us (its answer to our
close frame, behind a burst Hypercorn no longer reads because the app stopped
receiving), the two wait for each other for ever: seen as fuzzing lanes that never
ended in the 100,000-frame socket fuzzing (tests/fuzz).

Here a write keeps its shield (nobody else's cancellation cuts a frame in half) but
goes out in windows of `WINDOW_BYTES`, each with a deadline of `STALL_S`: a client
that takes less than 64 KiB in 10 s (about 50 kbit/s) counts as gone, however
large the write, and a slow phone fetching a video segment keeps going. Past the
deadline the TCP connection is closed, which ends Hypercorn's reader and the app's
socket the way a vanished client does. Hand-written because Hypercorn has no write
timeout (its `read_timeout` covers reads only).
"""

from __future__ import annotations

import trio
from hypercorn.events import Closed, Event, RawData
from hypercorn.trio.tcp_server import TCPServer

from syncwatch.observability.logs import get_logger

log = get_logger("syncwatch.http")

STALL_S = 10.0
"""How long a client may take to read one window."""
WINDOW_BYTES = 64 * 1024
"""The bytes a client must take within `STALL_S` to count as reading."""

_hypercorn_protocol_send = TCPServer.protocol_send


async def protocol_send(self: TCPServer, event: Event) -> None:
    """Hypercorn's `TCPServer.protocol_send`, with a deadline on every window written."""
    if not isinstance(event, RawData):
        await _hypercorn_protocol_send(self, event)
        return
    data = memoryview(event.data)
    async with self.send_lock:
        for start in range(0, len(data), WINDOW_BYTES):
            broken = False
            with trio.CancelScope(shield=True) as writing:
                writing.deadline = trio.current_time() + STALL_S
                try:
                    await self.stream.send_all(data[start : start + WINDOW_BYTES])
                except (trio.BrokenResourceError, trio.ClosedResourceError):
                    broken = True
            if writing.cancelled_caught:
                log.warning("client stopped reading: connection closed", pending=len(data) - start)
                # The TCP stream itself: TLS would try to send its goodbye first, and block.
                transport = getattr(self.stream, "transport_stream", self.stream)
                with trio.CancelScope(shield=True):
                    await transport.aclose()
                broken = True
            if broken:
                await self.protocol.handle(Closed())
                return


TCPServer.protocol_send = protocol_send  # type: ignore[method-assign]
