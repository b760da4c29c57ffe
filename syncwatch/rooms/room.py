"""`Room`: the Trio actor that runs one live room.

The room owns a nursery and one command loop. Every change of room state goes
through the loop, one at a time, from a bounded inbox: joins, leaves, client
messages, RTT samples, deletion and shutdown. The loop feeds the pure
`RoomState` and performs the effects it returns, in order: writing the snapshot
before broadcasting the command it covers, storing a chat line before anyone
hears of it. Timers need no task of their own: the loop waits for the next
message or the state's next deadline, whichever comes first, so
`trio.testing.MockClock` drives a room's whole life.

Connections are reached only through `Outlet`s whose `deliver` never blocks: a
member who cannot keep up is cut off by its own connection (close 4008), the
room never waits for anyone. Departures skip the inbox's queue: a connection
that ends is never refused a leave by a full inbox, so no seat outlives its
connection.

When the loop fails (a snapshot or ban that cannot be written, a chat history
that cannot be read), `run` closes every member with 1011 and raises; the
registry logs it and the next join starts the room again from its last saved
snapshot. The state in memory is not saved then: it may hold a command whose
snapshot failed and that nobody heard of, and saving it would leave a gap in
the sequence numbers.
"""

from __future__ import annotations

import contextlib
import json
import math
import time

import trio

from syncwatch.close_codes import CloseCode
from syncwatch.errors import SyncWatchError
from syncwatch.observability.logs import get_logger
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core.effects import (
    Audit,
    Close,
    DeleteRoom,
    Effect,
    FileReport,
    LookUpDuration,
    PersistBan,
    ReportDrift,
    SaveSnapshot,
    Send,
    SendWelcome,
    StoreChat,
    StoreReaction,
    StoreRoomAccess,
    StoreRoomDetails,
)
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.core.reactions import WELCOME_REACTIONS
from syncwatch.rooms.core.state import RoomState
from syncwatch.rooms.inbox import (
    Announcement,
    End,
    InboxItem,
    Join,
    MemberMessage,
    Outlet,
    RttSample,
)
from syncwatch.services import Services
from syncwatch.store.group_commit import Write
from syncwatch.store.repositories import (
    ChatRecord,
    ChatRepository,
    NewReport,
    ReactionRecord,
    RoomRepository,
    StaleFence,
)

log = get_logger("syncwatch.rooms")

INBOX_SIZE = 512
CHAT_HISTORY = 50
CHAT_CATCH_UP = 200
REPORT_CHAT_LINES = 50
# A room nobody is in stops its actor after this long; its snapshot stays in
# the database and the next member to arrive starts it again.
IDLE_STOP_S = 5 * 60


class RoomStopped(Exception):
    """The actor stopped before it could seat the connection: ask the registry again."""


