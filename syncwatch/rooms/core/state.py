"""`RoomState`: one room as a pure state machine (sans-I/O, like h11's `Connection`).

Owns everything a room decides: who is a member and in which role, the
playback anchors and the sequence counter, chat and voice rules, the presence
watchdog and ownership. It never touches a socket, a clock, a database or Trio:
every method takes `now_ms` (Unix epoch ms) and returns the effects the Trio
`Room` actor must perform, in order (see `effects`). Refusals are raised as
`syncwatch.errors` exceptions before anything changes, so on error the state is
exactly as it was.

The room's facts live in its `RoomContext`, changed only through its methods;
`RoomState` seats and unseats connections, runs the watchdog and routes every
other message to its handler (`dispatch`).

Ownership, as this module reads the contract: the creator is the owner whenever
they connect and no other *present* member holds ownership. An owner who is
away (15 s without heartbeat, or disconnected that long) loses ownership by
auto-handover to the earliest-joined present member; coming back within 60 s
of going away they are offered it back (`room:offer_ownership`, accepted with
`room:reclaim_ownership`); later they rejoin as a participant. A voluntary
transfer leaves no right to reclaim.
"""

from __future__ import annotations

from collections.abc import Callable

from syncwatch.close_codes import CloseCode
from syncwatch.errors import BadRequest, Banned, Forbidden, RoomFull, RoomNotFound
from syncwatch.ids import new_id
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.version import PROTOCOL_VERSION
from syncwatch.rooms.core import (
    buffering,
    end_of_media,
    handover,
    hosting,
    idleness,
    liveness,
    muting,
    ready_check,
    votes,
)
from syncwatch.rooms.core.context import RoomContext, RoomSettings
from syncwatch.rooms.core.dispatch import handler_for
from syncwatch.rooms.core.effects import (
    Audit,
    Close,
    Effect,
    SaveSnapshot,
    Send,
    SendWelcome,
)
from syncwatch.rooms.core.presence import Joiner, Member
from syncwatch.rooms.core.snapshot import Phase, Snapshot
from syncwatch.rooms.core.sync_math import PlaybackState

__all__ = ["RoomSettings", "RoomState"]


