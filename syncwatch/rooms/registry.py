"""`RoomRegistry`: owns the nursery in which every live room of this process runs.

A room's actor is started on demand, when its first member connects, from its
database row and its last snapshot, so a room continues after a restart with
the next sequence number. An actor that stops (idle, deleted, expired) leaves
the registry. On shutdown every room tells its members to reconnect (1012)
and saves its snapshot.
"""

from __future__ import annotations

import trio

from syncwatch.errors import ServiceUnavailable
from syncwatch.observability.logs import get_logger
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomSettings, RoomState
from syncwatch.rooms.room import CLOSE_SERVER_RESTART, Room
from syncwatch.services import Services
from syncwatch.store.repositories import RoomRecord

log = get_logger("syncwatch.rooms")

SHUTDOWN_DEADLINE_S = 8.0


class RoomRegistry:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._rooms: dict[str, Room] = {}
        self._starting = trio.Lock()
        self._nursery: trio.Nursery | None = None

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            task_status.started()
            await trio.sleep_forever()

    # --- live rooms ---------------------------------------------------------------------

    async def room_for(self, record: RoomRecord) -> Room:
        """The live actor of `record`'s room, started if needed."""
        async with self._starting:
            room = self._rooms.get(record.code)
            if room is not None and not room.stopped.is_set():
                return room
            if self._nursery is None:
                raise RuntimeError("the room registry is not running")
            if self._services.shutting_down.is_set():
                raise ServiceUnavailable("The server is restarting; reconnect in a moment.")
            room = Room(await self._load_state(record), self._services, on_stopped=self._forget)
            await self._nursery.start(room.run)
            self._rooms[record.code] = room
            self._services.metrics.active_rooms.set(len(self._rooms))
            log.info("room started", room=record.code, sequence=room.state.sequence_number)
            return room

    async def _load_state(self, record: RoomRecord) -> RoomState:
        settings = RoomSettings(
            id=record.id,
            code=record.code,
            name=record.name,
            creator_subject_id=record.owner_id,
            max_participants=record.max_participants,
            playback_control=record.playback_control,  # type: ignore[arg-type]
            auto_handover=record.auto_handover,
            has_password=record.password_hash is not None,
        )
        saved = await self._services.repositories.rooms.load_snapshot(record.id)
        snapshot = None
        if saved is not None:
            try:
                snapshot = Snapshot.from_json(saved.snapshot_json)
            except (ValueError, KeyError, TypeError):
                log.exception("room snapshot unreadable: starting afresh", room=record.code)
        return RoomState(settings, snapshot)

    async def _forget(self, room: Room) -> None:
        if self._rooms.get(room.code) is room:
            del self._rooms[room.code]
        self._services.metrics.active_rooms.set(len(self._rooms))

    def member_count(self, code: str) -> int:
        room = self._rooms.get(code)
        return room.member_count if room is not None else 0

    def is_member(self, code: str, subject_id: str) -> bool:
        room = self._rooms.get(code)
        return room is not None and room.is_member(subject_id)

    def announce(self, code: str, text: str) -> bool:
        """Deliver a notice to a live room's members; False when the room is not live here."""
        room = self._rooms.get(code)
        if room is None or room.stopped.is_set():
            return False
        room.announce(text)
        return True

    async def close_room(self, code: str) -> None:
        """The room was deleted: its members are closed with 4004 and the actor ends."""
        room = self._rooms.get(code)
        if room is not None and not room.stopped.is_set():
            await room.end(4004, "room deleted")
            await room.stopped.wait()

    async def shutdown(self) -> None:
        """Tell every member to reconnect (1012) and save every room's snapshot."""
        rooms = [room for room in self._rooms.values() if not room.stopped.is_set()]
        with trio.move_on_after(SHUTDOWN_DEADLINE_S):
            async with trio.open_nursery() as nursery:
                for room in rooms:
                    nursery.start_soon(self._stop_room, room)
        log.info("rooms saved for restart", rooms=len(rooms))

    @staticmethod
    async def _stop_room(room: Room) -> None:
        await room.end(CLOSE_SERVER_RESTART, "server restarting")
        await room.stopped.wait()