class Room:
    def __init__(self, state: RoomState, services: Services, *, fence: int | None = None) -> None:
        self.state = state
        # The fencing token of this instance's lease on the room (Redis configured,
        # ADR 0015): every snapshot write carries it, and one refused for it means the
        # room moved to another instance. None: one process, no leases.
        self.fence = fence
        self.code = state.settings.code
        self._services = services
        self._clock = services.clock
        self._repos = services.repositories
        self._metrics = services.metrics
        self._tracer = services.tracer
        self._outlets: dict[str, Outlet] = {}
        self._inbox_send, self._inbox = trio.open_memory_channel[InboxItem](INBOX_SIZE)
        # Connections that ended, in order (a dict as an ordered set). Bounded by
        # the connections seated, so it needs no limit of its own.
        self._departures: dict[str, None] = {}
        # The loop's wait for the inbox; a departure cancels it to be handled at once.
        self._waiting: trio.CancelScope | None = None
        self._stopped = trio.Event()
        self._idle_since: float | None = None

    # --- what connections and the registry call ----------------------------------------

    async def join(
        self,
        outlet: Outlet,
        identity: Joiner,
        *,
        last_seq: int | None = None,
        last_message_id: str | None = None,
    ) -> None:
        """Seat a connection; raises the refusal (`RoomFull`, `Banned`, `RoomNotFound`)."""
        outcome_send, outcome = trio.open_memory_channel[SyncWatchError | None](1)
        item = Join(outlet, identity, last_seq, last_message_id, outcome_send)
        try:
            await self._inbox_send.send(item)
        except trio.BrokenResourceError as stopped:
            raise RoomStopped from stopped
        try:
            error = await outcome.receive()
        except trio.EndOfChannel as stopped:
            raise RoomStopped from stopped
        except BaseException:
            # Cancelled while the join was queued or just handled: either it is
            # never seated, or the seat it got is given back.
            item.abandoned = True
            with contextlib.suppress(trio.WouldBlock, trio.EndOfChannel):
                if outcome.receive_nowait() is None:
                    self.leave(outlet.conn_id)
            raise
        if error is not None:
            raise error

    def submit(self, conn_id: str, message: m.RoomMessage) -> bool:
        """Hand a client message to the loop; False when the inbox is full (flooded room)."""
        try:
            self._inbox_send.send_nowait(MemberMessage(conn_id, message))
        except trio.WouldBlock:
            return False
        return True

    def record_rtt(self, conn_id: str, rtt_ms: float) -> None:
        # An RTT sample is advisory: dropping one under load is harmless.
        with contextlib.suppress(trio.WouldBlock):
            self._inbox_send.send_nowait(RttSample(conn_id, rtt_ms))

    def leave(self, conn_id: str) -> None:
        """Give up a connection's seat; never waits and is never refused.

        Also for a member that was cut off: Hypercorn shields its socket writes,
        so the task of a member whose TCP window is full cannot be cancelled
        until the peer reads or goes away; the seat must not stay taken that
        long. Leaving twice is harmless.
        """
        if self._stopped.is_set():
            return  # a stopped actor has nothing left to leave
        self._departures[conn_id] = None
        if self._waiting is not None:
            self._waiting.cancel()

    def announce(self, text: str) -> None:
        """Tell every member something that changes no room state (transcode progress).

        Dropped when the inbox is full: such notices are superseded by the next one.
        """
        with contextlib.suppress(trio.WouldBlock, trio.BrokenResourceError):
            self._inbox_send.send_nowait(Announcement(text))

    async def end(self, code: CloseCode, reason: str) -> None:
        with contextlib.suppress(trio.BrokenResourceError):  # already stopped
            await self._inbox_send.send(End(code, reason))

    @property
    def backlog(self) -> int:
        """Items waiting in the inbox (the process's overload gauge sums them)."""
        return self._inbox_send.statistics().current_buffer_used

    @property
    def member_count(self) -> int:
        return len(self.state.members)

    def is_member(self, subject_id: str) -> bool:
        return any(member.participant_id == subject_id for member in self.state.members)

    def is_in_voice(self, subject_id: str) -> bool:
        """Whether `subject_id` is in this room's voice call right now (joined, not left)."""
        return any(
            member.participant_id == subject_id and member.in_voice for member in self.state.members
        )

    def plays_upload(self, video_id: str) -> bool:
        playback = self.state.playback
        return playback.source_type == "upload" and playback.source_id == video_id

    def may_set_source(self, subject_id: str) -> bool:
        return self.state.may_set_source(subject_id)

    @property
    def stopped(self) -> trio.Event:
        return self._stopped

    # --- the loop ------------------------------------------------------------------------

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Run the loop until the room stops; raises what made it fail, after closing
        every member with 1011."""
        task_status.started()
        failed = False
        try:
            await self._loop()
        except StaleFence:
            # Another instance took the room over (this one's lease expired while it
            # was frozen or cut off): its members reconnect and reach the new owner.
            failed = True
            for outlet in self._outlets.values():
                outlet.close(CloseCode.SERVER_RESTARTING, "room moved")
            raise
        except Exception:
            failed = True
            for outlet in self._outlets.values():
                outlet.close(CloseCode.INTERNAL_ERROR, "room failed")
            raise
        finally:
            self._refuse_pending_joins()
            if not failed:
                with trio.move_on_after(5, shield=True):
                    await self._save_snapshot()
            self._stopped.set()

    def _refuse_pending_joins(self) -> None:
        """Close the inbox; joins still queued learn the room stopped (and retry)."""
        while True:
            try:
                item = self._inbox.receive_nowait()
            except (trio.WouldBlock, trio.EndOfChannel, trio.ClosedResourceError):
                break
            if isinstance(item, Join):
                item.outcome.close()
        self._inbox.close()

    async def _loop(self) -> None:
        late_budget: int | None = None
        while True:
            await self._handle_departures()
            deadline = self._next_wakeup()
            item: InboxItem | None = None
            if trio.current_time() >= deadline:
                # Late: something held the loop up (a write waiting for the database)
                # past a timer. What members sent meanwhile (heartbeats, commands) came
                # first, so it is applied before the timer judges them (an owner who
                # kept beating is not "away"); at most what was queued when the loop
                # fell late, so a busy inbox never starves the timers.
                if late_budget is None:
                    late_budget = self._inbox.statistics().current_buffer_used
                if late_budget > 0:
                    late_budget -= 1
                    with contextlib.suppress(trio.WouldBlock):
                        item = self._inbox.receive_nowait()
            else:
                late_budget = None
            if item is None:
                with trio.move_on_at(deadline) as self._waiting:
                    item = await self._inbox.receive()
                self._waiting = None
            if item is not None:
                if await self._handle(item):
                    return
                continue
            late_budget = None  # the timers run now
            if self._departures:
                continue  # woken to let someone go
            idle_since = self._idle_since
            if (
                not self.state.members
                and idle_since is not None
                and trio.current_time() >= idle_since + IDLE_STOP_S
            ):
                log.info("room idle: stopping its actor", room=self.code)
                return
            await self._perform(self.state.tick(self._clock.now_ms()))
            if self.state.phase == "ENDED":
                log.info("room closed itself", room=self.code)
                return

    def _next_wakeup(self) -> float:
        now_trio = trio.current_time()
        wakeups = [math.inf]
        deadline_ms = self.state.next_deadline_ms()
        if deadline_ms is not None:
            wakeups.append(now_trio + max(0, deadline_ms - self._clock.now_ms()) / 1000)
        if not self.state.members:
            if self._idle_since is None:
                self._idle_since = now_trio
            wakeups.append(self._idle_since + IDLE_STOP_S)
        else:
            self._idle_since = None
        return min(wakeups)

    async def _handle(self, item: InboxItem) -> bool:
        """Apply one inbox item; True when the room must stop."""
        now = self._clock.now_ms()
        match item:
            case Join() if item.abandoned:
                pass
            case Join():
                try:
                    effects = self.state.join(
                        now, item.outlet.conn_id, item.identity, item.last_seq, item.last_message_id
                    )
                except SyncWatchError as error:
                    item.outcome.send_nowait(error)
                    return False
                self._outlets[item.outlet.conn_id] = item.outlet
                item.outcome.send_nowait(None)
                await self._perform(effects)
                await self._touch()
                self._metrics.participants_per_room.observe(self.member_count)
            case MemberMessage():
                await self._handle_message(now, item)
            case RttSample():
                self.state.record_rtt(item.conn_id, item.rtt_ms, now)
            case Announcement():
                for outlet in self._outlets.values():
                    outlet.deliver(item.text)
            case End():
                if item.code == CloseCode.SERVER_RESTARTING:
                    for outlet in self._outlets.values():
                        outlet.close(item.code, item.reason)
                    return True
                await self._perform(self.state.end(now, item.reason))
                return True
        return False

    async def _handle_departures(self) -> None:
        while self._departures:
            conn_id = next(iter(self._departures))
            del self._departures[conn_id]
            effects = self.state.leave(self._clock.now_ms(), conn_id)
            self._outlets.pop(conn_id, None)
            if not effects:
                continue  # left before, or was replaced or removed by the room itself
            await self._perform(effects)
            if not self.state.members:
                await self._touch()
            self._metrics.participants_per_room.observe(self.member_count)

    async def _handle_message(self, now: int, item: MemberMessage) -> None:
        reply_to = getattr(item.message, "id", None)
        kind = str(getattr(item.message, "type", type(item.message).__name__))
        # Spec 8.3: one span per command a member sends (a no-op unless tracing is on).
        with self._tracer.start_as_current_span(
            f"room {kind}", attributes={"room.code": self.code, "room.message_type": kind}
        ) as span:
            try:
                effects = self.state.handle(now, item.conn_id, item.message)
            except SyncWatchError as error:
                span.set_attribute("room.refused", error.code)
                outlet = self._outlets.get(item.conn_id)
                if outlet is not None:
                    outlet.deliver(out.error_frame(error, reply_to).to_json())
                return
            for effect in effects:
                if isinstance(effect, Send) and isinstance(effect.message, out.SyncCommand):
                    span.set_attribute("sync.command_type", effect.message.data.type)
                    span.set_attribute("sync.sequence_number", effect.message.data.sequence_number)
            await self._perform(effects, received=item.received)

    # --- effects -------------------------------------------------------------------------

    async def _perform(self, effects: list[Effect], *, received: float | None = None) -> None:
        """Perform `effects` in order.

        Snapshots and chat lines are staged, with the sends, closes and audit rows that
        follow them, and committed together in one group commit before any of those
        happen: a command's snapshot and system chat line cost one transaction, shared
        with other rooms', and its ack and broadcast leave only once both are durable.
        An effect that reads or writes storage by itself waits for that commit first.
        """
        staged: list[Effect] = []
        for effect in effects:
            if isinstance(effect, _STAGED_WRITES) or (staged and isinstance(effect, _HOLDABLE)):
                staged.append(effect)
                continue
            if staged:
                await self._perform_staged(staged, received)
                staged = []
            await self._perform_one(effect, received)
        if staged:
            await self._perform_staged(staged, received)

    async def _perform_staged(self, staged: list[Effect], received: float | None) -> None:
        if not await self._commit(staged):
            # Nothing of it was written. One at a time, each write meets its own outcome
            # as before: a snapshot that cannot be saved fails the room, a chat line
            # that cannot be stored is logged and never announced.
            for effect in staged:
                await self._perform_one(effect, received)
            return
        for effect in staged:
            match effect:
                case SaveSnapshot():
                    pass
                case StoreChat():
                    await self._perform(list(effect.then), received=received)
                case _:
                    await self._perform_one(effect, received)

    async def _commit(self, staged: list[Effect]) -> bool:
        """Commit the staged writes in one group commit; False when that failed."""
        now = self._clock.now_ms()
        room_id = self.state.settings.id
        writes = [
            _write_of(effect, now, self.fence)
            for effect in staged
            if isinstance(effect, _STAGED_WRITES)
        ]
        if self.fence is not None:
            # A stale owner (ADR 0015) stores nothing: no chat line either.
            writes.insert(0, RoomRepository.fence_check(room_id, self.fence))
        try:
            await self._services.group_commit.commit(writes)
        except Exception:
            log.warning("a grouped write failed: writing one at a time", room=self.code)
            if self.fence is not None:
                # The group may have failed for our token: writing alone would not see it.
                await self._repos.rooms.check_fence(room_id, self.fence)
            return False
        return True

    async def _perform_one(self, effect: Effect, received: float | None) -> None:
        match effect:
            case Send():
                text = effect.message.to_json()
                for conn_id in effect.to:
                    outlet = self._outlets.get(conn_id)
                    if outlet is not None:
                        outlet.deliver(text)
                if received is not None and isinstance(effect.message, out.SyncCommand):
                    elapsed_ms = (time.perf_counter() - received) * 1000
                    self._metrics.sync_command_latency.labels(effect.message.data.type).observe(
                        elapsed_ms
                    )
            case SendWelcome():
                await self._welcome(effect)
            case Close():
                outlet = self._outlets.pop(effect.conn_id, None)
                if outlet is not None:
                    outlet.close(effect.code, effect.reason)
            case StoreChat():
                try:
                    await self._store_chat(effect)
                except Exception:
                    log.exception("chat message could not be stored", room=self.code)
                    # Nobody hears of a message that was not stored, but its sender
                    # learns at once rather than when the ack times out.
                    await self._perform(_refusals_of(effect.then, CHAT_NOT_STORED))
                    return
                await self._perform(list(effect.then), received=received)
            case DeleteRoom():
                await self._repos.rooms.mark_deleted(effect.room_id, effect.at_ms)
            case StoreReaction():
                try:
                    await self._repos.reactions.add(_reaction_record(effect))
                except Exception:
                    log.exception("reaction could not be stored", room=self.code)
                    # Nobody sees a reaction that was not stored; its sender is told.
                    await self._perform(_refusals_of(effect.then, REACTION_NOT_STORED))
                    return
                await self._perform(list(effect.then))
            case SaveSnapshot():
                await self._save_snapshot(effect)
            case PersistBan():
                await self._repos.bans.ban(
                    effect.room_id,
                    effect.subject_id,
                    effect.banned_by,
                    effect.at_ms,
                    device_id=effect.device_id,
                    address=effect.address,
                )
            case StoreRoomAccess():
                await self._repos.rooms.set_access(
                    effect.room_id, effect.privacy, effect.guests_allowed
                )
            case StoreRoomDetails():
                new_hash = None
                if effect.new_password is not None:
                    new_hash = await self._services.hasher.hash(effect.new_password)
                await self._repos.rooms.set_details(
                    effect.room_id,
                    name=effect.name,
                    max_participants=effect.max_participants,
                    password_hash=new_hash,
                    keep_password=effect.new_password is None and not effect.remove_password,
                )
            case FileReport():
                await self._file_report(effect)
                await self._perform(list(effect.then))
            case Audit():
                await self._services.audit.record(
                    effect.event_type,
                    actor_id=effect.actor,
                    target_type="room",
                    target_id=self.state.settings.id,
                    subject=effect.target,
                    **dict(effect.metadata),
                )
            case ReportDrift():
                self._metrics.playback_drift.observe(abs(effect.drift_ms))
            case LookUpDuration():
                await self._learn_upload_duration(effect.video_id)

    async def _learn_upload_duration(self, video_id: str) -> None:
        """Tell the room an uploaded video's probed length (a URL video's comes from a
        member's player instead)."""
        video = await self._repos.videos.get(video_id)
        if video is None or not video.duration_ms:
            return
        now = self._clock.now_ms()
        await self._perform(self.state.learn_duration(now, video_id, float(video.duration_ms)))

    async def _welcome(self, effect: SendWelcome) -> None:
        outlet = self._outlets.get(effect.conn_id)
        if outlet is None:
            return
        room_id = self.state.settings.id
        # Lines meant for one person (a shadow-muted author's) reach nobody else.
        viewer = effect.welcome.you.participant_id
        if effect.last_message_id:
            records = await self._repos.chat.since(
                room_id, effect.last_message_id, CHAT_CATCH_UP, viewer=viewer
            )
        else:
            records = await self._repos.chat.recent(room_id, CHAT_HISTORY, viewer=viewer)
        chat = [_chat_data(record) for record in records]
        source_id = effect.welcome.state.source_id
        reactions = (
            await self._repos.reactions.for_source(room_id, source_id, WELCOME_REACTIONS)
            if source_id
            else []
        )
        frame = effect.render(
            self._clock.now_ms(),
            chat,
            deprecated=outlet.protocol_deprecated,
            reactions=[_reaction_view(record) for record in reactions],
        )
        outlet.deliver(frame.to_json())

    async def _store_chat(self, effect: StoreChat) -> None:
        record = _chat_record(effect)
        await self._repos.chat.add(
            room_id=record.room_id,
            user_id=record.user_id,
            username=record.username,
            kind=record.kind,
            content=record.content,
            event_json=record.event_json,
            created_at=record.created_at,
            message_id=record.id,
            visible_to=record.visible_to,
            hidden_reason=record.hidden_reason,
        )

    async def _file_report(self, effect: FileReport) -> None:
        """Store a report with the room's last chat lines (whoever could see them)."""
        lines = await self._repos.chat.evidence(effect.room_id, REPORT_CHAT_LINES)
        evidence = {
            **effect.evidence,
            "chat": [
                {**_chat_data(line).to_wire(), "visibleTo": line.visible_to}
                if line.visible_to
                else _chat_data(line).to_wire()
                for line in lines
            ],
        }
        await self._repos.reports.add(
            NewReport(
                id=effect.report_id,
                room_id=effect.room_id,
                room_code=effect.room_code,
                reporter_id=effect.reporter_id,
                reporter_name=effect.reporter_name,
                reported_id=effect.reported_id,
                reported_name=effect.reported_name,
                reason=effect.reason,
                details=effect.details,
                evidence_json=json.dumps(evidence, ensure_ascii=False, sort_keys=True),
                created_at=effect.at_ms,
            )
        )

    async def _save_snapshot(self, effect: SaveSnapshot | None = None) -> None:
        snapshot = effect.snapshot if effect is not None else self.state.snapshot()
        await self._repos.rooms.save_snapshot(
            snapshot.room_id,
            snapshot.sequence_number,
            snapshot.to_json(),
            self._clock.now_ms(),
            fence=self.fence,
        )

    async def _touch(self) -> None:
        # Through the group commit, shared with other rooms' writes: a join storm made
        # every room wait for a database thread of its own here, its commands behind it.
        now = self._clock.now_ms()
        expiry = int(self._services.settings.room_expiry_hours * 3600 * 1000)
        touch = RoomRepository.touch_write(self.state.settings.id, now, now + expiry)
        try:
            await self._services.group_commit.commit_or_alone([touch])
        except Exception:
            # Only the room's expiry is not pushed back this time; the next join or
            # departure pushes it again. Not a reason to fail the room.
            log.warning("room activity not recorded", room=self.code, exc_info=True)


