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

With Redis configured the registry takes a lease on a room before it starts it
(`fabric/leases.py`, ADR 0015): a room whose lease another instance holds is
refused with `room_unavailable` (close 1013, `retryAfter`) rather than started a
second time; the lease's fencing token goes with every snapshot write and is
renewed while the room is live, and released when it stops; the instance itself
beats, so that its rooms are taken over soon after it dies. A room whose lease
was lost (renewal refused, or a write refused for a newer token) ends here and
its members reconnect (1012) to the instance that took it over.

The registry also measures the process's load (`LoadGauge`): while the event
loop lags or the rooms' inboxes back up past the configured limits, new rooms
and joins are refused with `overloaded` (`admit`); members resuming a room that
runs here still pass, so the rooms already running keep going.
"""

from __future__ import annotations

import contextlib

import trio

from syncwatch.close_codes import CloseCode
from syncwatch.errors import Overloaded, RoomUnavailable, ServiceUnavailable, is_database_outage
from syncwatch.fabric.crossing import Crossing
from syncwatch.fabric.leases import HeldElsewhere, Lease, RoomLeases
from syncwatch.observability.logs import get_logger
from syncwatch.rooms.core.load import LoadGauge, LoadLimits
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomSettings, RoomState
from syncwatch.rooms.overload import refuse_if_saturated, sample_lag
from syncwatch.rooms.restart_policy import RestartPolicy
from syncwatch.rooms.room import Room
from syncwatch.services import Services
from syncwatch.store.repositories import RoomRecord, StaleFence
from syncwatch.supervision import describe, error_code

log = get_logger("syncwatch.rooms")

SHUTDOWN_DEADLINE_S = 8.0


# A room that could not start is tried again this soon by a reconnecting client.
RETRY_START_S = 1.0
# Giving a lease back never holds up a room's stop for longer (it expires anyway).
RELEASE_DEADLINE_S = 2.0
# A room refused at the cap is told to try again after this: rooms end when their
# last member has left for a while, not within seconds.
ROOM_CAP_RETRY_S = 30.0


class RoomRegistry:
    def __init__(
        self,
        services: Services,
        *,
        policy: RestartPolicy | None = None,
        crossing: Crossing | None = None,
    ) -> None:
        self._services = services
        # Several instances (ADR 0016): notices for a room live on another instance.
        self._crossing = crossing
        if crossing is not None:
            crossing.on("room", self._announce_from_elsewhere)
            crossing.on("room-closed", self._close_from_elsewhere)
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
            if self._services.room_leases is not None:
                await nursery.start(self._beat, self._services.room_leases)
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
        lease: Lease | None = None
        try:
            lease, fence = await self._take_lease(record)
            try:
                state = await self._load_state(record)
            except Exception as error:
                self._failed(code, error, "room could not be loaded")
                raise RoomUnavailable(RETRY_START_S, "The room could not be opened.") from error
            room = Room(state, self._services, fence=fence)
            await nursery.start(self._supervise, room)
            if lease is not None:
                nursery.start_soon(self._keep_lease, room, lease)
                lease = None  # the keeper releases it when the room stops
            self._rooms[code] = room
            self._services.metrics.active_rooms.set(len(self._rooms))
            log.info("room started", room=code, sequence=room.state.sequence_number)
            return room
        finally:
            if lease is not None:  # taken, but the room never started
                await self._release(lease)
            del self._starting[code]
            starting.set()

    # --- leases (Redis configured) -------------------------------------------------------

    @staticmethod
    async def _beat(
        leases: RoomLeases, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> None:
        """Tell the other instances this one is alive, from before its first room on:
        when it stops beating they take its rooms over without waiting for the leases."""
        started = beating = False
        while True:
            try:
                await leases.beat()
                beating = True
            except ServiceUnavailable:
                # Redis is away: the leases' own expiry is all there is meanwhile.
                if beating or not started:
                    log.warning("instance beat not sent: Redis unavailable")
                beating = False
            if not started:
                task_status.started()
                started = True
            await trio.sleep(leases.beat_every_s)

    async def _take_lease(self, record: RoomRecord) -> tuple[Lease | None, int | None]:
        """This instance's lease on the room, its token claimed in the database, and the
        fencing token its writes carry; (None, None) without Redis. Raises
        `RoomUnavailable` while another instance holds the lease."""
        leases = self._services.room_leases
        rooms = self._services.repositories.rooms
        if leases is None:
            return None, None
        # The database's fence is the floor of the next token: Redis may have restarted
        # without its counters, and a smaller token would be refused by the claim.
        floor = await rooms.current_fence(record.id)
        try:
            taken = await leases.acquire(record.code, floor=floor)
        except ServiceUnavailable:
            # Redis is down: the room starts anyway (a Redis outage is not an outage of
            # SyncWatch), as it did before leases, with the token last claimed. Nothing
            # then stops a second instance doing the same until Redis is back, but the
            # first instance to take a lease after that fences both out.
            log.warning("room started without a lease: Redis unavailable", room=record.code)
            return None, floor
        if isinstance(taken, HeldElsewhere):
            raise RoomUnavailable(
                taken.retry_after_s, "The room is open on another server; reconnect in a moment."
            )
        try:
            claimed = await rooms.claim_snapshot(
                record.id, taken.token, self._services.clock.now_ms()
            )
        except BaseException:
            await self._release(taken)
            raise
        if not claimed:  # a newer token claimed the room since (its lease just expired)
            await self._release(taken)
            raise RoomUnavailable(RETRY_START_S, "The room moved; reconnect in a moment.")
        return taken, taken.token

    async def _keep_lease(self, room: Room, lease: Lease) -> None:
        """Renew the room's lease while it runs here; end the room if the lease is lost.
        Never raises: it runs beside every room in the registry's nursery."""
        leases = self._services.room_leases
        assert leases is not None
        try:
            while not room.stopped.is_set():
                with trio.move_on_after(leases.renew_every_s):
                    await room.stopped.wait()
                if room.stopped.is_set():
                    break
                try:
                    renewed = await leases.renew(lease)
                except ServiceUnavailable:
                    # Redis is away: the room keeps going. If the lease expires and
                    # another instance takes the room, its claim fences our writes.
                    log.warning("room lease not renewed: Redis unavailable", room=room.code)
                    continue
                if not renewed:
                    log.warning("room lease lost: its members reconnect", room=room.code)
                    await room.end(CloseCode.SERVER_RESTARTING, "room moved")
                    await room.stopped.wait()
                    return
        except Exception:
            log.exception("room lease keeper failed", room=room.code)
        await self._release(lease)

    async def _release(self, lease: Lease) -> None:
        leases = self._services.room_leases
        assert leases is not None
        with trio.move_on_after(RELEASE_DEADLINE_S, shield=True):
            with contextlib.suppress(ServiceUnavailable):  # it expires on its own
                await leases.release(lease)

    def backlog(self) -> int:
        """Commands queued in every live room's inbox."""
        return sum(room.backlog for room in self._rooms.values())

    def saturation(self) -> str | None:
        """Why this process refuses newcomers now (lag, backlog or its room cap), or None."""
        return self.load.saturation(trio.current_time()) or self._at_room_cap()

    def admit(self, code: str | None = None, *, resuming: bool = False) -> None:
        """Raise `Overloaded` while saturated, unless a member resumes a room live here;
        at the room cap, only joins of rooms live here are admitted.

        `code` None: a new room is being created.
        """
        room = self._rooms.get(code) if code is not None else None
        live_here = room is not None and not room.stopped.is_set()
        if resuming and live_here:
            return
        refuse_if_saturated(self.load)
        if not live_here and self._at_room_cap() is not None:
            raise Overloaded(ROOM_CAP_RETRY_S)

    def _at_room_cap(self) -> str | None:
        cap = self._services.settings.max_rooms
        running = len(self._rooms) + len(self._starting.keys() - self._rooms.keys())
        if cap and running >= cap:
            return f"room cap: {running} of {cap} rooms running"
        return None

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
        except StaleFence:
            # Not a failure of the room: another instance owns it now (ADR 0015).
            log.warning(
                "room taken over by another instance: its members reconnect", room=room.code
            )
        except Exception as error:
            self._failed(room.code, error, "room failed: its members reconnect")
        finally:
            if self._rooms.get(room.code) is room:
                del self._rooms[room.code]
            self._services.metrics.active_rooms.set(len(self._rooms))

    def _failed(self, code: str, error: Exception, what: str) -> None:
        if is_database_outage(error):
            # Not the room's fault: it starts again as soon as the database answers, and
            # an outage longer than a few reconnects must not hold it down for minutes.
            log.warning(what + " (the database is unavailable)", room=code)
            return
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

    async def announce_everywhere(self, code: str, text: str) -> None:
        """Deliver a notice to the room's members on whichever instance runs it."""
        if not self.announce(code, text) and self._crossing is not None:
            await self._crossing.send("room", [code], text)

    async def _announce_from_elsewhere(self, code: str, text: str) -> None:
        self.announce(code, text)

    async def close_room(self, code: str) -> None:
        """The room was deleted: its members are closed with 4004 and the actor ends,
        on whichever instance runs it."""
        await self._close_here(code)
        if self._crossing is not None:
            await self._crossing.send("room-closed", [code])

    async def _close_from_elsewhere(self, code: str, _: str) -> None:
        await self._close_here(code)

    async def _close_here(self, code: str) -> None:
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
