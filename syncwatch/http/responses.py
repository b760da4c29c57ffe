"""The JSON bodies the HTTP API answers with, as pydantic models (CONTRACT.md §1).

Every JSON success body leaves through `reply(Model, data)`, which checks the
feature's data against its model before sending it, so the OpenAPI document
(built from these models by `openapi.py`) describes exactly what is sent. A
field a feature leaves out stays out of the body, one it sets to null is sent
as null: the models only say which is allowed. Times are integer epoch
milliseconds, as everywhere in the contract.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel
from quart import Response, jsonify

from syncwatch.protocol.vocabulary import Privacy

EpochMs = Annotated[int, Field(ge=0, description="Unix epoch milliseconds")]
PlaybackControl = Literal["owner_only", "all", "selected"]


def _optional_means_absent(schema: dict[str, Any]) -> None:
    """An optional field is left out, never sent as null: say so in the schema."""
    required = set(schema.get("required", ()))
    for name, field in schema.get("properties", {}).items():
        if name in required or "anyOf" not in field:
            continue
        kinds = [kind for kind in field["anyOf"] if kind != {"type": "null"}]
        field.pop("default", None)
        if len(kinds) == 1:
            del field["anyOf"]
            field.update(kinds[0])
        else:
            field["anyOf"] = kinds


class ResponseBody(BaseModel):
    """A JSON object the server sends: camelCase keys, nothing undeclared, and an
    optional field either present with a value or absent (never null)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        json_schema_extra=_optional_means_absent,
    )

    @model_validator(mode="after")
    def _no_null_for_optional(self) -> ResponseBody:
        for name in self.model_fields_set:
            field = type(self).model_fields[name]
            if not field.is_required() and getattr(self, name) is None:
                raise ValueError(f"{name}: leave an optional field out rather than send null")
        return self


def reply(model: type[ResponseBody], data: Any, *, status: int = 200) -> Response:
    """`data` checked against `model` and sent as JSON, keys as the feature set them."""
    checked = model.model_validate(data)
    response = jsonify(checked.model_dump(mode="json", by_alias=True, exclude_unset=True))
    response.status_code = status
    return response


# --- auth ---------------------------------------------------------------------


class User(ResponseBody):
    """An account, or a guest (who has no email and no creation time)."""

    id: str
    username: str
    email: str | None = None
    created_at: EpochMs | None = None
    guest: bool


class Session(ResponseBody):
    """A signed-in session; the refresh token travels only in the `sw_refresh` cookie."""

    user: User
    access_token: str
    expires_in: int = Field(description="seconds until the access token expires")


# --- rooms --------------------------------------------------------------------


class Room(ResponseBody):
    id: str
    code: str = Field(min_length=8, max_length=8)
    name: str
    owner_id: str
    max_participants: int = Field(ge=2, le=5)
    has_password: bool
    playback_control: PlaybackControl
    auto_handover: bool
    privacy: Privacy = Field(description="Who may join: see 'Who may join' in docs/protocol.md")
    guests_allowed: bool
    created_at: EpochMs
    expires_at: EpochMs


class RoomWithCount(Room):
    participant_count: int = Field(ge=0, le=5)


class MyRoom(RoomWithCount):
    last_joined_at: EpochMs | None = Field(
        description="When you last joined it (null for a room you own and never entered)"
    )


class MyRooms(ResponseBody):
    """The rooms on your home page: the ones you own, and the ones you joined lately."""

    owned: list[MyRoom]
    recent: list[MyRoom]


class JoinCheck(ResponseBody):
    room: Room
    participant_id: str


# --- friends ------------------------------------------------------------------


class FriendActivity(ResponseBody):
    """The room a friend watches in, when its privacy lets friends see and join it."""

    room_code: str
    room_name: str
    members: int = Field(ge=0)
    max_members: int = Field(ge=1)


class Friend(ResponseBody):
    user_id: str
    username: str
    since: EpochMs
    online: bool | None = Field(description="null for a pending request or a blocked user")
    status: Literal["online", "away", "busy", "offline"] | None = Field(
        default=None, description="friends only: what the friend shows (invisible is offline)"
    )
    activity: FriendActivity | None = None


class FriendLists(ResponseBody):
    friends: list[Friend]
    incoming: list[Friend]
    outgoing: list[Friend]
    blocked: list[Friend] = Field(default_factory=list, description="people you blocked")


class UserFound(ResponseBody):
    user_id: str
    username: str
    relation: Literal["none", "friend", "incoming", "outgoing", "blocked"]


class UserSearch(ResponseBody):
    users: list[UserFound]


class Notification(ResponseBody):
    """One entry of the notification centre (the same object `/ws/me` pushes)."""

    id: str
    kind: Literal["friend_request", "friend_accepted", "room_invitation", "reminder"]
    created_at: EpochMs
    read: bool
    from_user_id: str | None = None
    from_username: str | None = None
    room_code: str | None = None
    room_name: str | None = None
    starts_at: EpochMs | None = None


class Notifications(ResponseBody):
    notifications: list[Notification] = Field(description="newest first, at most 100")
    unread: int = Field(ge=0)


class UnreadNotifications(ResponseBody):
    unread: int = Field(ge=0)


