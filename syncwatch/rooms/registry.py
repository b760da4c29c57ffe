"""`RoomRegistry`: owns the nursery in which every live room of this process runs.

A room's actor is started on demand, when its first member connects, from its
database row and its last snapshot, so a room continues after a restart with
the next sequence number. Each room starts on its own: a room whose start is
slow delays only its own members. An actor that stops (idle, deleted, expired)
leaves the registry. On shutdown every room tells its members to reconnect
(1012) and saves its snapshot.

Each room is supervised. A room that fails (its actor raises, or it cannot be
loaded) is logged with the error's code and forgotten; its members were closed
with 1011 and reconnect, and the next join starts it again from its last
snapshot. Other rooms never notice. A room failing again and again rests for a
while (`RestartPolicy`) and joins get `room_unavailable` meanwhile.

The registry also measures the process's load (`LoadGauge`): while the event
loop lags or the rooms' inboxes back up past the configured limits, new rooms
and joins are refused with `overloaded` (`admit`); members resuming a room that
runs here still pass, so the rooms already running keep going.
"""

from __future__ import annotations

import trio

from syncwatch.close_codes import CloseCode
from syncwatch.errors import RoomUnavailable, ServiceUnavailable
from syncwatch.observability.logs import get_logger
from syncwatch.rooms.core.load import LoadGauge, LoadLimits
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomSettings, RoomState
from syncwatch.rooms.overload import refuse_if_saturated, sample_lag
from syncwatch.rooms.restart_policy import RestartPolicy
from syncwatch.rooms.room import Room
from syncwatch.services import Services
from syncwatch.store.repositories import RoomRecord
from syncwatch.supervision import describe, error_code

log = get_logger("syncwatch.rooms")

SHUTDOWN_DEADLINE_S = 8.0


# A room that could not start is tried again this soon by a reconnecting client.
RETRY_START_S = 1.0


