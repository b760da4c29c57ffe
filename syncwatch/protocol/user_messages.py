"""The user socket `/ws/me` (CONTRACT.md §3): what its client sends and what the server pushes.

Owns the messages only this socket speaks: `room:invite` from the client, and
the `welcome`, `friend:presence`, `friend:request`, `friend:accepted` and
`room:invitation` the server sends. The socket also speaks the shared `hello`,
`time:ping` / `time:pong`, `presence:heartbeat`, `ack` and `error` (from
`messages` and `server_messages`), and every model is in the JSON Schema.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from syncwatch.protocol.messages import ClientEnvelope, Heartbeat, Hello, TimePing, parse_frame
from syncwatch.protocol.server_messages import Ack, Error, Greeting, TimePong
from syncwatch.protocol.wire import WireModel

# --- client → server ------------------------------------------------------------


class RoomInviteData(WireModel):
    user_id: str = Field(max_length=64)
    room_code: str = Field(min_length=8, max_length=8)


class RoomInvite(ClientEnvelope):
    """Invite a friend to a room: `ack`, or `error` (`forbidden` not a friend, `not_found`
    no such room, `conflict` the friend is offline)."""

    type: Literal["room:invite"]
    data: RoomInviteData


UserClientMessage = Annotated[
    Hello | TimePing | Heartbeat | RoomInvite, Field(discriminator="type")
]
USER_CLIENT_MESSAGE_ADAPTER: TypeAdapter[UserClientMessage] = TypeAdapter(UserClientMessage)
USER_CLIENT_TYPES = ("hello", "time:ping", "presence:heartbeat", "room:invite")


def parse_user_frame(text: str | bytes) -> UserClientMessage:
    """Parse one frame of `/ws/me`; raise `BadMessage` naming what is wrong."""
    return parse_frame(text, USER_CLIENT_MESSAGE_ADAPTER, USER_CLIENT_TYPES)


# --- server → client ------------------------------------------------------------


class UserView(WireModel):
    user_id: str
    username: str


class FriendView(WireModel):
    """A friend and whether they have a `/ws/me` socket open on this server."""

    user_id: str
    username: str
    online: bool


class UserWelcomeData(Greeting):
    you: UserView
    friends: list[FriendView]


class FriendRequestData(WireModel):
    from_user_id: str
    from_username: str


class RoomInvitationData(WireModel):
    from_user_id: str
    from_username: str
    room_code: str
    room_name: str


class UserWelcome(WireModel):
    type: Literal["welcome"] = "welcome"
    data: UserWelcomeData


class FriendPresence(WireModel):
    """A friend's first socket opened or their last one closed."""

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


class RoomInvitation(WireModel):
    """A friend invited you to a room."""

    type: Literal["room:invitation"] = "room:invitation"
    data: RoomInvitationData


UserServerMessage = (
    UserWelcome | TimePong | FriendPresence | FriendRequest | FriendAccepted | RoomInvitation
    | Ack | Error
)  # fmt: skip

USER_SERVER_MESSAGE_MODELS: tuple[type[WireModel], ...] = (
    UserWelcome, TimePong, FriendPresence, FriendRequest, FriendAccepted, RoomInvitation,
    Ack, Error,
)  # fmt: skip
