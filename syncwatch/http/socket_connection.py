"""`SocketConnection`: the one WebSocket connection both sockets are built on.

Owns what `/ws/rooms/{code}` and `/ws/me` share, so it is written once: the
`hello` within 10 s and the protocol version it names; `time:ping` answered by
the reader itself, never queued behind other work; a bounded outbound queue
drained by one writer, where a connection too slow to keep up is cut off
(4008) rather than buffered; the flood guard, frames over 64 KiB and malformed
frames answered with `error` frames, repeated abuse closed (4008); a server
shutdown closing every connection (1012); a signed-out session closing its
sockets (an `invalid_token` error frame, then 4001: `auth/revocation.py`); and
the close frame, sent within 2 s or not at all. A refusal is a
`SyncWatchError`, which names its close code.

A socket subclasses it and says what its `hello` opens (`open`), what a
message does (`handle`) and what closing leaves behind (`detach`).
"""

from __future__ import annotations

import contextlib
import math
from abc import ABC, abstractmethod
from typing import Any, ClassVar

import trio

from syncwatch.auth.identity import Caller
from syncwatch.close_codes import CloseCode
from syncwatch.errors import BadMessage, InvalidToken, RateLimited, SyncWatchError
from syncwatch.http import send_texts
from syncwatch.ids import new_id
from syncwatch.observability.logs import get_logger
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.version import negotiate
from syncwatch.protocol.wire import WireModel
from syncwatch.services import Services

log = get_logger("syncwatch.sockets")

HELLO_TIMEOUT_S = 10.0
CLOSE_FRAME_TIMEOUT_S = 2.0
MAX_RTT_MS = 60_000
# At most this many queued frames go out in one write (a bound on one write's size:
# 32 frames of the 64 KiB a frame may have is 2 MiB, of the usual ~500 B, 16 KiB).
WRITE_BATCH = 32


class FloodGuard:
    """A token bucket per connection; strikes for refused frames, forgiven over time.

    50 frames/s sustained with bursts of 100 leaves room for voice signalling
    (ICE candidates arrive in bursts) and ping bursts; 30 strikes that are not
    forgiven (one per second) mean deliberate abuse.
    """

    RATE_PER_S = 50.0
    BURST = 100.0
    MAX_STRIKES = 30.0

    def __init__(self) -> None:
        self._tokens = self.BURST
        self._strikes = 0.0
        self._updated = trio.current_time()

    def _refill(self) -> None:
        now = trio.current_time()
        elapsed = now - self._updated
        self._updated = now
        self._tokens = min(self.BURST, self._tokens + elapsed * self.RATE_PER_S)
        self._strikes = max(0.0, self._strikes - elapsed)

    def admit(self) -> bool:
        self._refill()
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    def strike(self) -> bool:
        """Count one abusive frame; True when the connection must be closed."""
        self._refill()
        self._strikes += 1
        return self._strikes > self.MAX_STRIKES


