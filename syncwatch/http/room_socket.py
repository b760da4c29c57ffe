"""The room WebSocket (`/ws/rooms/{code}`, CONTRACT.md §2): one `RoomConnection` per socket.

A connection owns two tasks: a reader that authenticates the `hello`, answers
`time:ping` itself (never queued behind room work) and hands everything else to
the room's inbox, and a writer that drains the connection's bounded outbound
queue. The room delivers frames with `deliver`, which never blocks: when the
queue is full the member is too slow, and the connection closes itself with
4008 while the room carries on. Frames over 64 KiB, malformed frames and
floods get `error` frames; a client that keeps abusing is closed with 4008.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import trio
from quart import Blueprint, websocket

from syncwatch.errors import (
    BadMessage,
    Banned,
    Forbidden,
    RateLimited,
    RoomFull,
    RoomNotFound,
    RoomUnavailable,
    ServiceUnavailable,
    SyncWatchError,
    Unauthorized,
    WrongPassword,
)
from syncwatch.http.caller import socket_client_ip
from syncwatch.http.hygiene import websocket_origin_allowed
from syncwatch.ids import new_id
from syncwatch.observability.logs import get_logger
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.version import negotiate
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.directory import RoomDirectory
from syncwatch.rooms.registry import RoomRegistry
from syncwatch.rooms.room import Room, RoomStopped
from syncwatch.services import Services
from syncwatch.store.repositories import RoomRecord

log = get_logger("syncwatch.gateway")

HELLO_TIMEOUT_S = 10.0
OUTBOUND_LIMIT = 256  # frames queued for one member before it counts as too slow
CLOSE_FRAME_TIMEOUT_S = 2.0

CLOSE_UNAUTHORIZED = 4001
CLOSE_FORBIDDEN = 4003
CLOSE_NOT_FOUND = 4004
CLOSE_POLICY = 4008
CLOSE_FULL = 4009
CLOSE_INCOMPATIBLE = 4010
CLOSE_INTERNAL_ERROR = 1011
CLOSE_RESTARTING = 1012
CLOSE_TRY_AGAIN_LATER = 1013


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


class _Closed(Exception):
    """Raised inside the connection to end it with a close code."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _close_code_for(error: SyncWatchError) -> int:
    match error:
        case Unauthorized():
            return CLOSE_UNAUTHORIZED
        case RoomNotFound():
            return CLOSE_NOT_FOUND
        case RoomFull():
            return CLOSE_FULL
        case Banned() | WrongPassword() | Forbidden():
            return CLOSE_FORBIDDEN
        case RoomUnavailable():
            return CLOSE_TRY_AGAIN_LATER
        case ServiceUnavailable():
            return CLOSE_RESTARTING
        case _:
            return CLOSE_POLICY


