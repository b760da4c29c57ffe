"""Server→client WebSocket messages (CONTRACT §2).

Owns the shape of everything the server sends on `/ws/rooms/{code}`. The room
core builds these inside its effects; the sockets serialise them with
`to_json()`. `error_frame` is the one place a `SyncWatchError` becomes a frame.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from syncwatch.errors import SyncWatchError
from syncwatch.protocol.vocabulary import (
    CommandType,
    MediaFailure,
    MuteScope,
    OwnershipReason,
    PlaybackControl,
    Privacy,
    Role,
    SourceType,
)
from syncwatch.protocol.wire import EmptyData, WireModel


class PlaybackStateModel(WireModel):
    nullable_on_wire = frozenset({"sourceType", "sourceId"})

    room_id: str
    source_type: SourceType | None
    source_id: str | None
    is_playing: bool
    playback_rate: float
    anchor_server_time_ms: int
    anchor_media_time_ms: float
    sequence_number: int
    duration_ms: float | None = None
    """The video's length once the room knows it; no position is ever past it."""

    @classmethod
    def of(cls, state: object) -> PlaybackStateModel:
        """The wire view of the room core's `PlaybackState`, read attribute by attribute
        (the protocol never imports the core)."""
        return cls.model_validate(state, from_attributes=True)


class ParticipantView(WireModel):
    participant_id: str
    user_id: str
    username: str
    role: Role
    is_guest: bool
    can_control: bool
    away: bool
    in_voice: bool
    joined_at: int
    chat_muted: bool = False
    voice_muted: bool = False
    """Cannot speak: muted, or not let speak while the whole room is muted. Every client
    silences such a member's voice on its own side."""
    hand_raised: bool = False
    chat_muted_until: int | None = None
    """Epoch ms when a timed chat mute ends (absent: not muted, or for the session)."""
    voice_muted_until: int | None = None
    host: bool = False
    """A temporary host: the owner lent them playback control (`room:host`)."""
    host_until: int | None = None
    """Epoch ms when a temporary host's control ends by itself (absent: until revoked)."""


class AutomodView(WireModel):
    """The automatic moderator's rules (docs/protocol.md "Automod")."""

    enabled: bool
    repeats: bool
    links: bool
    flood: bool
    blocklist: bool
    repeat_limit: int
    link_limit: int
    flood_limit: int


class RoomView(WireModel):
    id: str
    code: str
    name: str
    owner_id: str | None
    max_participants: int
    has_password: bool
    playback_control: PlaybackControl
    auto_handover: bool
    voice_relay_only: bool = False
    phase: Literal["CREATED", "WAITING", "PLAYING", "PAUSED", "ENDED"]
    created_at: int
    privacy: Privacy = "public"
    guests_allowed: bool = True
    voice_muted_for_all: bool = False
    automod: AutomodView | None = None
    guests_may_chat: bool = False
    """Epoch ms, the same number as the HTTP room object's `createdAt`. (A live room
    has no expiry: it expires once empty; `GET /api/v1/rooms/{code}` has the deadline.)"""
    buffer_wait_ms: int = 1000
    """Wait for a member whose player stalls this long (0: never)."""
    idle_close_minutes: int = 30
    """Close after this long with nothing played and nobody speaking (0: never)."""


class YouView(WireModel):
    participant_id: str
    user_id: str
    role: Role


class Resume(WireModel):
    """How a (re)joining client catches up: `commands` = the missed `sync:command`s follow
    the welcome, in order; `snapshot` = `state` is all there is (lastSeq too old or absent)."""

    mode: Literal["commands", "snapshot"]
    from_seq: int | None = None


class SubtitleTrackView(WireModel):
    url: str
    label: str
    language: str | None = None


class SubtitlesChangedData(WireModel):
    """The subtitle tracks of the room's current source (`sourceId`), for everyone to pick from."""

    source_id: str | None
    subtitles: list[SubtitleTrackView]


class Greeting(WireModel):
    """What every `welcome` starts with, on either socket."""

    protocol_version: str
    server_time: int
    compatible: bool = True
    deprecated: bool = False
    """The client's protocol minor is older than the server's: it should update."""