# What the sender of a chat line or reaction the database refused is told: the frame
# answers their message's id, so a client waiting on it stops waiting at once.
CHAT_NOT_STORED = SyncWatchError(
    "Your message could not be saved, so nobody got it. Try again in a moment.",
    retryAfter=2,
)
REACTION_NOT_STORED = SyncWatchError(
    "Your reaction could not be saved, so nobody saw it. Try again in a moment.",
    retryAfter=2,
)


def _refusals_of(then: tuple[Effect, ...], error: SyncWatchError) -> list[Effect]:
    """An `error` frame, with the same `re`, for every ack that `then` would have sent."""
    return [
        Send(to=effect.to, message=out.error_frame(error, effect.message.re))
        for effect in then
        if isinstance(effect, Send) and isinstance(effect.message, out.Ack)
    ]


# Writes a room stages and commits in one group (see `Room._perform`).
_STAGED_WRITES = (SaveSnapshot, StoreChat)
# Effects that may wait behind staged writes: they touch no storage themselves.
_HOLDABLE = (Send, Close, Audit, ReportDrift)


def _write_of(effect: SaveSnapshot | StoreChat, now_ms: int, fence: int | None) -> Write:
    if isinstance(effect, SaveSnapshot):
        snapshot = effect.snapshot
        return RoomRepository.snapshot_write(
            snapshot.room_id, snapshot.sequence_number, snapshot.to_json(), now_ms, fence=fence
        )
    return ChatRepository.add_write(_chat_record(effect))


