"""The user WebSocket (`/ws/me`, CONTRACT.md §3): presence, friend requests, invitations.

A `SocketConnection` whose `hello` (registered users only) registers the
socket with the `UserHub`; the welcome lists the user's friends with their
presence, the status the user chose and their unread notification count.
Afterwards the server pushes `friend:presence`, `friend:request`,
`friend:accepted`, `room:invitation`, `notification` and
`notifications:unread`; the client may send `time:ping`,
`presence:heartbeat`, `presence:active`, `presence:set {status}` and
`room:invite {userId, roomCode}` (every message with an `id` gets an `ack`
or an `error`). The messages are the models of
`syncwatch.protocol.user_messages`.
"""

from __future__ import annotations

from typing import Any

from quart import Blueprint, websocket

from syncwatch.auth.identity import Caller
from syncwatch.close_codes import CloseCode
from syncwatch.errors import Unauthorized
from syncwatch.http.hygiene import websocket_origin_allowed
from syncwatch.http.socket_connection import SocketConnection
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol import user_messages as um
from syncwatch.protocol.version import PROTOCOL_VERSION
from syncwatch.services import Services
from syncwatch.social.friends import FriendsService
from syncwatch.social.hub import UserHub
from syncwatch.social.notifications import Notifier


class UserConnection(SocketConnection):
    outbound_limit = 128

    def __init__(
        self,
        services: Services,
        socket: Any,
        hub: UserHub,
        friends: FriendsService,
        notifier: Notifier,
    ) -> None:
        super().__init__(services, socket)
        self._hub = hub
        self._friends = friends
        self._notifier = notifier
        self._caller: Caller | None = None

    def parse(self, frame: str | bytes) -> um.UserClientMessage:
        return um.parse_user_frame(frame)

    async def open(self, hello: m.Hello) -> None:
        caller = await self.authenticate(hello.data.token)
        if caller.is_guest:
            raise Unauthorized("Sign up to see friends and invitations.")
        friends = await self._hub.connect(caller.subject_id, caller.username, self)
        self._caller = caller
        welcome = um.UserWelcomeData(
            protocol_version=PROTOCOL_VERSION,
            server_time=self._services.clock.now_ms(),
            deprecated=self.protocol_deprecated,
            you=um.UserView(user_id=caller.subject_id, username=caller.username),
            friends=friends,
            status=self._hub.chosen(caller.subject_id),
            unread_notifications=await self._notifier.unread(caller.subject_id),
        )
        self.send(um.UserWelcome(data=welcome))

    async def handle(
        self, message: m.Heartbeat | um.RoomInvite | um.PresenceSet | um.PresenceActive
    ) -> None:
        assert self._caller is not None  # set by `open`, before any message
        if isinstance(message, um.RoomInvite):
            await self._friends.invite(self._caller, message.data.user_id, message.data.room_code)
        elif isinstance(message, um.PresenceSet):
            await self._hub.choose(self._caller.subject_id, message.data.status)
        elif isinstance(message, um.PresenceActive):
            await self._hub.active(self._caller.subject_id)
        if message.id is not None:
            self.send(out.Ack(re=message.id))

    async def detach(self) -> None:
        if self._caller is not None:
            await self._hub.disconnect(self._caller.subject_id, self.conn_id)


def user_socket_blueprint(
    services: Services, hub: UserHub, friends: FriendsService, notifier: Notifier
) -> Blueprint:
    bp = Blueprint("user_socket", __name__)

    @bp.websocket("/ws/me")
    async def user_socket() -> None:
        await websocket.accept()
        connection = UserConnection(services, websocket, hub, friends, notifier)
        if not websocket_origin_allowed(services, websocket.headers):
            await connection.refuse(CloseCode.FORBIDDEN, "origin not allowed")
            return
        await connection.serve()

    return bp