class ModerationView(WireModel):
    """What only the owner sees: who is shadow-muted (`room:moderation`, and in the welcome)."""

    shadow_muted: list[str]


class WelcomeData(Greeting):
    you: YouView
    room: RoomView
    state: PlaybackStateModel
    participants: list[ParticipantView]
    chat: list[ChatMessageData] = Field(default_factory=list)
    resume: Resume
    # The subtitle tracks of the current source (also announced by `room:subtitles`).
    subtitles: list[SubtitleTrackView] = Field(default_factory=list)
    # The owner's private view of moderation; absent for everyone else.
    moderation: ModerationView | None = None
    # The open ready check and playback vote, if any (also announced as they change).
    ready_check: ReadyCheckView | None = None
    vote: VoteView | None = None
    # The reactions to the current source (filled by the actor from the store).
    reactions: list[ReactionView] = Field(default_factory=list)


class ReadyCheckView(WireModel):
    """A ready check (`room:ready_check`): `open` while members answer; then how it ended."""

    check_id: str
    status: Literal["open", "all_ready", "started_anyway", "cancelled", "timed_out"]
    asked_by: str
    ends_at: int
    ready: list[str]
    waiting_for: list[str]
    """Who has not confirmed yet (participant ids, earliest joiner first)."""


class ReactionView(WireModel):
    """An emoji reaction at a moment of a source (`reaction:new`, and the welcome's list)."""

    id: str
    participant_id: str
    username: str
    emoji: str
    media_time_ms: int
    source_id: str
    created_at: int


class WaitingData(WireModel):
    """`room:waiting`: whom the room waits for while their player buffers (empty: nobody)."""

    waiting_for: list[str]
    resumes_at: int | None = None
    """Server ms of the resume, once everyone buffered."""
    left_out: list[str] = Field(default_factory=list)
    """Members the room no longer waits for: they stalled too often lately."""


class IdleData(WireModel):
    """`room:idle`: the room will close at `closesAt` unless someone answers (null: lifted)."""

    nullable_on_wire = frozenset({"closesAt"})

    closes_at: int | None


class VoteView(WireModel):
    """A playback vote (`room:vote`): `open`, then `passed`, `failed` or `expired`."""

    vote_id: str
    action: Literal["pause", "resume"]
    status: Literal["open", "passed", "failed", "expired"]
    started_by: str
    ends_at: int
    yes: list[str]
    no: list[str]
    needed: int
    """Yes votes that carry it: a majority of the members present."""
    eligible: int


class TimePongData(WireModel):
    t0: float
    t1: int
    t2: int


class SyncCommandData(WireModel):
    type: CommandType
    sequence_number: int
    at_server_time: int
    issued_by: str
    state: PlaybackStateModel
    target_media_time_ms: float | None = None
    rate: float | None = None
    source_type: SourceType | None = None
    source_id: str | None = None
    # "ended": the PAUSE the room issues itself when the video reaches its end.
    reason: Literal["ended"] | None = None


class DurationData(WireModel):
    """The length of the room's current video, learnt after its `SET_SOURCE`."""

    source_id: str
    duration_ms: float


class ParticipantsData(WireModel):
    participants: list[ParticipantView]
    owner_id: str | None


class OwnerAwayData(WireModel):
    owner_id: str
    message: str = "Owner disconnected. Waiting for reconnect..."


class OwnerChangedData(WireModel):
    new_owner_id: str
    previous_owner_id: str | None
    reason: OwnershipReason


class OfferOwnershipData(WireModel):
    current_owner_id: str | None
    can_reclaim: bool = True
    expires_at: int


class SettingsChangedData(WireModel):
    playback_control: PlaybackControl
    auto_handover: bool
    name: str | None = None
    max_participants: int | None = None
    has_password: bool | None = None
    guests_may_chat: bool = False
    voice_relay_only: bool = False
    privacy: Privacy = "public"
    guests_allowed: bool = True
    voice_muted_for_all: bool = False
    automod: AutomodView | None = None
    buffer_wait_ms: int = 1000
    """Wait for a member whose player stalls this long (0: never)."""
    idle_close_minutes: int = 30
    """Close after this long with nothing played and nobody speaking (0: never)."""