class RoomRegistry:
    def __init__(self, services: Services, *, policy: RestartPolicy | None = None) -> None:
        self._services = services
        self._rooms: dict[str, Room] = {}
        # Rooms being started, by code: later joins of the same room wait for it.
        self._starting: dict[str, trio.Event] = {}
        self._policy = policy or RestartPolicy()
        self._nursery: trio.Nursery | None = None
        settings = services.settings
        self.load = LoadGauge(
            LoadLimits(
                max_lag_s=settings.overload_lag_ms / 1000,
                max_backlog=settings.overload_backlog,
            ),
            self.backlog,
        )

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            if self._services.settings.overload_lag_ms:
                # No limit, no sampling: nothing would read it (and a mock clock
                # jumping a day ahead would wake it 864,000 times).
                nursery.start_soon(sample_lag, self.load)
            task_status.started()
            await trio.sleep_forever()

    # --- live rooms ---------------------------------------------------------------------

    async def room_for(self, record: RoomRecord) -> Room:
        """The live actor of `record`'s room, started if needed.

        Raises `RoomUnavailable` while the room rests after failing repeatedly,
        or when it cannot be loaded, and `ServiceUnavailable` while shutting down.
        """
        code = record.code
        while True:
            room = self._rooms.get(code)
            if room is not None and not room.stopped.is_set():
                return room
            starting = self._starting.get(code)
            if starting is None:
                break
            await starting.wait()
        self.check_available(code)
        if self._nursery is None or self._services.shutting_down.is_set():
            raise ServiceUnavailable("The server is restarting; reconnect in a moment.")
        nursery = self._nursery
        starting = self._starting[code] = trio.Event()
        try:
            try:
                state = await self._load_state(record)
            except Exception as error:
                self._failed(code, error, "room could not be loaded")
                raise RoomUnavailable(RETRY_START_S, "The room could not be opened.") from error
            room = Room(state, self._services)
            await nursery.start(self._supervise, room)
            self._rooms[code] = room
            self._services.metrics.active_rooms.set(len(self._rooms))
            log.info("room started", room=code, sequence=room.state.sequence_number)
            return room
        finally:
            del self._starting[code]
            starting.set()

    def backlog(self) -> int:
        """Commands queued in every live room's inbox."""
        return sum(room.backlog for room in self._rooms.values())

    def saturation(self) -> str | None:
        """Why this process refuses newcomers now (lag or backlog), or None."""
        return self.load.saturation(trio.current_time())

    def admit(self, code: str | None = None, *, resuming: bool = False) -> None:
        """Raise `Overloaded` while saturated, unless a member resumes a room live here.

        `code` None: a new room is being created.
        """
        if resuming and code is not None:
            room = self._rooms.get(code)
            if room is not None and not room.stopped.is_set():
                return
        refuse_if_saturated(self.load)

    def check_available(self, code: str) -> None:
        """Raise `RoomUnavailable` while `code`'s room rests after repeated failures."""
        rest = self._policy.rest_left(code, trio.current_time())
        if rest is not None:
            raise RoomUnavailable(rest)

    async def _supervise(
        self, room: Room, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> None:
        """Run one room; its failure ends it alone (never the registry's other rooms)."""
        try:
            await room.run(task_status=task_status)
        except Exception as error:
            self._failed(room.code, error, "room failed: its members reconnect")
        finally:
            if self._rooms.get(room.code) is room:
                del self._rooms[room.code]
            self._services.metrics.active_rooms.set(len(self._rooms))

    def _failed(self, code: str, error: Exception, what: str) -> None:
        resting = self._policy.record_failure(code, trio.current_time())
        log.error(
            what,
            room=code,
            error_code=error_code(error),
            error=describe(error),
            resting_s=self._policy.rest_s if resting else None,
            exc_info=error,
        )

    async def _load_state(self, record: RoomRecord) -> RoomState:
        settings = RoomSettings(
            id=record.id,
            code=record.code,
            name=record.name,
            creator_subject_id=record.owner_id,
            max_participants=record.max_participants,
            created_at=record.created_at,
            playback_control=record.playback_control,  # type: ignore[arg-type]
            auto_handover=record.auto_handover,
            has_password=record.password_hash is not None,
            privacy=record.privacy,  # type: ignore[arg-type]
            guests_allowed=record.guests_allowed,
            blocklist=self._services.settings.automod_blocklist,
            https_only=self._services.settings.serves_https,
        )
        saved = await self._services.repositories.rooms.load_snapshot(record.id)
        snapshot = None
        if saved is not None:
            try:
                snapshot = Snapshot.from_json(saved.snapshot_json)
            except (ValueError, KeyError, TypeError):
                log.exception("room snapshot unreadable: starting afresh", room=record.code)
        return RoomState(settings, snapshot)

    def member_count(self, code: str) -> int:
        room = self._rooms.get(code)
        return room.member_count if room is not None else 0

    def presence_details(self, code: str) -> tuple[str, int, str] | None:
        """A live room's name, size limit and current privacy, for friends' presence."""
        room = self._rooms.get(code)
        if room is None or room.stopped.is_set():
            return None
        view = room.state.room_view()
        return view.name, view.max_participants, view.privacy

    def now_playing(self, code: str) -> tuple[str | None, str | None] | None:
        """What a live room has loaded (source type, source id), for watch history."""
        room = self._rooms.get(code)
        if room is None:
            return None
        playback = room.state.playback
        return playback.source_type, playback.source_id

    def is_member(self, code: str, subject_id: str) -> bool:
        room = self._rooms.get(code)
        return room is not None and room.is_member(subject_id)

    def is_watching(self, subject_id: str, video_id: str, code: str | None = None) -> bool:
        """Whether `subject_id` is in a live room here playing the upload `video_id` (an
        empty `video_id`: whatever it plays); only the room `code` is asked when given."""
        rooms = self._rooms.values() if code is None else [self._rooms.get(code.upper())]
        return any(
            room is not None
            and not room.stopped.is_set()
            and (not video_id or room.plays_upload(video_id))
            and room.is_member(subject_id)
            for room in rooms
        )

    def is_in_voice(self, subject_id: str) -> bool:
        """Whether `subject_id` is in the voice call of a live room here."""
        return any(
            not room.stopped.is_set() and room.is_in_voice(subject_id)
            for room in self._rooms.values()
        )

    def may_set_source(self, code: str, subject_id: str) -> bool:
        """Whether a member present in the live room here may change its video."""
        room = self._rooms.get(code)
        return room is not None and room.may_set_source(subject_id)

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
            # The reason text lets the app say "closed by its owner", not "not found".
            await room.end(CloseCode.NOT_FOUND, "room_closed")
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
        await room.end(CloseCode.SERVER_RESTARTING, "server restarting")
        await room.stopped.wait()
