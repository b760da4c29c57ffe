"""`RoomContext`: one room's facts, and the only ways to change them.

Owns the values a room is made of (settings, membership, ownership, rules,
playback, phase) and the bookkeeping around them (command log, idempotency
ledger, chat limits, ids). The message handlers (`commands`, `chat`,
`moderation`, `ownership`, `voice`, `liveness`) read it and change it through
its methods only; they return the effects. It also builds what several
handlers send: the participants list, system chat lines and acks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from syncwatch.errors import NoSource
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.vocabulary import PlaybackControl, Role
from syncwatch.rooms.core.catchup import CommandLog
from syncwatch.rooms.core.chat_limits import ChatRateLimiter
from syncwatch.rooms.core.effects import Effect, Send, StoreChat
from syncwatch.rooms.core.idempotency import IdempotencyLedger, RememberedResult
from syncwatch.rooms.core.membership import Membership
from syncwatch.rooms.core.ownership import Ownership
from syncwatch.rooms.core.policy import RoomRules
from syncwatch.rooms.core.presence import Member
from syncwatch.rooms.core.snapshot import Phase, Snapshot
from syncwatch.rooms.core.subtitle_track import SubtitleTrack
from syncwatch.rooms.core.sync_math import PlaybackState, lead_ms


@dataclass(frozen=True, slots=True)
class RoomSettings:
    """The fixed facts of a room, from its database row."""

    id: str
    code: str
    name: str
    creator_subject_id: str
    max_participants: int
    created_at: int
    """Epoch ms, as in the HTTP room object; passed through to the welcome."""
    playback_control: PlaybackControl = "owner_only"
    auto_handover: bool = True
    has_password: bool = False

    def __post_init__(self) -> None:
        if not 2 <= self.max_participants <= 5:
            raise ValueError("max_participants must be 2..5")


class RoomContext:
    def __init__(
        self,
        settings: RoomSettings,
        snapshot: Snapshot | None,
        new_id: Callable[[], str],
    ) -> None:
        self.settings = settings
        self._new_id = new_id
        self._membership = Membership()
        self._log = CommandLog()
        self._chat_limits = ChatRateLimiter()
        if snapshot is None:
            self._phase: Phase = "CREATED"
            self._playback = PlaybackState(room_id=settings.id)
            self._ownership = Ownership(settings.creator_subject_id)
            self._rules = RoomRules(settings.playback_control, settings.auto_handover)
            self._ledger = IdempotencyLedger()
            self._subtitles: tuple[SubtitleTrack, ...] = ()
        else:
            self._phase = snapshot.phase
            self._playback = snapshot.playback
            self._ownership = Ownership(snapshot.owner_id, snapshot.former_owner)
            self._rules = RoomRules(
                playback_control=snapshot.playback_control,
                auto_handover=snapshot.auto_handover,
                voice_relay_only=snapshot.voice_relay_only,
                controllers=snapshot.controllers,
                bans=snapshot.bans,
            )
            self._ledger = IdempotencyLedger(snapshot.remembered)
            self._subtitles = snapshot.subtitles

    # --- what the room is ------------------------------------------------------------

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
    def subtitles(self) -> tuple[SubtitleTrack, ...]:
        """The subtitle tracks of the current source."""
        return self._subtitles

    @property
    def membership(self) -> Membership:
        return self._membership

    @property
    def ownership(self) -> Ownership:
        return self._ownership

    @property
    def rules(self) -> RoomRules:
        return self._rules

    def role(self, member: Member) -> Role:
        if self._ownership.is_owner(member.participant_id):
            return "owner"
        return "guest" if member.is_guest else "participant"

    def can_control(self, participant_id: str) -> bool:
        return self._rules.can_control(participant_id, self._ownership.owner_id)

    def lead_ms(self) -> int:
        return lead_ms(self._membership.rtts_ms())

    def require_source(self) -> None:
        if self._playback.source_type is None:
            raise NoSource()

    def remembered(self, participant_id: str, key: str, now_ms: int) -> RememberedResult | None:
        """The first result of a command retried with the same idempotency key."""
        return self._ledger.lookup(participant_id, key, now_ms)

    def snapshot(self) -> Snapshot:
        return Snapshot(
            room_id=self.settings.id,
            phase=self._phase,
            playback=self._playback,
            owner_id=self._ownership.owner_id,
            former_owner=self._ownership.former_owner,
            controllers=self._rules.controllers,
            bans=self._rules.bans,
            playback_control=self._rules.playback_control,
            auto_handover=self._rules.auto_handover,
            remembered=tuple(self._ledger.entries()),
            voice_relay_only=self._rules.voice_relay_only,
            subtitles=self._subtitles,
        )

    def room_view(self) -> out.RoomView:
        return out.RoomView(
            id=self.settings.id,
            code=self.settings.code,
            name=self.settings.name,
            owner_id=self._ownership.owner_id,
            max_participants=self.settings.max_participants,
            has_password=self.settings.has_password,
            playback_control=self._rules.playback_control,
            auto_handover=self._rules.auto_handover,
            voice_relay_only=self._rules.voice_relay_only,
            phase=self._phase,
            created_at=self.settings.created_at,
        )

    def participants_view(self) -> list[out.ParticipantView]:
        return [
            out.ParticipantView(
                participant_id=member.participant_id,
                user_id=member.participant_id,
                username=member.display_name,
                role=self.role(member),
                is_guest=member.is_guest,
                can_control=self.can_control(member.participant_id),
                away=member.away,
                in_voice=member.in_voice,
                joined_at=member.joined_at_ms,
            )
            for member in self._membership.ordered()
        ]

    # --- what handlers send ------------------------------------------------------------

    def everyone(self) -> tuple[str, ...]:
        return self._membership.conn_ids()

    def participants_to_all(self) -> Send:
        return Send(
            self.everyone(),
            out.Participants(
                data=out.ParticipantsData(
                    participants=self.participants_view(), owner_id=self._ownership.owner_id
                )
            ),
        )

    def system_chat(self, now_ms: int, event: out.SystemEvent) -> StoreChat:
        """A system line in the chat (joins, commands, handovers): stored, then sent to all."""
        message = out.ChatMessageData(
            id=self._new_id(), kind="system", created_at=now_ms, event=event
        )
        return StoreChat(
            self.settings.id,
            message,
            then=(Send(self.everyone(), out.ChatMessage(data=message)),),
        )

    def ack(
        self, member: Member, message: m.RoomMessage, data: Mapping[str, Any] | None = None
    ) -> list[Effect]:
        """The `ack` a message with an `id` gets (nothing for one without)."""
        if message.id is None:
            return []
        return [Send((member.conn_id,), out.Ack(re=message.id, data=dict(data or {})))]

    def new_id(self) -> str:
        return self._new_id()

    # --- changes -------------------------------------------------------------------------

    def seat(self, member: Member) -> None:
        """Give `member` their seat (a member already seated keeps their place in order).
        The first arrival moves a new room to WAITING."""
        self._membership = self._membership.seated(member)
        if self._phase == "CREATED":
            self._phase = "WAITING"

    def update_member(self, member: Member) -> None:
        """Replace a seated member's record (heartbeat, away, voice, RTT)."""
        assert member.participant_id in self._membership
        self._membership = self._membership.seated(member)

    def unseat(self, now_ms: int, member: Member) -> list[Effect]:
        """`member` leaves (left, kicked, banned): their call ends, their seat is free."""
        effects = self.end_voice(member)
        self._membership = self._membership.without(member.participant_id)
        if self._ownership.is_owner(member.participant_id):
            self._ownership = self._ownership.left(now_ms)
        return effects

    def end_voice(self, member: Member) -> list[Effect]:
        """`member` is out of the voice call; the others in it hear that they left."""
        if not member.in_voice:
            return []
        self._membership = self._membership.seated(replace(member, in_voice=False))
        others = tuple(
            other.conn_id for other in self._membership.in_voice(excluding=member.participant_id)
        )
        left = out.VoicePeerLeft(data=out.VoicePeerData(peer_id=member.participant_id))
        return [Send(others, left)] if others else []

    def close(self) -> None:
        """The room is deleted or expired: nobody is seated and it is ENDED for good."""
        self._membership = Membership()
        self._phase = "ENDED"

    def update_ownership(self, ownership: Ownership) -> None:
        self._ownership = ownership

    def update_rules(self, rules: RoomRules) -> None:
        self._rules = rules

    def record_command(
        self, playback: PlaybackState, phase: Phase, command: out.SyncCommandData
    ) -> None:
        """A numbered command is in force: the new state, phase, and its place in the log."""
        assert playback.sequence_number == command.sequence_number
        self._playback = playback
        self._phase = phase
        self._log.append(command)

    def set_subtitles(self, tracks: tuple[SubtitleTrack, ...]) -> None:
        """The current source's tracks are now `tracks` (already checked)."""
        self._subtitles = tracks

    def remember(
        self, participant_id: str, key: str, now_ms: int, result: Mapping[str, Any]
    ) -> None:
        """Keep a command's first result for retries with the same idempotency key."""
        self._ledger.remember(participant_id, key, now_ms, result)

    def missed_commands(self, last_seq: int) -> list[out.SyncCommandData] | None:
        """The commands after `last_seq` a reconnecting client missed; None if the log
        no longer reaches back that far."""
        return self._log.missed_since(last_seq, self.sequence_number)

    def admit_chat(self, participant_id: str, now_ms: int) -> None:
        """Count one chat message, or raise `RateLimited` past the limit."""
        self._chat_limits.check(participant_id, now_ms)
        self._chat_limits.record(participant_id, now_ms)