class SystemEvent(WireModel):
    kind: Literal[
        "join",
        "leave",
        "play",
        "pause",
        "seek",
        "rate",
        "source",
        "subtitles",
        "ownership",
        "kick",
        "ban",
        "automod",
        "host",
        "host_ended",
        "ended",
        "media_failed",
        "settings",
    ]
    user_id: str | None = None
    username: str | None = None
    position: float | None = None
    rate: float | None = None
    source_type: SourceType | None = None
    # `automod` (a line only the owner sees): what the automatic moderator did, and why.
    action: Literal["warn", "hide", "mute"] | None = None
    rule: Literal["repeats", "links", "flood", "blocklist"] | None = None
    # `media_failed`: why someone's player could not play the source (`media:failed`).
    reason: MediaFailure | None = None
    # `settings`: what the owner changed, setting by setting, with the new values (a
    # password is only ever "set", "changed" or "removed").
    changes: dict[str, str | int | bool] | None = None
    # `pause` issued by the room itself to wait for buffering: whom it waits for (the
    # names it shows). Absent on every other pause.
    waiting_for: list[str] | None = None


class ChatMessageData(WireModel):
    """A stored chat line: `kind` user (with content) or system (with event)."""

    id: str
    kind: Literal["user", "system"]
    created_at: int
    user_id: str | None = None
    username: str | None = None
    content: str | None = None
    event: SystemEvent | None = None
    hidden: bool | None = None
    """True on a line the automatic moderator hid, as its author sees it (nobody else does)."""


class MutedData(WireModel):
    """To a member: what they can no longer do, until when (absent: the rest of the session)."""

    scope: MuteScope
    until: int | None = None
    by: Literal["owner", "automod"]


class UnmutedData(WireModel):
    scope: MuteScope


class AutomodWarningData(WireModel):
    """To a member: the automatic moderator acted on their message."""

    rule: Literal["repeats", "links", "flood", "blocklist"]
    action: Literal["warn", "hide", "mute"]
    message: str


class VoicePeersData(WireModel):
    peers: list[str]


class VoicePeerData(WireModel):
    peer_id: str


class VoiceSignalRelayData(WireModel):
    from_id: str
    signal: dict[str, Any]


class CountdownStartData(WireModel):
    server_start_time: int
    duration_ms: int
    play_at_server_time: int
    sequence_number: int


class MediaProgressData(WireModel):
    """An upload made for this room, as its transcode goes (docs/protocol.md "Uploads")."""

    video_id: str
    filename: str
    status: Literal["processing", "ready", "failed"]
    progress: int = Field(ge=0, le=100)
    playable: bool
    error: str | None = None


class ErrorData(WireModel):
    code: str
    message: str
    current_seq: int | None = None
    retry_after: int | None = None
    errors: list[dict[str, Any]] | None = None
    suggestion: str | None = None
    """What the person can do instead, in plain words (`mixed_content`)."""


# --- envelopes -----------------------------------------------------------------


class Welcome(WireModel):
    type: Literal["welcome"] = "welcome"
    data: WelcomeData


class TimePong(WireModel):
    type: Literal["time:pong"] = "time:pong"
    data: TimePongData


class SyncCommand(WireModel):
    type: Literal["sync:command"] = "sync:command"
    data: SyncCommandData


class SyncDuration(WireModel):
    type: Literal["sync:duration"] = "sync:duration"
    data: DurationData


class Participants(WireModel):
    type: Literal["room:participants"] = "room:participants"
    data: ParticipantsData


class OwnerAway(WireModel):
    type: Literal["room:owner_away"] = "room:owner_away"
    data: OwnerAwayData


class OwnerChanged(WireModel):
    type: Literal["room:owner_changed"] = "room:owner_changed"
    data: OwnerChangedData


class OfferOwnership(WireModel):
    type: Literal["room:offer_ownership"] = "room:offer_ownership"
    data: OfferOwnershipData


class SettingsChanged(WireModel):
    type: Literal["room:settings"] = "room:settings"
    data: SettingsChangedData


