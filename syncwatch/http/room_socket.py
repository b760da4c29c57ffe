"""The room WebSocket (`/ws/rooms/{code}`, CONTRACT.md §2): one `RoomConnection` per socket.

A `SocketConnection` whose `hello` authenticates, is admitted like the REST
pre-flight (`RoomDirectory.admit`: limits, bans, privacy, password) and seats the
connection in the room's actor; every message but `hello` and
`time:ping` goes to the room's inbox. The room delivers frames with `deliver`,
which never blocks: a member too slow for its queue is cut off with 4008 and
its seat freed at once, while the room carries on.
"""

from __future__ import annotations

from typing import Any

from quart import Blueprint, websocket

from syncwatch.close_codes import CloseCode
from syncwatch.errors import RateLimited, RoomUnavailable
from syncwatch.http.caller import socket_client_ip
from syncwatch.http.device import device_id
from syncwatch.http.hygiene import websocket_origin_allowed
from syncwatch.http.socket_connection import SocketConnection
from syncwatch.observability.logs import get_logger
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.directory import RoomDirectory, password_stamp
from syncwatch.rooms.registry import RoomRegistry
from syncwatch.rooms.room import Room, RoomStopped
from syncwatch.services import Services
from syncwatch.social.hub import UserHub

JOIN_ATTEMPTS = 3
log = get_logger("syncwatch.rooms")


def joiner_role(caller: Any) -> str:
    return "guest" if caller.is_guest else "participant"


class RoomConnection(SocketConnection):
    outbound_limit = 256

    def __init__(
        self,
        services: Services,
        socket: Any,
        code: str,
        registry: RoomRegistry,
        directory: RoomDirectory,
        hub: UserHub | None = None,
    ) -> None:
        super().__init__(services, socket)
        self._code = code
        self._registry = registry
        self._directory = directory
        self._hub = hub
        self._room: Room | None = None
        self._subject_id: str | None = None

    def parse(self, frame: str | bytes) -> m.ClientMessage:
        return m.parse_client_frame(frame)

    async def open(self, hello: m.Hello) -> None:
        caller = await self.authenticate(hello.data.token)
        client_ip = socket_client_ip(self._services)
        record = await self._directory.find(self._code, client_ip)
        # Saturated: newcomers get `overloaded` and close 1013; a member coming back
        # (with `lastSeq`) to a room running here keeps its seat.
        self._registry.admit(record.code, resuming=hello.data.last_seq is not None)
        stamp = password_stamp(record)
        room = await self._registry.room_for(record)
        device = device_id(websocket.cookies)
        # Someone the room admitted with this password before comes back without it.
        await self._directory.admit(
            record,
            caller,
            password=hello.data.password,
            ip=client_ip,
            device_id=device,
            admitted=room.state.admits(caller.subject_id, stamp),
        )
        needs_password = self._directory.needs_password(record, caller)
        joiner = Joiner(
            subject_id=caller.subject_id,
            display_name=caller.username,
            is_guest=caller.is_guest,
            password_stamp=stamp if needs_password else None,
            device_id=device,
            address=client_ip,
        )
        for attempt in range(JOIN_ATTEMPTS):
            if attempt:
                room = await self._registry.room_for(record)
            try:
                await room.join(
                    self,
                    joiner,
                    last_seq=hello.data.last_seq,
                    last_message_id=hello.data.last_message_id,
                )
            except RoomStopped:
                continue  # it stopped just now: the registry starts it again
            self._room = room
            if self._hub is not None:
                # Friends see "watching <room> · 2 of 5" (syncwatch.social.presence).
                self._subject_id = caller.subject_id
                await self._hub.enter_room(
                    self._code,
                    self.conn_id,
                    caller.subject_id,
                    caller.username,
                    registered=not caller.is_guest,
                )
            role = "owner" if record.owner_id == caller.subject_id else joiner_role(caller)
            try:
                await self._directory.record_visit(record, caller, role)
            except Exception:
                # "My rooms" misses one visit; the member is seated and stays so.
                log.exception("room visit not recorded", room=self._code)
            return
        raise RoomUnavailable(1, "The room could not be opened; try again.")

    async def handle(self, message: m.RoomMessage) -> None:
        assert self._room is not None
        if not self._room.submit(self.conn_id, message):
            self.send(out.error_frame(RateLimited(1, "The room is busy; try again."), message.id))

    def observe_rtt(self, rtt_ms: float) -> None:
        if self._room is not None:
            self._room.record_rtt(self.conn_id, rtt_ms)
        self._services.metrics.ws_rtt.observe(rtt_ms)

    def cut_off(self) -> None:
        # Hypercorn shields socket writes: this task may linger until the peer reads,
        # so the seat is given up now rather than when the task ends.
        if self._room is not None:
            self._room.leave(self.conn_id)

    async def detach(self) -> None:
        # A restart is not a leave: the room saves itself and everyone reconnects.
        if self._room is not None and self.close_code != CloseCode.SERVER_RESTARTING:
            self._room.leave(self.conn_id)
        if self._hub is not None and self._subject_id is not None:
            await self._hub.leave_room(self._code, self.conn_id, self._subject_id)


def room_socket_blueprint(
    services: Services,
    registry: RoomRegistry,
    directory: RoomDirectory,
    hub: UserHub | None = None,
) -> Blueprint:
    bp = Blueprint("room_socket", __name__)

    @bp.websocket("/ws/rooms/<code>")
    async def room_socket(code: str) -> None:
        await websocket.accept()
        connection = RoomConnection(services, websocket, code.upper(), registry, directory, hub)
        if not websocket_origin_allowed(services, websocket.headers):
            await connection.refuse(CloseCode.FORBIDDEN, "origin not allowed")
            return
        await connection.serve()

    return bp
