"""Client→server WebSocket messages, and the one parser that turns a frame into one of them.

Owns the shape of everything a browser may send on `/ws/rooms/{code}`
(CONTRACT §2): the envelope `{type, id?, data}` and each type's `data`. Type
checks happen here (a wrong type is `bad_message`); value rules that depend on
the room (a seek target below zero, a rate out of range, chat length) are the
room's to judge, so a client sees them as `validation_error` with `re`.
Server→client models live in `server_messages`, versioning in `version`, the
JSON Schema in `schema`, and what only `/ws/me` speaks in `user_messages`.
`parse_frame` is the parser both sockets use.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from syncwatch.errors import BadMessage
from syncwatch.json_text import InvalidJson, contains_nul, loads
from syncwatch.protocol.vocabulary import (
    MediaFailure,
    MuteScope,
    Privacy,
    ReportReason,
    SourceType,
)
from syncwatch.protocol.wire import EmptyData, WireModel

MAX_FRAME_BYTES = 64 * 1024
"""Frames above this are refused by the socket before parsing (`bad_message`)."""

DEFAULT_COUNTDOWN_MS = 3000


# --- data of each client message ---------------------------------------------


class HelloData(WireModel):
    protocol_version: str
    token: str
    password: str | None = None
    last_seq: int | None = Field(default=None, ge=0)
    last_message_id: str | None = None


class TimePingData(WireModel):
    t0: float
    rtt_ms: float | None = Field(default=None, ge=0)


class CommandOptions(WireModel):
    """Optional concurrency controls carried by every sync command."""

    expected_seq: int | None = None
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=128)


class PlayData(CommandOptions):
    pass


class PauseData(CommandOptions):
    pass


class SeekData(CommandOptions):
    """An absolute target, or `deltaMs` relative to where the room is heading: the
    position of the latest command at the instant this one takes effect, so rapid
    presses of "+5 s" each count even before the previous one reached anybody."""

    target_media_time_ms: float | None = None
    delta_ms: float | None = None

    @model_validator(mode="after")
    def _one_target(self) -> SeekData:
        if (self.target_media_time_ms is None) == (self.delta_ms is None):
            raise ValueError("exactly one of targetMediaTimeMs and deltaMs is required")
        return self


class RateData(CommandOptions):
    rate: float


MAX_SUBTITLE_TRACKS = 16
"""Tracks one source may carry (the room refuses more with `validation_error`)."""


class SubtitleTrackData(WireModel):
    """One subtitle track of the room's source: a WebVTT file everyone may pick.

    Which URLs a source accepts (a `.vtt` URL beside a direct URL; one of the
    video's own tracks beside an upload) is the room's to judge.
    """

    url: str = Field(min_length=1, max_length=2048)
    label: str = Field(min_length=1, max_length=64)
    language: str | None = Field(default=None, max_length=35)


class SourceData(CommandOptions):
    """`{sourceType, sourceId | url | videoId, subtitles?}`, normalised to `source_type` +
    `source_id`; `subtitles` are the tracks the new source comes with (none when absent)."""

    source_type: SourceType
    source_id: str | None = Field(default=None, min_length=1, max_length=2048)
    url: str | None = Field(default=None, min_length=1, max_length=2048)
    video_id: str | None = Field(default=None, min_length=1, max_length=128)
    subtitles: list[SubtitleTrackData] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_identifier(self) -> SourceData:
        if self.resolved_source_id() is None:
            wanted = {
                "upload": "sourceId",
                "youtube": "videoId or sourceId",
                "url": "url or sourceId",
            }
            raise ValueError(
                f"{wanted[self.source_type]} is required for sourceType {self.source_type!r}"
            )
        if self.source_type == "url":
            target = self.resolved_source_id() or ""
            if not target.startswith(("https://", "http://")):
                raise ValueError("url must be an http(s) URL")
        return self

    def resolved_source_id(self) -> str | None:
        alternatives = {"upload": None, "youtube": self.video_id, "url": self.url}
        return self.source_id or alternatives[self.source_type]


class SubtitlesData(WireModel):
    """The subtitle tracks of the current source, replacing the ones it had.

    `sourceId`, when given, must be the room's current source: a list meant
    for a video someone has just replaced is refused (`conflict`)."""

    subtitles: list[SubtitleTrackData]
    source_id: str | None = Field(default=None, max_length=2048)


MAX_DURATION_MS = 24 * 3600 * 1000.0
"""The longest video length a member may report (far above the 3 h upload limit)."""


class DurationReportData(WireModel):
    """A member's player learnt the length of the room's current video (`sourceId`)."""

    source_id: str = Field(min_length=1, max_length=2048)
    duration_ms: float = Field(gt=0, le=MAX_DURATION_MS)


class MediaFailedData(WireModel):
    """A member's player could not play the room's source, and why (the browser's own
    error, mapped to one of a few reasons by the player)."""

    source_id: str = Field(min_length=1, max_length=2048)
    reason: MediaFailure


class ReportData(WireModel):
    media_time_ms: float
    at_server_time: float
    drift_ms: float
    rtt_ms: float | None = None


class ChatData(WireModel):
    content: str = Field(max_length=8000)


class VoiceSignalData(WireModel):
    target_id: str
    signal: dict[str, Any]


class ParticipantTarget(WireModel):
    participant_id: str


class AutomodSettingsData(WireModel):
    """The automatic moderator's rules, each on or off, and their thresholds (absent: as is)."""

    enabled: bool | None = None
    repeats: bool | None = None
    links: bool | None = None
    flood: bool | None = None
    blocklist: bool | None = None
    repeat_limit: int | None = Field(default=None, ge=2, le=10)
    link_limit: int | None = Field(default=None, ge=1, le=20)
    flood_limit: int | None = Field(default=None, ge=3, le=30)


class SettingsData(WireModel):
    playback_control: Literal["owner_only", "all", "selected"] | None = None
    auto_handover: bool | None = None
    # Privacy (spec 15.4.2): everyone's voice goes through TURN, no direct P2P.
    voice_relay_only: bool | None = None
    # Who may join from now on (spec 15.4.2 presets), and whether guests may.
    privacy: Privacy | None = None
    guests_allowed: bool | None = None
    automod: AutomodSettingsData | None = None
    # Wait for a member whose player stalls this long (0: never wait).
    buffer_wait_ms: int | None = Field(default=None, ge=0, le=10_000)
    # Close the room after this many minutes with nothing played and nobody speaking (0: never).
    idle_close_minutes: int | None = Field(default=None, ge=0, le=720)
    # The room's own details (judged by the room: a name of 1..80 characters, 2..5 seats
    # and never fewer than the people here now); `password` sets or changes it,
    # `removePassword` takes it away; `guestsMayChat` lets guest accounts write in the chat.
    name: str | None = Field(default=None, max_length=400)
    max_participants: int | None = None
    password: str | None = Field(default=None, min_length=1, max_length=128)
    remove_password: bool | None = None
    guests_may_chat: bool | None = None


MUTE_DURATION_MS = (60_000, 24 * 3600 * 1000)
"""A timed mute lasts 1 minute to 24 hours; without `durationMs`, the rest of the session."""


class MuteData(WireModel):
    participant_id: str
    scope: MuteScope = "both"
    duration_ms: int | None = Field(default=None, ge=MUTE_DURATION_MS[0], le=MUTE_DURATION_MS[1])


class UnmuteData(WireModel):
    participant_id: str
    scope: MuteScope = "both"


class VoiceMuteAllData(WireModel):
    enabled: bool


class RaiseHandData(WireModel):
    raised: bool = True


class AllowSpeakerData(WireModel):
    participant_id: str
    allowed: bool = True


class MemberReportData(WireModel):
    participant_id: str
    reason: ReportReason
    details: str = Field(default="", max_length=1000)


class CountdownData(CommandOptions):
    duration_ms: int = Field(default=DEFAULT_COUNTDOWN_MS, ge=1000, le=10_000)


READY_CHECK_MS = 30_000
"""A ready check left unanswered this long ends `timed_out` (spec 15.1.1)."""
VOTE_MS = 20_000
"""A playback vote is open this long."""
HOST_DURATION_MS = (60_000, 4 * 3600 * 1000)
"""A temporary host lasts 1 minute to 4 hours; without `durationMs`, until revoked."""


class ReadyCheckData(WireModel):
    """The owner's ready check: `start` asks everyone, `start_anyway` plays now with the
    countdown whoever is not ready, `cancel` drops the question."""

    action: Literal["start", "start_anyway", "cancel"] = "start"
    countdown_ms: int = Field(default=DEFAULT_COUNTDOWN_MS, ge=1000, le=10_000)


class ReadyData(WireModel):
    ready: bool = True


class VoteStartData(WireModel):
    action: Literal["pause", "resume"]


class VoteData(WireModel):
    vote_id: str = Field(max_length=128)
    yes: bool


QUICK_REACTIONS = ("👏", "😂", "😱", "❤️", "🔥", "👀", "😢", "👍")
"""The emoji a reaction may be (the app's quick set); anything else is `validation_error`."""


class BufferingData(WireModel):
    stalled: bool


class ReactionData(WireModel):
    emoji: str = Field(max_length=16)


class HostData(WireModel):
    participant_id: str
    duration_ms: int | None = Field(default=None, ge=HOST_DURATION_MS[0], le=HOST_DURATION_MS[1])


# --- envelopes -----------------------------------------------------------------


class ClientEnvelope(WireModel):
    id: str | None = Field(default=None, max_length=128)


class Hello(ClientEnvelope):
    type: Literal["hello"]
    data: HelloData


class TimePing(ClientEnvelope):
    type: Literal["time:ping"]
    data: TimePingData


class Heartbeat(ClientEnvelope):
    type: Literal["presence:heartbeat"]
    data: EmptyData = EmptyData()


class SyncPlay(ClientEnvelope):
    type: Literal["sync:play"]
    data: PlayData = PlayData()


class SyncPause(ClientEnvelope):
    type: Literal["sync:pause"]
    data: PauseData = PauseData()


class SyncSeek(ClientEnvelope):
    type: Literal["sync:seek"]
    data: SeekData


class SyncRate(ClientEnvelope):
    type: Literal["sync:rate"]
    data: RateData


class SyncSource(ClientEnvelope):
    type: Literal["sync:source"]
    data: SourceData


class SyncSubtitles(ClientEnvelope):
    type: Literal["sync:subtitles"]
    data: SubtitlesData


class SyncReport(ClientEnvelope):
    type: Literal["sync:report"]
    data: ReportData


class SyncDurationReport(ClientEnvelope):
    type: Literal["sync:duration"]
    data: DurationReportData


class MediaFailed(ClientEnvelope):
    type: Literal["media:failed"]
    data: MediaFailedData


class ChatSend(ClientEnvelope):
    type: Literal["chat:message"]
    data: ChatData


class VoiceJoin(ClientEnvelope):
    type: Literal["voice:join"]
    data: EmptyData = EmptyData()


class VoiceLeave(ClientEnvelope):
    type: Literal["voice:leave"]
    data: EmptyData = EmptyData()


class VoiceSignal(ClientEnvelope):
    type: Literal["voice:signal"]
    data: VoiceSignalData


class Kick(ClientEnvelope):
    type: Literal["room:kick"]
    data: ParticipantTarget


class Ban(ClientEnvelope):
    type: Literal["room:ban"]
    data: ParticipantTarget


class GrantControl(ClientEnvelope):
    type: Literal["room:grant_control"]
    data: ParticipantTarget


class RevokeControl(ClientEnvelope):
    type: Literal["room:revoke_control"]
    data: ParticipantTarget


class TransferOwnership(ClientEnvelope):
    type: Literal["room:transfer_ownership"]
    data: ParticipantTarget


class ReclaimOwnership(ClientEnvelope):
    type: Literal["room:reclaim_ownership"]
    data: EmptyData = EmptyData()


class ChangeSettings(ClientEnvelope):
    type: Literal["room:settings"]
    data: SettingsData


class StartCountdown(ClientEnvelope):
    type: Literal["room:countdown"]
    data: CountdownData = CountdownData()


class Mute(ClientEnvelope):
    type: Literal["room:mute"]
    data: MuteData


class Unmute(ClientEnvelope):
    type: Literal["room:unmute"]
    data: UnmuteData


class ShadowMute(ClientEnvelope):
    type: Literal["room:shadow_mute"]
    data: ParticipantTarget


class ShadowUnmute(ClientEnvelope):
    type: Literal["room:shadow_unmute"]
    data: ParticipantTarget


class VoiceMuteAll(ClientEnvelope):
    type: Literal["room:voice_mute_all"]
    data: VoiceMuteAllData


class RaiseHand(ClientEnvelope):
    type: Literal["room:raise_hand"]
    data: RaiseHandData = RaiseHandData()


class AllowSpeaker(ClientEnvelope):
    type: Literal["room:allow_speaker"]
    data: AllowSpeakerData


class ReportMember(ClientEnvelope):
    type: Literal["room:report"]
    data: MemberReportData


class AskReady(ClientEnvelope):
    type: Literal["room:ready_check"]
    data: ReadyCheckData = ReadyCheckData()


class AnswerReady(ClientEnvelope):
    type: Literal["room:ready"]
    data: ReadyData = ReadyData()


class StartVote(ClientEnvelope):
    type: Literal["room:vote_start"]
    data: VoteStartData


class CastVote(ClientEnvelope):
    type: Literal["room:vote"]
    data: VoteData


class GrantHost(ClientEnvelope):
    type: Literal["room:host"]
    data: HostData


class EndHost(ClientEnvelope):
    type: Literal["room:host_end"]
    data: ParticipantTarget


class BufferingReport(ClientEnvelope):
    type: Literal["sync:buffering"]
    data: BufferingData


class StillHere(ClientEnvelope):
    type: Literal["room:still_here"]
    data: EmptyData = EmptyData()


class SendReaction(ClientEnvelope):
    type: Literal["reaction:send"]
    data: ReactionData


SyncCommandRequest = SyncPlay | SyncPause | SyncSeek | SyncRate | SyncSource
RoomMessage = (
    Heartbeat
    | SyncPlay
    | SyncPause
    | SyncSeek
    | SyncRate
    | SyncSource
    | SyncSubtitles
    | SyncReport
    | SyncDurationReport
    | MediaFailed
    | ChatSend
    | VoiceJoin
    | VoiceLeave
    | VoiceSignal
    | Kick
    | Ban
    | GrantControl
    | RevokeControl
    | TransferOwnership
    | ReclaimOwnership
    | ChangeSettings
    | StartCountdown
    | Mute
    | Unmute
    | ShadowMute
    | ShadowUnmute
    | VoiceMuteAll
    | RaiseHand
    | AllowSpeaker
    | ReportMember
    | AskReady
    | AnswerReady
    | StartVote
    | CastVote
    | GrantHost
    | EndHost
    | SendReaction
    | BufferingReport
    | StillHere
)
"""Everything `RoomState.handle` accepts (all but `hello` and `time:ping`)."""

ClientMessage = Annotated[Hello | TimePing | RoomMessage, Field(discriminator="type")]

CLIENT_MESSAGE_ADAPTER: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)

