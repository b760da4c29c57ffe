"""`RoomContext`: one room's facts, and the only ways to change them.

Owns the values a room is made of (settings, membership, ownership, rules,
playback, phase) and the bookkeeping around them (command log, idempotency
ledger, chat limits, ids). The message handlers (`commands`, `chat`,
`moderation`, `ownership`, `voice`, `liveness`) read it and change it through
its methods only; they return the effects. It also builds what several
handlers send: the participants list, system chat lines and acks.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from syncwatch.auth.nicknames import nickname_for
from syncwatch.errors import NoSource
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.vocabulary import PlaybackControl, Privacy, Role
from syncwatch.rooms.core import views
from syncwatch.rooms.core.admissions import Admissions
from syncwatch.rooms.core.automod import Automod, AutomodSettings, Verdict
from syncwatch.rooms.core.ballot import PlaybackVote
from syncwatch.rooms.core.buffering_wait import BufferingWait
from syncwatch.rooms.core.catchup import CommandLog
from syncwatch.rooms.core.chat_limits import (
    MEDIA_FAILURE_WINDOW_MS,
    MEDIA_FAILURES_PER_WINDOW,
    REACTION_WINDOW_MS,
    REACTIONS_PER_WINDOW,
    REPORT_WINDOW_MS,
    REPORTS_PER_WINDOW,
    ChatRateLimiter,
)
from syncwatch.rooms.core.effects import Effect, Send, StoreChat
from syncwatch.rooms.core.idempotency import IdempotencyLedger, RememberedResult
from syncwatch.rooms.core.idle_time import Idleness
from syncwatch.rooms.core.member_log import MemberLog
from syncwatch.rooms.core.membership import Membership
from syncwatch.rooms.core.mutes import Mutes
from syncwatch.rooms.core.ownership import Ownership
from syncwatch.rooms.core.policy import RoomRules
from syncwatch.rooms.core.presence import Member
from syncwatch.rooms.core.readiness import ReadyCheck
from syncwatch.rooms.core.snapshot import Phase, Snapshot
from syncwatch.rooms.core.stability import Stability
from syncwatch.rooms.core.subtitle_track import SubtitleTrack
from syncwatch.rooms.core.sync_math import PlaybackState, lead_ms
from syncwatch.rooms.core.temporary_hosts import TemporaryHosts


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
    privacy: Privacy = "public"
    """Who may join, as the room's row says (the row, not the snapshot, is the truth:
    every join is checked against it before the room is asked)."""
    guests_allowed: bool = True
    blocklist: tuple[str, ...] = ()
    """The instance's automod blocklist (`SYNCWATCH_AUTOMOD_BLOCKLIST`)."""
    https_only: bool = False
    """The deployment is served over https: plain http:// media links are refused
    (`mixed_content`), as every browser would block them."""

    def __post_init__(self) -> None:
        if not 2 <= self.max_participants <= 5:
            raise ValueError("max_participants must be 2..5")