class RoomState:
    def __init__(
        self,
        settings: RoomSettings,
        snapshot: Snapshot | None = None,
        *,
        new_id: Callable[[], str] = new_id,
    ) -> None:
        self._room = RoomContext(settings, snapshot, new_id)

    @property
    def settings(self) -> RoomSettings:
        """The room's facts from its row, as the owner last changed them (name, seats...)."""
        return self._room.settings

    # --- read-only views ---------------------------------------------------------

    @property
    def phase(self) -> Phase:
        return self._room.phase

    @property
    def playback(self) -> PlaybackState:
        return self._room.playback

    @property
    def sequence_number(self) -> int:
        return self._room.sequence_number

    @property
    def owner_id(self) -> str | None:
        return self._room.ownership.owner_id

    @property
    def members(self) -> tuple[Member, ...]:
        return self._room.membership.ordered()

    def member_for(self, conn_id: str) -> Member | None:
        return self._room.membership.for_conn(conn_id)

    def may_set_source(self, participant_id: str) -> bool:
        """A present member whom the playback control policy lets change the video."""
        present = any(member.participant_id == participant_id for member in self.members)
        return present and self._room.can_control(participant_id)

    def snapshot(self) -> Snapshot:
        return self._room.snapshot()

    def room_view(self) -> out.RoomView:
        return self._room.room_view()

    def participants_view(self) -> list[out.ParticipantView]:
        return self._room.participants_view()

    def lead_ms(self) -> int:
        return self._room.lead_ms()

    # --- membership ----------------------------------------------------------------

    def join(
        self,
        now_ms: int,
        conn_id: str,
        joiner: Joiner,
        last_seq: int | None = None,
        last_message_id: str | None = None,
    ) -> list[Effect]:
        """Seat a connection. Raises `RoomNotFound` (ended), `Banned`, `RoomFull`.

        A second connection of the same subject takes over that member's seat:
        the old connection gets `Close(4011, "replaced")` and its voice session ends.
        """
        room = self._room
        if room.phase == "ENDED":
            raise RoomNotFound()
        participant_id = joiner.subject_id
        if room.rules.is_banned(participant_id):
            raise Banned()
        if room.membership.for_conn(conn_id) is not None:
            raise BadRequest("This connection has already joined.")
        previous = room.membership.get(participant_id)
        if previous is None and len(room.membership) >= self.settings.max_participants:
            raise RoomFull()

        effects: list[Effect] = []
        if previous is not None or room.stability.seen(participant_id):
            # A replaced connection or a return: a reconnect, which handover weighs.
            room.update_stability(room.stability.with_reconnect(participant_id, now_ms))
        else:
            room.update_stability(room.stability.with_arrival(participant_id))
        if previous is not None:
            effects.append(Close(previous.conn_id, CloseCode.REPLACED, "replaced"))
            effects += room.end_voice(previous)
        member = Member(
            participant_id=participant_id,
            conn_id=conn_id,
            display_name=room.shown_name(participant_id, joiner.display_name),
            is_guest=joiner.is_guest,
            joined_at_ms=previous.joined_at_ms
            if previous
            else room.arrival_ms(participant_id, now_ms),
            last_heartbeat_ms=now_ms,
            account_name=joiner.display_name,
            device_id=joiner.device_id,
            address=joiner.address,
        )
        room.seat(member)
        if room.idleness.last_activity_ms is None:
            room.update_idleness(room.idleness.active(now_ms))
        room.note(member, now_ms, "joined")
        if joiner.password_stamp is not None and not room.admissions.admits(
            participant_id, joiner.password_stamp
        ):
            room.update_admissions(room.admissions.admitting(participant_id, joiner.password_stamp))
            effects.append(SaveSnapshot(room.snapshot()))
        room.update_ownership(room.ownership.watched_from(now_ms))

        ownership_effects, offer = handover.on_join(room, now_ms, participant_id)
        missed = None if last_seq is None else room.missed_commands(last_seq)
        resume = (
            out.Resume(mode="commands", from_seq=last_seq)
            if missed is not None
            else out.Resume(mode="snapshot")
        )
        effects.append(SendWelcome(conn_id, self._welcome(participant_id, resume), last_message_id))
        effects += [Send((conn_id,), out.SyncCommand(data=command)) for command in missed or ()]
        if offer is not None:
            effects.append(Send((conn_id,), offer))
        effects += ownership_effects
        effects.append(room.participants_to_all())
        effects.append(
            Audit("participant.joined", participant_id, None, {"replaced": previous is not None})
        )
        if previous is None:
            event = out.SystemEvent(
                kind="join", user_id=participant_id, username=member.display_name
            )
            effects.append(room.system_chat(now_ms, event))
        effects += handover.watch(room, now_ms)
        return effects

    def leave(self, now_ms: int, conn_id: str) -> list[Effect]:
        """A connection ended. A connection already replaced by a newer one changes nothing."""
        room = self._room
        member = room.membership.for_conn(conn_id)
        if member is None:
            return []
        room.note(member, now_ms, "left")
        effects = room.unseat(now_ms, member)
        effects.append(room.participants_to_all())
        effects.append(Audit("participant.left", member.participant_id, None, {}))
        event = out.SystemEvent(
            kind="leave", user_id=member.participant_id, username=member.display_name
        )
        effects.append(room.system_chat(now_ms, event))
        effects += ready_check.forget(room, now_ms, member.participant_id)
        effects += votes.recount(room, now_ms)
        effects += buffering.forget(room, now_ms, member.participant_id)
        return effects

    def end(self, now_ms: int, reason: str = "room closed") -> list[Effect]:
        """The room is deleted or expired: everyone is closed with 4004 (`reason` says which)."""
        effects: list[Effect] = [
            Close(member.conn_id, CloseCode.NOT_FOUND, reason) for member in self.members
        ]
        self._room.close()
        effects.append(SaveSnapshot(self._room.snapshot()))
        return effects

    def admits(self, subject_id: str, password_stamp: str | None) -> bool:
        """Whether `subject_id` got in with the room's current password before (its stamp),
        and was not kicked or banned since: they need not type it again."""
        room = self._room
        if room.rules.is_banned(subject_id):
            return False
        return room.admissions.admits(subject_id, password_stamp)

    def record_rtt(self, conn_id: str, rtt_ms: float, now_ms: int) -> None:
        member = self._room.membership.for_conn(conn_id)
        if member is not None:
            liveness.record_rtt(self._room, member, rtt_ms, now_ms)

    # --- presence watchdog -----------------------------------------------------------

    def tick(self, now_ms: int) -> list[Effect]:
        """Mark silent members away, run the owner failover, lift ended mutes and stop
        the video at its end; call at `next_deadline_ms`."""
        effects = liveness.mark_silent_away(self._room, now_ms)
        effects += handover.watch(self._room, now_ms)
        effects += muting.lift_ended(self._room, now_ms)
        effects += hosting.lift_ended(self._room, now_ms)
        effects += ready_check.expire(self._room, now_ms)
        effects += votes.expire(self._room, now_ms)
        effects += end_of_media.stop_at_end(self._room, now_ms)
        effects += buffering.watch(self._room, now_ms)
        effects += idleness.watch(self._room, now_ms)
        return effects

    def learn_duration(self, now_ms: int, source_id: str, duration_ms: float) -> list[Effect]:
        """The length of an uploaded video, read by the actor from its probe (`LookUpDuration`)."""
        return end_of_media.learn_duration(self._room, now_ms, source_id, duration_ms)

    def next_deadline_ms(self) -> int | None:
        room = self._room
        deadlines = room.membership.away_deadlines_ms()
        owner_deadline = room.ownership.away_deadline_ms(room.membership)
        if owner_deadline is not None:
            deadlines.append(owner_deadline)
        timed = (
            room.mutes.next_expiry_ms(),
            room.temporary_hosts.next_expiry_ms(),
            ready_check.next_deadline_ms(room),
            votes.next_deadline_ms(room),
            end_of_media.end_deadline_ms(room),
            buffering.next_deadline_ms(room),
            idleness.next_deadline_ms(room),
        )
        deadlines += [deadline for deadline in timed if deadline is not None]
        return min(deadlines, default=None)

    # --- messages --------------------------------------------------------------------

    def handle(self, now_ms: int, conn_id: str, message: m.RoomMessage) -> list[Effect]:
        """Apply one client message (anything but `hello` and `time:ping`).

        Every message that carries an `id` gets exactly one `ack` (in the effects)
        or one error (raised).
        """
        member = self._room.membership.for_conn(conn_id)
        if member is None:
            raise Forbidden("This connection has not joined the room.")
        return handler_for(message)(self._room, now_ms, member, message)

    def _welcome(self, participant_id: str, resume: out.Resume) -> out.WelcomeData:
        room = self._room
        member = room.membership.get(participant_id)
        assert member is not None
        return out.WelcomeData(
            protocol_version=PROTOCOL_VERSION,
            server_time=0,  # filled by the actor when it sends
            you=out.YouView(
                participant_id=participant_id, user_id=participant_id, role=room.role(member)
            ),
            room=room.room_view(),
            state=out.PlaybackStateModel.of(room.playback),
            participants=room.participants_view(),
            resume=resume,
            subtitles=[track.view() for track in room.subtitles],
            moderation=room.moderation_view() if room.ownership.is_owner(participant_id) else None,
            ready_check=room.ready_check.view() if room.ready_check else None,
            vote=votes.open_view(room),
        )