CLIENT_TYPES: tuple[str, ...] = tuple(
    model.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    for model in (
        Hello, TimePing, Heartbeat, SyncPlay, SyncPause, SyncSeek, SyncRate, SyncSource,
        SyncSubtitles, SyncReport, SyncDurationReport, ChatSend, VoiceJoin, VoiceLeave,
        VoiceSignal, Kick, Ban,
        GrantControl, RevokeControl, TransferOwnership, ReclaimOwnership, ChangeSettings,
        StartCountdown, Mute, Unmute, ShadowMute, ShadowUnmute, VoiceMuteAll, RaiseHand,
        AllowSpeaker, ReportMember, AskReady, AnswerReady, StartVote, CastVote, GrantHost,
        EndHost, SendReaction, BufferingReport, StillHere, MediaFailed,
    )
)  # fmt: skip


def parse_client_frame(text: str | bytes) -> ClientMessage:
    """Parse one frame of a room socket; raise `BadMessage` naming what is wrong.

    The socket refuses frames over `MAX_FRAME_BYTES` before calling this.
    """
    return parse_frame(text, CLIENT_MESSAGE_ADAPTER, CLIENT_TYPES)


MessageT = TypeVar("MessageT")


def parse_frame(
    text: str | bytes, adapter: TypeAdapter[MessageT], known_types: Collection[str]
) -> MessageT:
    """Parse one frame into one of a socket's messages (`adapter`, a union on `type`).

    A refusal is a `BadMessage` that names the problem and, when the frame was an
    object with a string `id`, carries it as `reply_to` so the error can answer it.
    """
    try:
        raw = loads(text)
    except InvalidJson as exc:
        raise BadMessage(f"The frame is not valid JSON: {exc}.", reply_to=reply_id(text)) from exc
    if not isinstance(raw, dict):
        raise BadMessage("A frame must be a JSON object.")
    reply_to = _readable_id(raw)
    if contains_nul(raw):
        raise BadMessage("Text must not contain NUL characters.", reply_to=reply_to)
    kind = raw.get("type")
    if not isinstance(kind, str):
        raise BadMessage("Field 'type' is required and must be a string.", reply_to=reply_to)
    if kind not in known_types:
        raise BadMessage(f"Unknown message type {kind!r}.", reply_to=reply_to)
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        raise BadMessage(_describe(exc), reply_to=reply_to) from exc


def _readable_id(raw: dict[str, Any]) -> str | None:
    message_id = raw.get("id")
    return message_id if isinstance(message_id, str) and len(message_id) <= 128 else None


def reply_id(text: str | bytes) -> str | None:
    """The `id` of a frame refused before it could be read as a message (a number that
    is not finite, a frame over the size limit), so that the refusal can answer it.

    Python's lenient parser reads what the strict one refused; a frame that is not
    JSON at all has no id to answer.
    """
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return _readable_id(raw) if isinstance(raw, dict) else None


def _describe(exc: ValidationError) -> str:
    first = exc.errors(include_url=False)[0]
    # The location starts with the discriminator tag (the type name); drop it.
    location = [str(part) for part in first["loc"][1:]]
    field = ".".join(location) or "data"
    return f"Field '{field}': {first['msg']}."