def _chat_record(effect: StoreChat) -> ChatRecord:
    message = effect.message
    return ChatRecord(
        id=message.id,
        room_id=effect.room_id,
        user_id=message.user_id,
        username=message.username,
        kind=message.kind,
        content=message.content or "",
        event_json=message.event.model_dump_json(by_alias=True) if message.event else None,
        created_at=message.created_at,
        visible_to=effect.visible_to,
        hidden_reason=effect.hidden_reason,
    )


def _chat_data(record: ChatRecord) -> out.ChatMessageData:
    return out.ChatMessageData(
        id=record.id,
        kind="system" if record.kind == "system" else "user",
        created_at=record.created_at,
        user_id=record.user_id,
        username=record.username,
        content=record.content if record.kind == "user" else None,
        event=(
            out.SystemEvent.model_validate(json.loads(record.event_json))
            if record.event_json
            else None
        ),
        # Its author is told the automatic moderator hid it; a shadow-muted author never is.
        hidden=True if record.hidden_reason == "automod" else None,
    )


def _reaction_record(effect: StoreReaction) -> ReactionRecord:
    reaction = effect.reaction
    return ReactionRecord(
        id=reaction.id,
        room_id=effect.room_id,
        source_id=reaction.source_id,
        participant_id=reaction.participant_id,
        username=reaction.username,
        emoji=reaction.emoji,
        media_time_ms=reaction.media_time_ms,
        created_at=reaction.created_at,
    )


def _reaction_view(record: ReactionRecord) -> out.ReactionView:
    return out.ReactionView(
        id=record.id,
        participant_id=record.participant_id,
        username=record.username,
        emoji=record.emoji,
        media_time_ms=record.media_time_ms,
        source_id=record.source_id,
        created_at=record.created_at,
    )