class CloseConnection(Exception):
    """Raised inside a connection to end it with a close code."""

    def __init__(self, code: CloseCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class SocketConnection(ABC):
    outbound_limit: ClassVar[int] = 256
    """Frames queued for one client before it counts as too slow."""

    def __init__(self, services: Services, socket: Any) -> None:
        self.conn_id = new_id()
        self.protocol_deprecated = False
        self._services = services
        self._socket = socket
        self._outbound_send, self._outbound = trio.open_memory_channel[str](self.outbound_limit)
        self._close: tuple[CloseCode, str] | None = None
        self._scope = trio.CancelScope()
        self._guard = FloodGuard()
        self._hello_id: str | None = None
        self._signed_in: Caller | None = None
        self._send_texts = send_texts.of(socket)

    # --- what a socket says --------------------------------------------------------------

    @abstractmethod
    def parse(self, frame: str | bytes) -> Any:
        """One of this socket's client messages, or `BadMessage`."""

    @abstractmethod
    async def open(self, hello: m.Hello) -> None:
        """Authenticate and attach after a compatible `hello`, queueing the `welcome`;
        raise a `SyncWatchError` (or `CloseConnection`) to refuse."""

    @abstractmethod
    async def handle(self, message: Any) -> None:
        """A client message other than `hello` and `time:ping`; a `SyncWatchError` raised
        here is answered with an `error` frame and the connection stays open."""

    async def detach(self) -> None:  # noqa: B027 (nothing to undo unless a socket says so)
        """Undo what `open` attached; runs shielded once the connection has ended."""

    def cut_off(self) -> None:  # noqa: B027
        """The client was too slow and is cut off: release at once what it holds."""

    def observe_rtt(self, rtt_ms: float) -> None:  # noqa: B027
        """A round-trip time the client measured and reported in `time:ping`."""

    async def authenticate(self, token: str) -> Caller:
        """The identity `hello`'s token proves; this socket closes when its session is
        signed out."""
        caller = await self._services.auth.authenticate_live(token)
        self._signed_in = caller
        self._services.auth.revocations.attach(caller, self)
        return caller

    # --- the outlet: what the rest of the server calls -----------------------------------

    def server_stopping(self) -> None:
        """The server is shutting down: the client reconnects elsewhere or later (1012)."""
        self.close(CloseCode.SERVER_RESTARTING, "server restarting")

    def signed_out(self) -> None:
        """The session this socket was opened with ended: tell the client, close 4001."""
        self.send(out.error_frame(InvalidToken("This session was signed out: sign in again.")))
        self.close(CloseCode.UNAUTHORIZED, "signed out")

    def deliver(self, text: str) -> None:
        """Queue a frame without waiting; a full queue cuts the client off (4008)."""
        try:
            self._outbound_send.send_nowait(text)
        except trio.WouldBlock:
            log.warning("client too slow: closing", conn=self.conn_id)
            self._request_close(CloseCode.POLICY, "too slow", drain=False)
        except trio.ClosedResourceError:
            pass

    def send(self, message: WireModel) -> None:
        self.deliver(message.to_json())

    def close(self, code: CloseCode, reason: str) -> None:
        """Close once what is queued is sent (does not wait)."""
        self._request_close(code, reason, drain=True)

    @property
    def close_code(self) -> CloseCode | None:
        """The code this connection is closing with, once a close was asked for."""
        return None if self._close is None else self._close[0]

    async def refuse(self, code: CloseCode, reason: str) -> None:
        """Close before serving anything (a refused origin)."""
        self._request_close(code, reason, drain=True)
        await self._send_close()

    def _request_close(self, code: CloseCode, reason: str, *, drain: bool) -> None:
        if self._close is None:
            self._close = (code, reason)
            self._services.metrics.ws_closed.labels(str(int(code))).inc()
        self._outbound_send.close()  # the writer sends what is queued, then stops
        if not drain:
            self._scope.cancel()
            self.cut_off()

    # --- the connection's life -----------------------------------------------------------

    async def serve(self) -> None:
        """Serve the connection from `hello` to the close frame."""
        metrics = self._services.metrics
        try:
            with self._scope:
                await self._open(await self._receive_hello())
                metrics.connected_clients.inc()
                # Two tasks a connection, no more: a shutdown and a sign-out elsewhere
                # reach it through `Shutdown` and `Revocations` (one task each per
                # process), not through watcher tasks of its own.
                self._services.shutting_down.attach(self)
                try:
                    async with trio.open_nursery() as nursery:
                        nursery.start_soon(self._write, nursery.cancel_scope)
                        nursery.start_soon(self._read)
                finally:
                    self._services.shutting_down.detach(self)
                    metrics.connected_clients.dec()
        except CloseConnection as closed:
            self._request_close(closed.code, closed.reason, drain=True)
        except SyncWatchError as refused:
            # Told before the close, so the client can say why (`banned`, `room_full`,
            # `friends_only`...) and, for `retryAfter`, when to come back.
            await self._tell(refused)
            self._request_close(refused.close_code, refused.close_reason, drain=True)
        finally:
            if self._signed_in is not None:
                self._services.auth.revocations.detach(self._signed_in, self)
            with trio.CancelScope(shield=True):
                await self.detach()
                await self._send_close()

    async def _open(self, hello: m.Hello) -> None:
        self._hello_id = hello.id
        try:
            await self.open(hello)
        except SyncWatchError:
            raise
        except Exception as error:
            log.exception("opening a socket failed", socket=type(self).__name__)
            await self._tell(SyncWatchError())
            raise CloseConnection(CloseCode.INTERNAL_ERROR, "internal_error") from error

    async def _tell(self, error: SyncWatchError) -> None:
        """An `error` frame before the close (answering the `hello`, `re`, when it had an
        id); a peer already gone hears nothing."""
        with trio.move_on_after(CLOSE_FRAME_TIMEOUT_S), contextlib.suppress(Exception):
            await self._socket.send(out.error_frame(error, self._hello_id).to_json())

    async def _receive_hello(self) -> m.Hello:
        with trio.move_on_after(HELLO_TIMEOUT_S):
            frame = await self._receive_frame()
            try:
                message = self._parse_hello(frame)
                negotiation = negotiate(message.data.protocol_version)
            except BadMessage as error:
                await self._socket.send(out.error_frame(error, error.reply_to).to_json())
                raise CloseConnection(CloseCode.UNAUTHORIZED, "expected hello") from error
            if not negotiation.compatible:
                raise CloseConnection(CloseCode.INCOMPATIBLE, "incompatible protocol version")
            self.protocol_deprecated = negotiation.deprecated
            return message
        raise CloseConnection(CloseCode.UNAUTHORIZED, "no hello within 10 s")

    def _parse_hello(self, frame: str | bytes) -> m.Hello:
        message = self.parse(frame)
        if not isinstance(message, m.Hello):
            raise BadMessage("The first frame must be hello.", reply_to=message.id)
        return message

    async def _receive_frame(self) -> str | bytes:
        # Quart hands an empty binary frame over as None; it is an empty frame, refused
        # like any other binary one, not a crash of the connection (found by tests/fuzz).
        frame = await self._socket.receive()
        return b"" if frame is None else frame

    async def _read(self) -> None:
        while True:
            frame = await self._receive_frame()
            received_ms = self._services.clock.now_ms()
            if not self._guard.admit():
                self._refuse(RateLimited(1, "Slow down: too many messages."), m.reply_id(frame))
                continue
            size = len(frame.encode() if isinstance(frame, str) else frame)
            if size > m.MAX_FRAME_BYTES:
                refusal = BadMessage(f"Frames are limited to {m.MAX_FRAME_BYTES} bytes.")
                self._refuse(refusal, m.reply_id(frame))
                continue
            try:
                message = self.parse(frame)
            except BadMessage as error:
                self._refuse(error, error.reply_to)
                continue
            match message:
                case m.TimePing():
                    self._pong(message, received_ms)
                case m.Hello():
                    self._refuse(BadMessage("Already joined: hello comes once."), message.id)
                case _:
                    try:
                        await self.handle(message)
                    except SyncWatchError as error:
                        self.send(out.error_frame(error, message.id))

    def _pong(self, ping: m.TimePing, received_ms: int) -> None:
        pong = out.TimePong(
            data=out.TimePongData(t0=ping.data.t0, t1=received_ms, t2=self._services.clock.now_ms())
        )
        self.send(pong)
        rtt = ping.data.rtt_ms
        if rtt is not None and math.isfinite(rtt) and 0 <= rtt < MAX_RTT_MS:
            self.observe_rtt(rtt)

    def _refuse(self, error: SyncWatchError, reply_to: str | None) -> None:
        """An `error` frame for an abusive frame, and a strike towards closing (4008)."""
        self.send(out.error_frame(error, reply_to))
        if self._guard.strike():
            self._request_close(CloseCode.POLICY, "flooding", drain=True)

    async def _write(self, done: trio.CancelScope) -> None:
        batched = self._send_texts
        async for text in self._outbound:
            if batched is None:
                await self._socket.send(text)
                continue
            # Whatever else is already queued goes in the same write: never waits for
            # more, so a lone frame leaves at once.
            batch = [text]
            while len(batch) < WRITE_BATCH:
                try:
                    batch.append(self._outbound.receive_nowait())
                except (trio.WouldBlock, trio.EndOfChannel):
                    break
            await batched(batch)
        done.cancel()  # a close was requested and everything queued is out

    async def _send_close(self) -> None:
        code, reason = self._close or (CloseCode.NORMAL, "bye")
        # The peer may be gone already: then there is nobody to tell.
        with trio.move_on_after(CLOSE_FRAME_TIMEOUT_S), contextlib.suppress(Exception):
            await self._socket.close(int(code), reason)