class SubtitlesChanged(WireModel):
    type: Literal["room:subtitles"] = "room:subtitles"
    data: SubtitlesChangedData


class ChatMessage(WireModel):
    type: Literal["chat:message"] = "chat:message"
    data: ChatMessageData


class ModerationState(WireModel):
    type: Literal["room:moderation"] = "room:moderation"
    data: ModerationView


class Muted(WireModel):
    type: Literal["moderation:muted"] = "moderation:muted"
    data: MutedData


class Unmuted(WireModel):
    type: Literal["moderation:unmuted"] = "moderation:unmuted"
    data: UnmutedData


class AutomodWarning(WireModel):
    type: Literal["moderation:warning"] = "moderation:warning"
    data: AutomodWarningData


class VoicePeers(WireModel):
    type: Literal["voice:peers"] = "voice:peers"
    data: VoicePeersData


class VoicePeerJoined(WireModel):
    type: Literal["voice:peer:joined"] = "voice:peer:joined"
    data: VoicePeerData


class VoicePeerLeft(WireModel):
    type: Literal["voice:peer:left"] = "voice:peer:left"
    data: VoicePeerData


class VoiceSignalRelay(WireModel):
    type: Literal["voice:signal"] = "voice:signal"
    data: VoiceSignalRelayData


class CountdownStart(WireModel):
    type: Literal["countdown:start"] = "countdown:start"
    data: CountdownStartData


class MediaProgress(WireModel):
    type: Literal["media:progress"] = "media:progress"
    data: MediaProgressData


class ReadyCheck(WireModel):
    type: Literal["room:ready_check"] = "room:ready_check"
    data: ReadyCheckView


class Vote(WireModel):
    type: Literal["room:vote"] = "room:vote"
    data: VoteView


class Waiting(WireModel):
    type: Literal["room:waiting"] = "room:waiting"
    data: WaitingData


class Idle(WireModel):
    type: Literal["room:idle"] = "room:idle"
    data: IdleData


class ReactionNew(WireModel):
    type: Literal["reaction:new"] = "reaction:new"
    data: ReactionView


class Ack(WireModel):
    type: Literal["ack"] = "ack"
    re: str
    data: dict[str, Any] = Field(default_factory=dict)


class Error(WireModel):
    type: Literal["error"] = "error"
    re: str | None = None
    data: ErrorData


ServerMessage = (
    Welcome
    | TimePong
    | SyncCommand
    | SyncDuration
    | Participants
    | OwnerAway
    | OwnerChanged
    | OfferOwnership
    | SettingsChanged
    | SubtitlesChanged
    | ChatMessage
    | VoicePeers
    | VoicePeerJoined
    | VoicePeerLeft
    | VoiceSignalRelay
    | CountdownStart
    | MediaProgress
    | ModerationState
    | Muted
    | Unmuted
    | AutomodWarning
    | ReadyCheck
    | Vote
    | ReactionNew
    | Waiting
    | Idle
    | Ack
    | Error
)

SERVER_MESSAGE_MODELS: tuple[type[WireModel], ...] = (
    Welcome, TimePong, SyncCommand, SyncDuration, Participants, OwnerAway, OwnerChanged,
    OfferOwnership, SettingsChanged, SubtitlesChanged, ChatMessage, VoicePeers, VoicePeerJoined,
    VoicePeerLeft, VoiceSignalRelay, CountdownStart, MediaProgress, ModerationState, Muted, Unmuted,
    AutomodWarning, ReadyCheck, Vote, ReactionNew, Waiting, Idle, Ack,
    Error,
)  # fmt: skip


def error_frame(error: SyncWatchError, re: str | None = None) -> Error:
    """The `error` frame for any `SyncWatchError` (the only mapping of errors to frames)."""
    extra = error.extra
    return Error(
        re=re,
        data=ErrorData(
            code=error.code,
            message=error.detail,
            current_seq=extra.get("currentSeq"),
            retry_after=extra.get("retryAfter"),
            errors=extra.get("errors"),
            suggestion=extra.get("suggestion"),
        ),
    )


__all__ = ["EmptyData", "ServerMessage", "error_frame"]
WelcomeData.model_rebuild()