class RoomConnection:
    def __init__(self, services: Services, socket: Any) -> None:
        self.conn_id = new_id()
        self.protocol_deprecated = False
        self._services = services
        self._socket = socket
        self._outbound_send, self._outbound = trio.open_memory_channel[str](OUTBOUND_LIMIT)
        self._close: tuple[int, str] | None = None
        self._scope = trio.CancelScope()
        self._guard = FloodGuard()
        self._room: Room | None = None

    # --- Outlet: what the room calls ----------------------------------------------------

    def deliver(self, text: str) -> None:
        try:
            self._outbound_send.send_nowait(text)
        except trio.WouldBlock:
            self._services.metrics.ws_closed.labels("4008").inc()
            log.warning("member too slow: closing", conn=self.conn_id)
            self._request_close(CLOSE_POLICY, "too slow", drain=False)
        except trio.ClosedResourceError:
            pass

    def close(self, code: int, reason: str) -> None:
        self._request_close(code, reason, drain=True)

    def _request_close(self, code: int, reason: str, *, drain: bool) -> None:
        if self._close is None:
            self._close = (code, reason)
        self._outbound_send.close()  # the writer sends what is queued, then stops
        if not drain:
            self._scope.cancel()
            if self._room is not None:
                self._room.leave(self.conn_id)

    # --- the connection's life ------------------------------------------------------------

    async def serve(self, code: str, registry: RoomRegistry, directory: RoomDirectory) -> None:
        room: Room | None = None
        metrics = self._services.metrics
        try:
            with self._scope:
                room = self._room = await self._join(code, registry, directory)
                metrics.connected_clients.inc()
                try:
                    async with trio.open_nursery() as nursery:
                        nursery.start_soon(self._write, nursery.cancel_scope)
                        nursery.start_soon(self._read, room)
                finally:
                    metrics.connected_clients.dec()
        except _Closed as closed:
            self._close = self._close or (closed.code, closed.reason)
        finally:
            with trio.CancelScope(shield=True):
                if room is not None:
                    room.leave(self.conn_id)
                await self._send_close()

    async def _join(self, code: str, registry: RoomRegistry, directory: RoomDirectory) -> Room:
        hello = await self._receive_hello()
        negotiation = negotiate(hello.data.protocol_version)
        if not negotiation.compatible:
            raise _Closed(CLOSE_INCOMPATIBLE, "incompatible protocol version")
        self.protocol_deprecated = negotiation.deprecated
        try:
            auth_identity = self._services.auth.authenticate(hello.data.token)
            record = await directory.get(code)
            client_ip = socket_client_ip(self._services)
            await directory.check_password(record, auth_identity, hello.data.password, client_ip)
            identity = Joiner(
                subject_id=auth_identity.subject_id,
                display_name=auth_identity.username,
                is_guest=auth_identity.is_guest,
            )
            return await self._take_seat(registry, record, identity, hello)
        except RateLimited as error:
            raise _Closed(CLOSE_POLICY, "too many wrong passwords") from error
        except ServiceUnavailable as error:
            # Worth telling why: the client reconnects, after `retryAfter` if given.
            await self._socket.send(out.error_frame(error).to_json())
            raise _Closed(_close_code_for(error), error.code) from error
        except SyncWatchError as error:
            raise _Closed(_close_code_for(error), error.code) from error
        except Exception as error:
            log.exception("joining a room failed", room=code)
            await self._socket.send(out.error_frame(SyncWatchError()).to_json())
            raise _Closed(CLOSE_INTERNAL_ERROR, "internal_error") from error

    async def _take_seat(
        self, registry: RoomRegistry, record: RoomRecord, identity: Joiner, hello: m.Hello
    ) -> Room:
        for _attempt in range(3):
            room = await registry.room_for(record)
            try:
                await room.join(
                    self,
                    identity,
                    last_seq=hello.data.last_seq,
                    last_message_id=hello.data.last_message_id,
                )
            except RoomStopped:
                continue  # it stopped just now: the registry starts it again
            return room
        raise RoomUnavailable(1, "The room could not be opened; try again.")

    async def _receive_hello(self) -> m.Hello:
        with trio.move_on_after(HELLO_TIMEOUT_S):
            frame = await self._socket.receive()
            try:
                message = m.parse_client_frame(frame)
            except BadMessage as error:
                await self._socket.send(out.error_frame(error).to_json())
                raise _Closed(CLOSE_UNAUTHORIZED, "expected hello") from error
            if not isinstance(message, m.Hello):
                await self._socket.send(
                    out.error_frame(BadMessage("The first frame must be hello.")).to_json()
                )
                raise _Closed(CLOSE_UNAUTHORIZED, "expected hello")
            return message
        raise _Closed(CLOSE_UNAUTHORIZED, "no hello within 10 s")

    async def _read(self, room: Room) -> None:
        while True:
            frame = await self._socket.receive()
            received_ms = self._services.clock.now_ms()
            if not self._guard.admit():
                self._refuse(RateLimited(1, "Slow down: too many messages."), None)
                continue
            size = len(frame.encode() if isinstance(frame, str) else frame)
            if size > m.MAX_FRAME_BYTES:
                self._refuse(BadMessage(f"Frames are limited to {m.MAX_FRAME_BYTES} bytes."), None)
                continue
            try:
                message = m.parse_client_frame(frame)
            except BadMessage as error:
                self._refuse(error, None)
                continue
            match message:
                case m.TimePing():
                    self._pong(message, received_ms, room)
                case m.Hello():
                    self._refuse(BadMessage("Already joined: hello comes once."), message.id)
                case _:
                    if not room.submit(self.conn_id, message):
                        self.deliver(
                            out.error_frame(
                                RateLimited(1, "The room is busy; try again."), message.id
                            ).to_json()
                        )

    def _pong(self, ping: m.TimePing, received_ms: int, room: Room) -> None:
        pong = out.TimePong(
            data=out.TimePongData(t0=ping.data.t0, t1=received_ms, t2=self._services.clock.now_ms())
        )
        self.deliver(pong.to_json())
        rtt = ping.data.rtt_ms
        if rtt is not None and math.isfinite(rtt) and 0 <= rtt < 60_000:
            room.record_rtt(self.conn_id, rtt)
            self._services.metrics.ws_rtt.observe(rtt)

    def _refuse(self, error: SyncWatchError, reply_to: str | None) -> None:
        self.deliver(out.error_frame(error, reply_to).to_json())
        if self._guard.strike():
            self._services.metrics.ws_closed.labels("4008").inc()
            self._request_close(CLOSE_POLICY, "flooding", drain=True)

    async def _write(self, done: trio.CancelScope) -> None:
        async for text in self._outbound:
            await self._socket.send(text)
        done.cancel()  # a close was requested and everything queued is out

    async def _send_close(self) -> None:
        code, reason = self._close or (1000, "bye")
        # The peer may be gone already: then there is nobody to tell.
        with trio.move_on_after(CLOSE_FRAME_TIMEOUT_S), contextlib.suppress(Exception):
            await self._socket.close(code, reason)


def room_socket_blueprint(
    services: Services, registry: RoomRegistry, directory: RoomDirectory
) -> Blueprint:
    bp = Blueprint("room_socket", __name__)

    @bp.websocket("/ws/rooms/<code>")
    async def room_socket(code: str) -> None:
        await websocket.accept()
        connection = RoomConnection(services, websocket)
        if not websocket_origin_allowed(services, websocket.headers):
            connection._close = (CLOSE_FORBIDDEN, "origin not allowed")
            await connection._send_close()
            return
        await connection.serve(code.upper(), registry, directory)

    return bp