# --- history, templates, scheduled rooms ----------------------------------------


class HistoryEntry(ResponseBody):
    """One thing watched: what, in which room, when, and with whom."""

    id: str
    room_code: str
    room_name: str
    title: str
    source_type: Literal["upload", "youtube", "url"] | None
    companions: list[str]
    started_at: EpochMs
    ended_at: EpochMs


class WatchHistory(ResponseBody):
    entries: list[HistoryEntry] = Field(description="newest first; the last 90 days")


class TemplateSettings(ResponseBody):
    max_participants: int = Field(ge=2, le=5)
    playback_control: PlaybackControl
    auto_handover: bool
    privacy: Literal["public", "friends_only", "private", "anonymous"]
    guests_allowed: bool


class Template(ResponseBody):
    id: str
    name: str
    created_at: EpochMs
    settings: TemplateSettings


class Templates(ResponseBody):
    templates: list[Template]


class Schedule(ResponseBody):
    """When a scheduled room opens."""

    room_code: str
    room_name: str
    owner_id: str
    starts_at: EpochMs


class Schedules(ResponseBody):
    schedules: list[Schedule] = Field(description="rooms you own or were invited to, soonest first")


class FriendRequested(ResponseBody):
    user_id: str
    username: str
    status: Literal["pending"]


class FriendAccepted(ResponseBody):
    user_id: str
    username: str | None
    status: Literal["accepted"]
    online: bool


# --- voice --------------------------------------------------------------------


class IceServer(ResponseBody):
    """An RTCIceServer: STUN URLs, or TURN URLs with time-limited credentials."""

    urls: list[str]
    username: str | None = None
    credential: str | None = None
    credential_type: Literal["password"] | None = None


class IceServers(ResponseBody):
    ice_servers: list[IceServer]
    ttl: int = Field(
        description="seconds the credentials stay valid (0: none yet, ask again in the call)"
    )
    relay_available: bool
    expires_at: EpochMs | None = None


# --- videos -------------------------------------------------------------------


class VideoStatus(ResponseBody):
    id: str
    status: Literal["pending", "processing", "ready", "failed"]
    progress: int = Field(ge=0, le=100)
    duration_ms: int | None = None
    error: str | None = None


class Manifest(ResponseBody):
    manifest_url: str = Field(description="the HLS master playlist, root-relative")


class SubtitleTrack(ResponseBody):
    id: str
    label: str
    language: str | None
    origin: Literal["upload", "embedded"]
    url: str = Field(description="the WebVTT file, root-relative")


class SubtitleTracks(ResponseBody):
    subtitles: list[SubtitleTrack]


class TranscoderHealth(ResponseBody):
    healthy: bool
    active_jobs: int
    queue_depth: int
    workers: int
    ffmpeg_available: bool
    ffmpeg_version: str | None
    cpu_usage_percent: float
    memory_usage_mb: float = Field(alias="memoryUsageMB")
    completed_jobs: int
    failed_jobs: int
    last_job_completed_at: EpochMs | None = None
    last_job_failed_at: EpochMs | None = None


# --- operations ---------------------------------------------------------------


class Live(ResponseBody):
    status: Literal["ok"]


class CheckResult(ResponseBody):
    healthy: bool
    latency_ms: float | None = None
    error: str | None = None


class Readiness(ResponseBody):
    # degraded: ready, but Redis does not answer (rate limits counted in-process).
    status: Literal["ok", "degraded", "unavailable"]
    checks: dict[str, CheckResult]


# --- errors -------------------------------------------------------------------


class FieldError(ResponseBody):
    field: str
    message: str
    type: str


class Problem(ResponseBody):
    """RFC 9457 problem details: every error the API answers with.

    `code` is stable and snake_case; the other extension members appear with
    the errors that carry them.
    """

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    code: str
    errors: list[FieldError] | None = Field(
        default=None, description="each invalid field (`validation_error`)"
    )
    retry_after: int | None = Field(
        default=None, description="seconds, as in Retry-After (`rate_limited`)"
    )
    upload_offset: int | None = Field(
        default=None, description="the offset the upload is at (`offset_mismatch`)"
    )
    video_status: str | None = Field(
        default=None, description="how far the video has come (`not_ready`)"
    )
    progress: int | None = Field(default=None, description="0..100 (`not_ready`)")
    tus_version: str | None = Field(
        default=None, description="the tus version to send (`unsupported_tus_version`)"
    )


RESPONSE_MODELS: tuple[type[ResponseBody], ...] = (
    User,
    Session,
    Room,
    RoomWithCount,
    MyRoom,
    MyRooms,
    JoinCheck,
    FriendActivity,
    Friend,
    FriendLists,
    FriendRequested,
    FriendAccepted,
    UserFound,
    UserSearch,
    Notification,
    Notifications,
    UnreadNotifications,
    HistoryEntry,
    WatchHistory,
    TemplateSettings,
    Template,
    Templates,
    Schedule,
    Schedules,
    IceServer,
    IceServers,
    VideoStatus,
    Manifest,
    SubtitleTrack,
    SubtitleTracks,
    TranscoderHealth,
    Live,
    CheckResult,
    Readiness,
    FieldError,
    Problem,
)
