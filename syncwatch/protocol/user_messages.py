"""The user socket `/ws/me` (CONTRACT.md §3): what its client sends and what the server pushes.

Owns the messages only this socket speaks: `room:invite`, `presence:set` and
`presence:active` from the client, and the `welcome`, `friend:presence`,
`friend:request`, `friend:accepted`, `friend:removed`, `room:invitation`,
`notification` and
`notifications:unread` the server sends. The socket also speaks the shared `hello`,
`time:ping` / `time:pong`, `presence:heartbeat`, `ack` and `error` (from
`messages` and `server_messages`), and every model is in the JSON Schema.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from syncwatch.protocol.messages import ClientEnvelope, Heartbeat, Hello, TimePing, parse_frame
from syncwatch.protocol.server_messages import Ack, Error, Greeting, TimePong
from syncwatch.protocol.wire import EmptyData, WireModel

# --- client → server ------------------------------------------------------------


class RoomInviteData(WireModel):
    user_id: str = Field(max_length=64)
    room_code: str = Field(min_length=8, max_length=8)


class RoomInvite(ClientEnvelope):
    """Invite a friend to a room: `ack`, or `error` (`forbidden` not a friend, `not_found`
    no such room, `conflict` the friend is offline)."""

    type: Literal["room:invite"]
    data: RoomInviteData


ChosenStatus = Literal["online", "busy", "invisible"]
SeenStatus = Literal["online", "away", "busy", "offline"]


class PresenceSetData(WireModel):
    status: ChosenStatus


class PresenceSet(ClientEnvelope):
    """Choose your status: `online` (turns `away` after 5 idle minutes), `busy`, or
    `invisible` (every friend sees you offline). Kept across sessions."""

    type: Literal["presence:set"]
    data: PresenceSetData


class PresenceActive(ClientEnvelope):
    """The person did something (typed, clicked, watched): not away. At most once a minute."""

    type: Literal["presence:active"]
    data: EmptyData = EmptyData()


UserClientMessage = Annotated[
    Hello | TimePing | Heartbeat | RoomInvite | PresenceSet | PresenceActive,
    Field(discriminator="type"),
]
USER_CLIENT_MESSAGE_ADAPTER: TypeAdapter[UserClientMessage] = TypeAdapter(UserClientMessage)
USER_CLIENT_TYPES = (
    "hello", "time:ping", "presence:heartbeat", "room:invite", "presence:set", "presence:active"
)  # fmt: skip


def parse_user_frame(text: str | bytes) -> UserClientMessage:
    """Parse one frame of `/ws/me`; raise `BadMessage` naming what is wrong."""
    return parse_frame(text, USER_CLIENT_MESSAGE_ADAPTER, USER_CLIENT_TYPES)


# --- server → client ------------------------------------------------------------


class UserView(WireModel):
    user_id: str
    username: str


class FriendActivity(WireModel):
    """The room a friend is in ("watching Friday film · 2 of 5"); only for rooms
    whose privacy lets friends see and join them (public, friends only)."""

    room_code: str
    room_name: str
    members: int
    max_members: int


class FriendView(WireModel):
    """A friend and their presence: `online` is false when `status` is `offline`
    (no `/ws/me` socket open on this server, or invisible)."""

    user_id: str
    username: str
    online: bool
    status: SeenStatus = "offline"
    activity: FriendActivity | None = None


class UserWelcomeData(Greeting):
    you: UserView
    friends: list[FriendView]
    status: ChosenStatus = "online"
    """The status you chose (kept across sessions)."""
    unread_notifications: int = 0


class FriendRequestData(WireModel):
    from_user_id: str
    from_username: str


class RoomInvitationData(WireModel):
    from_user_id: str
    from_username: str
    room_code: str
    room_name: str
    starts_at: int | None = None
    """A scheduled room's opening time (epoch ms); absent for a room open now."""


class UserWelcome(WireModel):
    type: Literal["welcome"] = "welcome"
    data: UserWelcomeData


class FriendPresence(WireModel):
    """A friend's presence changed: came online, went away, busy, offline (or
    invisible), or entered, left or changed the room they watch in."""

    type: Literal["friend:presence"] = "friend:presence"
    data: FriendView


class FriendRequest(WireModel):
    """Someone asked to be your friend."""

    type: Literal["friend:request"] = "friend:request"
    data: FriendRequestData


class FriendAccepted(WireModel):
    """Your friend request was accepted."""

    type: Literal["friend:accepted"] = "friend:accepted"
    data: FriendView


class FriendRemovedData(WireModel):
    user_id: str


class FriendRemoved(WireModel):
    """A friendship or request with this user ended (removed, declined, cancelled,
    or a block): drop them from your lists."""

    type: Literal["friend:removed"] = "friend:removed"
    data: FriendRemovedData


class RoomInvitation(WireModel):
    """A friend invited you to a room."""

    type: Literal["room:invitation"] = "room:invitation"
    data: RoomInvitationData


NotificationKind = Literal["friend_request", "friend_accepted", "room_invitation", "reminder"]


class NotificationView(WireModel):
    """One entry of the notification centre. Who it is from and which room it is
    about are present when they apply; `startsAt` is a scheduled room's start."""

    id: str
    kind: NotificationKind
    created_at: int
    read: bool
    from_user_id: str | None = None
    from_username: str | None = None
    room_code: str | None = None
    room_name: str | None = None
    starts_at: int | None = None


class NotificationPushData(WireModel):
    notification: NotificationView
    unread: int


class NotificationPush(WireModel):
    """A new entry in your notification centre, with the new unread count."""

    type: Literal["notification"] = "notification"
    data: NotificationPushData


class UnreadCountData(WireModel):
    unread: int


class UnreadCount(WireModel):
    """Your unread count changed elsewhere (read in another tab)."""

    type: Literal["notifications:unread"] = "notifications:unread"
    data: UnreadCountData


UserServerMessage = (
    UserWelcome | TimePong | FriendPresence | FriendRequest | FriendAccepted | FriendRemoved
    | RoomInvitation | NotificationPush | UnreadCount | Ack | Error
)  # fmt: skip

USER_SERVER_MESSAGE_MODELS: tuple[type[WireModel], ...] = (
    UserWelcome, TimePong, FriendPresence, FriendRequest, FriendAccepted, FriendRemoved,
    RoomInvitation, NotificationPush, UnreadCount, Ack, Error,
)  # fmt: skip
