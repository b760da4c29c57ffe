"""What the room core asks its actor to do: the effects `RoomState` returns.

Owns the vocabulary between the pure core and the Trio `Room` actor. The actor
performs a returned list strictly in order; the order is part of the contract
(a snapshot is saved before the command it covers is broadcast, a chat message
is stored before anything about it is sent).

Targets are concrete connection ids resolved by the core at the moment of the
event, so the actor never has to know who is "everyone".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from syncwatch.close_codes import CloseCode
from syncwatch.protocol.server_messages import (
    ChatMessageData,
    ReactionView,
    ServerMessage,
    Welcome,
    WelcomeData,
)
from syncwatch.rooms.core.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class Send:
    """Send `message` to each connection in `to` (skip ones already gone)."""

    to: tuple[str, ...]
    message: ServerMessage


@dataclass(frozen=True, slots=True)
class SendWelcome:
    """Send the `welcome` to `conn_id` after filling `serverTime` (the clock) and `chat`
    (from the store: the recent history, or the messages after `last_message_id`)."""

    conn_id: str
    welcome: WelcomeData
    last_message_id: str | None

    def render(
        self,
        server_time_ms: int,
        chat: Sequence[ChatMessageData],
        *,
        deprecated: bool = False,
        reactions: Sequence[ReactionView] = (),
    ) -> Welcome:
        """The frame to send, completed with the send time, the chat and the current source's
        reactions the store returned, and whether the client's protocol minor is deprecated
        (from `protocol.negotiate`)."""
        update = {
            "server_time": server_time_ms,
            "chat": list(chat),
            "deprecated": deprecated,
            "reactions": list(reactions),
        }
        return Welcome(data=self.welcome.model_copy(update=update))


@dataclass(frozen=True, slots=True)
class Close:
    conn_id: str
    code: CloseCode
    reason: str


@dataclass(frozen=True, slots=True)
class StoreChat:
    """Store `message` durably, then perform `then` (the broadcast and the sender's ack).
    If storing fails, perform none of `then`: the sender sees an error, nobody sees the message."""

    room_id: str
    message: ChatMessageData
    then: tuple[Effect, ...] = ()
    visible_to: str | None = None
    """Only this subject reads the line back (a shadow-muted author, a hidden message's
    author, the owner for an automod notice); None: everyone."""
    hidden_reason: str | None = None
    """Why a line is for one person: "shadow", "automod" or "owner"."""


@dataclass(frozen=True, slots=True)
class StoreReaction:
    """Store `reaction` in `room_id`, then perform `then` (the broadcast and the ack); if
    storing fails, nobody sees it and the sender gets an error."""

    room_id: str
    reaction: ReactionView
    then: tuple[Effect, ...] = ()


@dataclass(frozen=True, slots=True)
class DeleteRoom:
    """The room closed itself (idle): it is deleted, and its actor stops after this."""

    room_id: str
    at_ms: int


@dataclass(frozen=True, slots=True)
class PersistBan:
    room_id: str
    subject_id: str
    banned_by: str
    at_ms: int
    device_id: str | None = None
    address: str | None = None
    """Kept for guests only: a fresh guest identity from the same address is refused too."""


@dataclass(frozen=True, slots=True)
class StoreRoomAccess:
    """Who may join from now on (the room's row is what every join is checked against)."""

    room_id: str
    privacy: str
    guests_allowed: bool


@dataclass(frozen=True, slots=True)
class StoreRoomDetails:
    """The owner changed the room's name, seats or password: the row (what the HTTP API
    shows and every join's password check reads) changes before anyone hears of it.

    `new_password` is hashed by the actor; None with `remove_password` clears it."""

    room_id: str
    name: str
    max_participants: int
    new_password: str | None = field(default=None, repr=False)
    remove_password: bool = False


@dataclass(frozen=True, slots=True)
class FileReport:
    """Store a report about a member with its evidence, then perform `then` (the ack).

    The actor adds the room's last chat lines (whoever could see them) to `evidence`."""

    report_id: str
    room_id: str
    room_code: str
    reporter_id: str
    reporter_name: str
    reported_id: str
    reported_name: str
    reason: str
    details: str
    evidence: Mapping[str, Any]
    at_ms: int
    then: tuple[Effect, ...] = ()


@dataclass(frozen=True, slots=True)
class SaveSnapshot:
    """Write this snapshot (Redis / store) before performing the effects that follow."""

    snapshot: Snapshot


@dataclass(frozen=True, slots=True)
class Audit:
    """One audit-log row: `participant.joined`, `playback.started`, `ownership.transferred`..."""

    event_type: str
    actor: str | None
    target: str | None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReportDrift:
    """Client telemetry from `sync:report`: feeds `syncwatch_playback_drift_ms`."""

    participant_id: str
    drift_ms: float


@dataclass(frozen=True, slots=True)
class LookUpDuration:
    """Read an uploaded video's probed length from the store and hand it back to the
    room (`RoomState.learn_duration`); nothing when the probe had none."""

    video_id: str


Effect = (
    Send
    | SendWelcome
    | Close
    | StoreChat
    | StoreReaction
    | DeleteRoom
    | PersistBan
    | StoreRoomAccess
    | StoreRoomDetails
    | FileReport
    | SaveSnapshot
    | Audit
    | ReportDrift
    | LookUpDuration
)
