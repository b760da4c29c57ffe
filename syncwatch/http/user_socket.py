"""The user WebSocket (`/ws/me`, CONTRACT.md §3): presence, friend requests, invitations.

Same `hello`/`welcome` handshake as a room, without a room. The welcome lists
the user's friends with their presence; afterwards the server pushes
`friend:presence`, `friend:request`, `friend:accepted` and `room:invitation`.
The client may send `time:ping`, `presence:heartbeat` and `room:invite
{userId, roomCode}` (answered with `ack` or `error`).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, Literal

import trio
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from quart import Blueprint, websocket

from syncwatch.errors import BadMessage, SyncWatchError, Unauthorized
from syncwatch.http.hygiene import websocket_origin_allowed
from syncwatch.ids import new_id
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.version import PROTOCOL_VERSION, negotiate
from syncwatch.services import Services
from syncwatch.social.friends import FriendsService
from syncwatch.social.hub import UserHub, frame

HELLO_TIMEOUT_S = 10.0
OUTBOUND_LIMIT = 128


class UserFrame(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["time:ping", "presence:heartbeat", "room:invite"]
    id: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class InviteData(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    user_id: str = Field(alias="userId", max_length=64)
    room_code: str = Field(alias="roomCode", min_length=8, max_length=8)


class _Incompatible(Exception):
    """The client speaks another major version of the protocol."""


class UserConnection:
    def __init__(self, services: Services, socket: Any) -> None:
        self.conn_id = new_id()
        self._services = services
        self._socket = socket
        self._send, self._queue = trio.open_memory_channel[str](OUTBOUND_LIMIT)
        self._close_code = 1000

    def deliver(self, text: str) -> None:
        try:
            self._send.send_nowait(text)
        except trio.WouldBlock:
            self._close_code = 4008
            self._send.close()
        except trio.ClosedResourceError:
            pass

    async def serve(self, hub: UserHub, friends: FriendsService) -> None:
        try:
            await self._run(hub, friends)
        finally:
            with trio.move_on_after(2, shield=True), contextlib.suppress(Exception):
                await self._socket.close(self._close_code)

    async def _run(self, hub: UserHub, friends: FriendsService) -> None:
        with trio.move_on_after(HELLO_TIMEOUT_S) as waited:
            raw = await self._socket.receive()
        if waited.cancelled_caught:
            self._close_code = 4001
            return
        try:
            identity = self._authenticate(raw)
        except _Incompatible:
            self._close_code = 4010
            return
        except Unauthorized:
            self._close_code = 4001
            return
        except SyncWatchError as error:
            await self._socket.send(out.error_frame(error).to_json())
            self._close_code = 4001
            return
        listing = await hub.connect(identity.subject_id, identity.username, self)
        try:
            self.deliver(
                frame(
                    "welcome",
                    {
                        "protocolVersion": PROTOCOL_VERSION,
                        "serverTime": self._services.clock.now_ms(),
                        "compatible": True,
                        "you": {"userId": identity.subject_id, "username": identity.username},
                        "friends": listing,
                    },
                )
            )
            async with trio.open_nursery() as nursery:
                nursery.start_soon(self._write, nursery.cancel_scope)
                nursery.start_soon(self._read, identity, friends)
                nursery.start_soon(self._watch_shutdown, nursery.cancel_scope)
        finally:
            with trio.CancelScope(shield=True):
                await hub.disconnect(identity.subject_id, identity.username, self.conn_id)

    def _authenticate(self, raw: str | bytes) -> Any:
        hello = m.parse_client_frame(raw)
        if not isinstance(hello, m.Hello):
            raise BadMessage("The first frame must be hello.")
        if not negotiate(hello.data.protocol_version).compatible:
            raise _Incompatible
        identity = self._services.auth.authenticate(hello.data.token)
        if identity.is_guest:
            raise Unauthorized("Sign up to see friends and invitations.")
        return identity

    async def _write(self, done: trio.CancelScope) -> None:
        async for text in self._queue:
            await self._socket.send(text)
        done.cancel()

    async def _watch_shutdown(self, scope: trio.CancelScope) -> None:
        await self._services.shutting_down.wait()
        self._close_code = 1012
        scope.cancel()

    async def _read(self, identity: Any, friends: FriendsService) -> None:
        while True:
            raw = await self._socket.receive()
            received = self._services.clock.now_ms()
            try:
                if len(raw) > m.MAX_FRAME_BYTES:
                    raise BadMessage("Frames are limited to 64 KiB.")
                try:
                    message = UserFrame.model_validate(json.loads(raw))
                except (ValueError, ValidationError) as error:
                    raise BadMessage(f"Not a message this socket understands: {error}") from None
                if message.type == "time:ping":
                    t0 = message.data.get("t0", 0)
                    self.deliver(
                        frame(
                            "time:pong",
                            {"t0": t0, "t1": received, "t2": self._services.clock.now_ms()},
                        )
                    )
                elif message.type == "room:invite":
                    try:
                        invite = InviteData.model_validate(message.data)
                    except ValidationError as error:
                        raise BadMessage(
                            f"room:invite needs userId and roomCode: {error}"
                        ) from None
                    await friends.invite(identity, invite.user_id, invite.room_code)
                    if message.id:
                        self.deliver(json.dumps({"type": "ack", "re": message.id, "data": {}}))
            except SyncWatchError as error:
                reply_to = None
                with contextlib.suppress(Exception):
                    reply_to = json.loads(raw).get("id")
                self.deliver(out.error_frame(error, reply_to).to_json())


def user_socket_blueprint(services: Services, hub: UserHub, friends: FriendsService) -> Blueprint:
    bp = Blueprint("user_socket", __name__)

    @bp.websocket("/ws/me")
    async def user_socket() -> None:
        await websocket.accept()
        connection = UserConnection(services, websocket)
        if not websocket_origin_allowed(services, websocket.headers):
            await websocket.close(4003)
            return
        await connection.serve(hub, friends)

    return bp