MAX_ARRIVALS = 512
"""First-join times a room remembers (the oldest are forgotten first)."""


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
        self._privacy: Privacy = settings.privacy
        self._guests_allowed = settings.guests_allowed
        self._automod = Automod(settings.blocklist)
        self._member_log = MemberLog()
        self._report_limits = ChatRateLimiter(
            REPORTS_PER_WINDOW, REPORT_WINDOW_MS, "You have sent several reports; wait a while."
        )
        self._reaction_limits = ChatRateLimiter(
            REACTIONS_PER_WINDOW, REACTION_WINDOW_MS, "Too many reactions; slow down a little."
        )
        # Questions put to the people here now; a restart drops them (they ask again).
        self._ready_check: ReadyCheck | None = None
        self._vote: PlaybackVote | None = None
        self._stability = Stability()
        self._failure_limits = ChatRateLimiter(
            MEDIA_FAILURES_PER_WINDOW,
            MEDIA_FAILURE_WINDOW_MS,
            "You have reported several playback failures; wait a while.",
        )
        # Why the current source failed, as already told to the room (one line per reason).
        self._failures_told: frozenset[str] = frozenset()
        if snapshot is None:
            self._phase: Phase = "CREATED"
            self._playback = PlaybackState(room_id=settings.id)
            self._ownership = Ownership(settings.creator_subject_id)
            self._rules = RoomRules(settings.playback_control, settings.auto_handover)
            self._ledger = IdempotencyLedger()
            self._subtitles: tuple[SubtitleTrack, ...] = ()
            self._mutes = Mutes()
            self._automod_settings = AutomodSettings()
            self._hosts = TemporaryHosts()
            self._buffering = BufferingWait()
            self._idleness = Idleness()
            self._admissions = Admissions()
            self._arrivals: dict[str, int] = {}
        else:
            self._phase = snapshot.phase
            self._playback = snapshot.playback
            self._ownership = Ownership(snapshot.owner_id, snapshot.former_owner)
            self._rules = RoomRules(
                playback_control=snapshot.playback_control,
                auto_handover=snapshot.auto_handover,
                voice_relay_only=snapshot.voice_relay_only,
                guests_may_chat=snapshot.guests_may_chat,
                controllers=snapshot.controllers,
                bans=snapshot.bans,
            )
            self._ledger = IdempotencyLedger(snapshot.remembered)
            self._subtitles = snapshot.subtitles
            self._mutes = snapshot.mutes
            self._automod_settings = snapshot.automod
            self._hosts = snapshot.temporary_hosts
            self._buffering = BufferingWait(threshold_ms=snapshot.buffer_wait_ms)
            self._idleness = Idleness(idle_minutes=snapshot.idle_close_minutes)
            self._admissions = snapshot.admissions
            self._arrivals = dict(snapshot.arrivals)

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

    @property
    def mutes(self) -> Mutes:
        return self._mutes

    @property
    def admissions(self) -> Admissions:
        return self._admissions

    @property
    def privacy(self) -> Privacy:
        return self._privacy

    @property
    def guests_allowed(self) -> bool:
        return self._guests_allowed

    @property
    def automod_settings(self) -> AutomodSettings:
        return self._automod_settings

    @property
    def temporary_hosts(self) -> TemporaryHosts:
        return self._hosts

    @property
    def ready_check(self) -> ReadyCheck | None:
        return self._ready_check

    @property
    def vote(self) -> PlaybackVote | None:
        return self._vote

    @property
    def idleness(self) -> Idleness:
        return self._idleness

    @property
    def buffering(self) -> BufferingWait:
        return self._buffering

    @property
    def stability(self) -> Stability:
        return self._stability

    @property
    def voice_relay_only(self) -> bool:
        """Relay-only voice: the owner's choice, and always in an anonymous room."""
        return self._rules.voice_relay_only or self._privacy == "anonymous"

    def shown_name(self, participant_id: str, account_name: str) -> str:
        """The name the room shows for someone: generated in an anonymous room."""
        if self._privacy == "anonymous":
            return nickname_for(f"{self.settings.id}:{participant_id}")
        return account_name

    def role(self, member: Member) -> Role:
        if self._ownership.is_owner(member.participant_id):
            return "owner"
        return "guest" if member.is_guest else "participant"

    def can_control(self, participant_id: str) -> bool:
        """The room's policy, or a temporary host's grant (whatever the policy)."""
        return participant_id in self._hosts or self._rules.can_control(
            participant_id, self._ownership.owner_id
        )

    def lead_ms(self, *, excluding: Collection[str] = ()) -> int:
        """The lead of the next command; members in `excluding` do not set it."""
        return lead_ms(self._membership.rtts_ms(excluding=excluding))

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
            mutes=self._mutes,
            automod=self._automod_settings,
            temporary_hosts=self._hosts,
            admissions=self._admissions,
            arrivals=tuple(self._arrivals.items()),
            guests_may_chat=self._rules.guests_may_chat,
        )

    # --- what everyone sees (built in `views`) -----------------------------------------

    def room_view(self) -> out.RoomView:
        return views.room(self)

    def settings_view(self) -> out.SettingsChanged:
        """`room:settings` as everyone receives it after any change of the room's settings."""
        return views.settings(self)

    def moderation_view(self) -> out.ModerationView:
        """What only the owner sees."""
        return views.moderation(self)

    def participants_view(self) -> list[out.ParticipantView]:
        return views.participants(self)

    def moderation_to_owner(self) -> list[Effect]:
        """`room:moderation` to the owner, when they are here."""
        owner = self._membership.get(self._ownership.owner_id or "")
        if owner is None:
            return []
        return [Send((owner.conn_id,), out.ModerationState(data=self.moderation_view()))]

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

    def system_chat_to_owner(self, now_ms: int, event: out.SystemEvent) -> StoreChat | None:
        """A system line only the owner reads (automod's actions): None without an owner."""
        owner_id = self._ownership.owner_id
        if owner_id is None:
            return None
        owner = self._membership.get(owner_id)
        message = out.ChatMessageData(
            id=self._new_id(), kind="system", created_at=now_ms, event=event
        )
        then = (Send((owner.conn_id,), out.ChatMessage(data=message)),) if owner else ()
        return StoreChat(
            self.settings.id, message, then=then, visible_to=owner_id, hidden_reason="owner"
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
        self._mutes = self._mutes.raising_hand(member.participant_id, False, now_ms)
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

    def update_details(self, *, name: str, max_participants: int, has_password: bool) -> None:
        """The owner changed the room's name, seats or password (stored in its row)."""
        self.settings = replace(
            self.settings, name=name, max_participants=max_participants, has_password=has_password
        )

    def update_rules(self, rules: RoomRules) -> None:
        self._rules = rules

    def update_mutes(self, mutes: Mutes) -> None:
        self._mutes = mutes

    def update_hosts(self, hosts: TemporaryHosts) -> None:
        self._hosts = hosts

    def update_ready_check(self, check: ReadyCheck | None) -> None:
        self._ready_check = check

    def update_vote(self, vote: PlaybackVote | None) -> None:
        self._vote = vote

    def update_idleness(self, idleness: Idleness) -> None:
        self._idleness = idleness

    def update_buffering(self, wait: BufferingWait) -> None:
        self._buffering = wait

    def update_stability(self, stability: Stability) -> None:
        self._stability = stability

    def arrival_ms(self, participant_id: str, now_ms: int) -> int:
        """When `participant_id` first joined this room (now, if this is the first time):
        a reload or a reconnect keeps their place in the people list."""
        if participant_id not in self._arrivals:
            if len(self._arrivals) >= MAX_ARRIVALS:
                del self._arrivals[next(iter(self._arrivals))]
            self._arrivals[participant_id] = now_ms
        return self._arrivals[participant_id]

    def update_admissions(self, admissions: Admissions) -> None:
        self._admissions = admissions

    def update_automod(self, settings: AutomodSettings) -> None:
        self._automod_settings = settings

    def update_access(self, privacy: Privacy, guests_allowed: bool) -> None:
        """Who may join from now on; entering or leaving anonymity renames everyone here."""
        renamed = (privacy == "anonymous") != (self._privacy == "anonymous")
        self._privacy, self._guests_allowed = privacy, guests_allowed
        if renamed:
            for member in self._membership.ordered():
                shown = self.shown_name(member.participant_id, member.account_name)
                self._membership = self._membership.seated(replace(member, display_name=shown))

    def judge_chat(self, participant_id: str, content: str, now_ms: int) -> Verdict | None:
        """What the automatic moderator makes of a message (it remembers it either way)."""
        return self._automod.judge(self._automod_settings, participant_id, content, now_ms)

    def note(self, member: Member, now_ms: int, kind: str, **detail: Any) -> None:
        """Remember something that happened to a member, for a report about them."""
        name = member.account_name or member.display_name
        self._member_log.note(member.participant_id, name, now_ms, kind, **detail)

    def recent_events(self, participant_id: str) -> list[dict[str, Any]]:
        return self._member_log.recent(participant_id)

    def remembered_name(self, participant_id: str) -> str | None:
        """The account name of someone here lately (a member who just left can still be
        reported; operators see the account, even in an anonymous room)."""
        return self._member_log.name_of(participant_id)

    def record_command(
        self, playback: PlaybackState, phase: Phase, command: out.SyncCommandData
    ) -> None:
        """A numbered command is in force: the new state, phase, and its place in the log."""
        assert playback.sequence_number == command.sequence_number
        self._playback = playback
        self._phase = phase
        self._log.append(command)
        if command.type == "SET_SOURCE":
            self._failures_told = frozenset()

    def set_duration(self, duration_ms: float) -> None:
        """The current video's length is known now (no new sequence number: the anchors
        keep their meaning, positions past it are clamped from now on)."""
        self._playback = self._playback.with_duration(duration_ms)

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

    def admit_reaction(self, participant_id: str, now_ms: int) -> None:
        """Count one reaction, or raise `RateLimited` past the limit."""
        self._reaction_limits.check(participant_id, now_ms)
        self._reaction_limits.record(participant_id, now_ms)

    def admit_media_failure(self, participant_id: str, now_ms: int, reason: str) -> bool:
        """Count one `media:failed` report (or raise `RateLimited`); True when the room
        has not yet been told that the current source fails for this reason."""
        self._failure_limits.check(participant_id, now_ms)
        self._failure_limits.record(participant_id, now_ms)
        if reason in self._failures_told:
            return False
        self._failures_told = self._failures_told | {reason}
        return True

    def admit_report(self, participant_id: str, now_ms: int) -> None:
        """Count one report, or raise `RateLimited` past 5 in 10 minutes."""
        self._report_limits.check(participant_id, now_ms)
        self._report_limits.record(participant_id, now_ms)
