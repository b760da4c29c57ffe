"""`RoomState`: one room as a pure state machine (sans-I/O, like h11's `Connection`).

Owns everything a room decides: who is a member and in which role, the
playback anchors and the sequence counter, chat and voice rules, the presence
watchdog and ownership. It never touches a socket, a clock, a database or Trio:
every method takes `now_ms` (Unix epoch ms) and returns the effects the Trio
`Room` actor must perform, in order (see `effects`). Refusals are raised as
`syncwatch.errors` exceptions before anything changes, so on error the state is
exactly as it was.

Ownership, as this module reads the contract: the creator is the owner whenever
they connect and no other *present* member holds ownership. An owner who is
away (15 s without heartbeat, or disconnected that long) loses ownership by
auto-handover to the earliest-joined present member; coming back within 60 s
of going away they are offered it back (`room:offer_ownership`, accepted with
`room:reclaim_ownership`); later they rejoin as a participant. A voluntary
transfer leaves no right to reclaim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from syncwatch.errors import BadRequest, Banned, Forbidden, NoSource, RoomFull, RoomNotFound
from syncwatch.ids import new_id
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.version import PROTOCOL_VERSION
from syncwatch.protocol.vocabulary import PlaybackControl, Role
from syncwatch.rooms.core import chat, commands, moderation, ownership, voice
from syncwatch.rooms.core.catchup import CommandLog
from syncwatch.rooms.core.chat import ChatRateLimiter, system_message
from syncwatch.rooms.core.effects import (
    CLOSE_REPLACED,
    CLOSE_ROOM_GONE,
    Audit,
    Close,
    Effect,
    ReportDrift,
    SaveSnapshot,
    Send,
    SendWelcome,
    StoreChat,
)
from syncwatch.rooms.core.idempotency import IdempotencyLedger
from syncwatch.rooms.core.policy import can_control
from syncwatch.rooms.core.presence import AWAY_AFTER_MS, Joiner, Member
from syncwatch.rooms.core.snapshot import FormerOwner, Phase, Snapshot
from syncwatch.rooms.core.sync_math import PlaybackState, lead_ms


@dataclass(frozen=True, slots=True)
class RoomSettings:
    """The fixed facts of a room, from its database row."""

    id: str
    code: str
    name: str
    creator_subject_id: str
    max_participants: int
    playback_control: PlaybackControl = "owner_only"
    auto_handover: bool = True
    has_password: bool = False
    created_at: str | None = None
    """ISO 8601, as in the HTTP room object; passed through to the welcome."""
    expires_at: str | None = None

    def __post_init__(self) -> None:
        if not 2 <= self.max_participants <= 5:
            raise ValueError("max_participants must be 2..5")


class RoomState:
    def __init__(
        self,
        settings: RoomSettings,
        snapshot: Snapshot | None = None,
        *,
        new_id: Callable[[], str] = new_id,
    ) -> None:
        self.settings = settings
        self._new_id = new_id
        self._members: dict[str, Member] = {}
        self._by_conn: dict[str, str] = {}
        self._log = CommandLog()
        self._chat_limits = ChatRateLimiter()
        # Baseline of the owner's liveness; None until the first connection
        # (a restored room starts afresh: everyone reconnects after a failover).
        self._owner_last_seen_ms: int | None = None
        self._owner_away_announced = False
        self._auto_paused = False
        if snapshot is None:
            self._phase: Phase = "CREATED"
            self._playback = PlaybackState(room_id=settings.id)
            self._owner_id: str | None = settings.creator_subject_id
            self._former_owner: FormerOwner | None = None
            self._controllers: set[str] = set()
            self._bans: set[str] = set()
            self._playback_control: PlaybackControl = settings.playback_control
            self._auto_handover = settings.auto_handover
            self._voice_relay_only = False
            self._ledger = IdempotencyLedger()
        else:
            self._phase = snapshot.phase
            self._playback = snapshot.playback
            self._owner_id = snapshot.owner_id
            self._former_owner = snapshot.former_owner
            self._controllers = set(snapshot.controllers)
            self._bans = set(snapshot.bans)
            self._playback_control = snapshot.playback_control
            self._auto_handover = snapshot.auto_handover
            self._voice_relay_only = snapshot.voice_relay_only
            self._ledger = IdempotencyLedger(snapshot.remembered)

    # --- read-only views ---------------------------------------------------------

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def playback(self) -> PlaybackState:
        return self._playback

    @property
    def sequence_number(self) -> int:
        return self._playback.sequence_number

    @property
    def owner_id(self) -> str | None:
        return self._owner_id

    @property
    def members(self) -> tuple[Member, ...]:
        return tuple(sorted(self._members.values(), key=lambda member: member.joined_at_ms))

    def member_for(self, conn_id: str) -> Member | None:
        participant_id = self._by_conn.get(conn_id)
        return None if participant_id is None else self._members[participant_id]

    def snapshot(self) -> Snapshot:
        return Snapshot(
            room_id=self.settings.id,
            phase=self._phase,
            playback=self._playback,
            owner_id=self._owner_id,
            former_owner=self._former_owner,
            controllers=frozenset(self._controllers),
            bans=frozenset(self._bans),
            playback_control=self._playback_control,
            auto_handover=self._auto_handover,
            remembered=tuple(self._ledger.entries()),
            voice_relay_only=self._voice_relay_only,
        )

    def room_view(self) -> out.RoomView:
        return out.RoomView(
            id=self.settings.id,
            code=self.settings.code,
            name=self.settings.name,
            owner_id=self._owner_id,
            max_participants=self.settings.max_participants,
            has_password=self.settings.has_password,
            playback_control=self._playback_control,
            auto_handover=self._auto_handover,
            voice_relay_only=self._voice_relay_only,
            phase=self._phase,
            created_at=self.settings.created_at,
            expires_at=self.settings.expires_at,
        )

    def participants_view(self) -> list[out.ParticipantView]:
        return [
            out.ParticipantView(
                participant_id=member.participant_id,
                user_id=member.participant_id,
                username=member.display_name,
                role=self._role(member),
                is_guest=member.is_guest,
                can_control=self._can_control(member.participant_id),
                away=member.away,
                in_voice=member.in_voice,
                joined_at=member.joined_at_ms,
            )
            for member in self.members
        ]

    def lead_ms(self) -> int:
        return lead_ms(member.rtt_ms for member in self._members.values())

    # --- membership ----------------------------------------------------------------

    def join(
        self,
        now_ms: int,
        conn_id: str,
        identity: Joiner,
        last_seq: int | None = None,
        last_message_id: str | None = None,
    ) -> list[Effect]:
        """Seat a connection. Raises `RoomNotFound` (ended), `Banned`, `RoomFull`.

        A second connection of the same subject takes over that member's seat:
        the old connection gets `Close(4011, "replaced")` and its voice session ends.
        """
        if self._phase == "ENDED":
            raise RoomNotFound()
        participant_id = identity.subject_id
        if participant_id in self._bans:
            raise Banned()
        if conn_id in self._by_conn:
            raise BadRequest("This connection has already joined.")
        previous = self._members.get(participant_id)
        if previous is None and len(self._members) >= self.settings.max_participants:
            raise RoomFull()

        effects: list[Effect] = []
        if previous is not None:
            effects.append(Close(previous.conn_id, CLOSE_REPLACED, "replaced"))
            effects += self._end_voice(previous)
            del self._by_conn[previous.conn_id]
        self._members[participant_id] = Member(
            participant_id=participant_id,
            conn_id=conn_id,
            display_name=identity.display_name,
            is_guest=identity.is_guest,
            joined_at_ms=previous.joined_at_ms if previous else now_ms,
            last_heartbeat_ms=now_ms,
        )
        self._by_conn[conn_id] = participant_id
        if self._phase == "CREATED":
            self._phase = "WAITING"
        if self._owner_last_seen_ms is None:
            self._owner_last_seen_ms = now_ms

        ownership_effects, offer = ownership.on_join(self, now_ms, participant_id)
        missed = (
            None if last_seq is None else self._log.missed_since(last_seq, self.sequence_number)
        )
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
        effects.append(self._participants_to_all())
        effects.append(
            Audit("participant.joined", participant_id, None, {"replaced": previous is not None})
        )
        if previous is None:
            event = out.SystemEvent(
                kind="join", user_id=participant_id, username=identity.display_name
            )
            effects.append(self._system_chat(now_ms, event))
        effects += ownership.watch(self, now_ms)
        return effects

    def leave(self, now_ms: int, conn_id: str) -> list[Effect]:
        """A connection ended. A connection already replaced by a newer one changes nothing."""
        member = self.member_for(conn_id)
        if member is None:
            return []
        effects = self._remove(now_ms, member)
        effects.append(self._participants_to_all())
        effects.append(Audit("participant.left", member.participant_id, None, {}))
        event = out.SystemEvent(
            kind="leave", user_id=member.participant_id, username=member.display_name
        )
        effects.append(self._system_chat(now_ms, event))
        return effects

    def end(self, now_ms: int) -> list[Effect]:
        """The room is deleted or expired: everyone is closed with 4004."""
        effects: list[Effect] = [
            Close(member.conn_id, CLOSE_ROOM_GONE, "room closed") for member in self.members
        ]
        self._members.clear()
        self._by_conn.clear()
        self._phase = "ENDED"
        effects.append(SaveSnapshot(self.snapshot()))
        return effects

    def record_rtt(self, conn_id: str, rtt_ms: float) -> None:
        member = self.member_for(conn_id)
        if member is not None and rtt_ms >= 0:
            self._members[member.participant_id] = replace(member, rtt_ms=float(rtt_ms))

    # --- presence watchdog -----------------------------------------------------------

    def tick(self, now_ms: int) -> list[Effect]:
        """Mark silent members away and run the owner failover; call at `next_deadline_ms`."""
        effects: list[Effect] = []
        newly_away = [
            member
            for member in self._members.values()
            if not member.away and member.silent_for(now_ms) >= AWAY_AFTER_MS
        ]
        for member in newly_away:
            self._members[member.participant_id] = replace(member, away=True)
        if newly_away:
            effects.append(self._participants_to_all())
        effects += ownership.watch(self, now_ms)
        return effects

    def next_deadline_ms(self) -> int | None:
        deadlines = [
            member.last_heartbeat_ms + AWAY_AFTER_MS
            for member in self._members.values()
            if not member.away
        ]
        owner_absent = self._owner_id is not None and self._owner_id not in self._members
        if (
            owner_absent
            and self._members
            and not self._owner_away_announced
            and self._owner_last_seen_ms is not None
        ):
            deadlines.append(self._owner_last_seen_ms + AWAY_AFTER_MS)
        return min(deadlines, default=None)

    # --- messages --------------------------------------------------------------------

    def handle(self, now_ms: int, conn_id: str, message: m.RoomMessage) -> list[Effect]:
        """Apply one client message (anything but `hello` and `time:ping`).

        Every message that carries an `id` gets exactly one `ack` (in the effects)
        or one error (raised).
        """
        member = self.member_for(conn_id)
        if member is None:
            raise Forbidden("This connection has not joined the room.")
        match message:
            case m.Heartbeat():
                return self._heartbeat(now_ms, member, message)
            case m.SyncReport():
                return self._report(member, message)
            case m.SyncPlay() | m.SyncPause() | m.SyncSeek() | m.SyncRate() | m.SyncSource():
                return commands.handle_sync_command(self, now_ms, member, message)
            case m.StartCountdown():
                return commands.handle_countdown(self, now_ms, member, message)
            case m.ChatSend():
                return chat.handle_chat(self, now_ms, member, message)
            case m.VoiceJoin():
                return voice.handle_join(self, member, message)
            case m.VoiceLeave():
                return voice.handle_leave(self, member, message)
            case m.VoiceSignal():
                return voice.handle_signal(self, member, message)
            case _:
                return moderation.handle(self, now_ms, member, message)

    def _heartbeat(self, now_ms: int, member: Member, message: m.Heartbeat) -> list[Effect]:
        self._members[member.participant_id] = replace(member, last_heartbeat_ms=now_ms, away=False)
        effects: list[Effect] = []
        if member.away:
            effects.append(self._participants_to_all())
        if member.participant_id == self._owner_id:
            self._owner_last_seen_ms = now_ms
            self._owner_away_announced = False
            self._auto_paused = False
        # A member coming back may be the candidate a pending handover was waiting for.
        effects += ownership.watch(self, now_ms)
        return effects + self._ack(member, message)

    def _report(self, member: Member, message: m.SyncReport) -> list[Effect]:
        if message.data.rtt_ms is not None:
            self.record_rtt(member.conn_id, message.data.rtt_ms)
        drift = ReportDrift(member.participant_id, message.data.drift_ms)
        return [drift, *self._ack(member, message)]

    # --- helpers used by the handlers --------------------------------------------------

    def _role(self, member: Member) -> Role:
        if member.participant_id == self._owner_id:
            return "owner"
        return "guest" if member.is_guest else "participant"

    def _can_control(self, participant_id: str) -> bool:
        return can_control(
            self._playback_control, participant_id, self._owner_id, self._controllers
        )

    def _everyone(self) -> tuple[str, ...]:
        return tuple(member.conn_id for member in self.members)

    def _participants_to_all(self) -> Send:
        return Send(
            self._everyone(),
            out.Participants(
                data=out.ParticipantsData(
                    participants=self.participants_view(), owner_id=self._owner_id
                )
            ),
        )

    def _welcome(self, participant_id: str, resume: out.Resume) -> out.WelcomeData:
        member = self._members[participant_id]
        return out.WelcomeData(
            protocol_version=PROTOCOL_VERSION,
            server_time=0,  # filled by the actor when it sends
            you=out.YouView(
                participant_id=participant_id, user_id=participant_id, role=self._role(member)
            ),
            room=self.room_view(),
            state=out.PlaybackStateModel.of(self._playback),
            participants=self.participants_view(),
            resume=resume,
        )

    def _system_chat(self, now_ms: int, event: out.SystemEvent) -> StoreChat:
        message = system_message(self._new_id, now_ms, event)
        return StoreChat(
            self.settings.id,
            message,
            then=(Send(self._everyone(), out.ChatMessage(data=message)),),
        )

    def _ack(
        self, member: Member, message: m.RoomMessage, data: Mapping[str, Any] | None = None
    ) -> list[Effect]:
        if message.id is None:
            return []
        return [Send((member.conn_id,), out.Ack(re=message.id, data=dict(data or {})))]

    def _end_voice(self, member: Member) -> list[Effect]:
        if not member.in_voice:
            return []
        self._members[member.participant_id] = replace(member, in_voice=False)
        others = tuple(
            other.conn_id
            for other in self.members
            if other.in_voice and other.participant_id != member.participant_id
        )
        left = out.VoicePeerLeft(data=out.VoicePeerData(peer_id=member.participant_id))
        return [Send(others, left)] if others else []

    def _remove(self, now_ms: int, member: Member) -> list[Effect]:
        effects = self._end_voice(member)
        del self._members[member.participant_id]
        del self._by_conn[member.conn_id]
        if member.participant_id == self._owner_id:
            self._owner_last_seen_ms = now_ms
        return effects

    def _set_owner(self, now_ms: int, participant_id: str) -> None:
        self._owner_id = participant_id
        self._owner_last_seen_ms = now_ms
        self._owner_away_announced = False
        self._auto_paused = False
        if self._former_owner and self._former_owner.participant_id == participant_id:
            self._former_owner = None

    def _require_source(self) -> None:
        if self._playback.source_type is None:
            raise NoSource()
