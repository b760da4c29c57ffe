"""`/api/v1/rooms/*` (CONTRACT.md §1 "rooms")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from quart import Blueprint, Response, g, request

from syncwatch.errors import RoomFull
from syncwatch.http.bodies import display_name, read_json
from syncwatch.http.caller import current_identity
from syncwatch.http.device import device_id
from syncwatch.http.operations import Operation, Reply
from syncwatch.http.responses import JoinCheck, MyRooms, Room, RoomWithCount, reply
from syncwatch.rooms.directory import NewRoom, RoomDirectory, password_stamp, room_view
from syncwatch.rooms.registry import RoomRegistry
from syncwatch.services import Services
from syncwatch.store.repositories import RoomRecord


class CreateRoomBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)

    name: str | None = Field(default=None, max_length=80)
    max_participants: int = Field(alias="maxParticipants", ge=2, le=5)
    password: str | None = Field(default=None, min_length=1, max_length=128)
    playback_control: Literal["owner_only", "all", "selected"] = Field(
        default="owner_only", alias="playbackControl"
    )
    auto_handover: bool = Field(default=True, alias="autoHandover")
    privacy: Literal["public", "friends_only", "private", "anonymous"] = "public"
    guests_allowed: bool = Field(default=True, alias="guestsAllowed")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return display_name(value, what="a room's name")


class JoinRoomBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    password: str | None = Field(default=None, max_length=128)


OPERATIONS = (
    Operation(
        "POST",
        "/api/v1/rooms",
        "Create a room (registered users)",
        {201: Reply("The new room", Room)},
        {
            401: "`unauthorized`: guests cannot create rooms",
            429: "`rate_limited`: rooms per user per hour",
            503: "`overloaded`: this server is saturated and takes no new rooms (`Retry-After`)",
        },
        body=CreateRoomBody,
        signed_in=True,
    ),
    Operation(
        "GET",
        "/api/v1/rooms/mine",
        "The rooms you own and the ones you joined lately, with live participant counts",
        {200: Reply("Your rooms, the most recently used first", MyRooms)},
        {401: "`unauthorized`"},
        signed_in=True,
    ),
    Operation(
        "GET",
        "/api/v1/rooms/{code}",
        "A room and how many people are in it",
        {200: Reply("The room", RoomWithCount)},
        {
            404: "`room_not_found` (also once it has expired); a room its owner closed "
            'adds `"reason": "closed_by_owner"`',
            429: "`rate_limited`: too many wrong room codes from this address this hour",
        },
    ),
    Operation(
        "POST",
        "/api/v1/rooms/{code}/join",
        "Check that joining would succeed (the WebSocket hello joins by itself): a full "
        "room says so first, then the password is asked unless the room admitted this "
        "person with its current password before",
        {200: Reply("Joining would succeed", JoinCheck)},
        {
            403: "`banned`; `guests_not_allowed`; `friends_only`; `invitation_required`"
            " (the room's privacy preset); `wrong_password` (also when none is given and one"
            " is needed)",
            404: "`room_not_found` (`reason: closed_by_owner` once its owner closed it)",
            409: "`room_full`",
            429: "`rate_limited`: three wrong passwords per IP and room block it for 30 minutes;"
            " too many joins a minute; too many wrong room codes from this address",
            503: "`room_unavailable`: the room failed repeatedly and rests (`retryAfter`);"
            " `overloaded`: this server is saturated and takes no new joins (`Retry-After`)",
        },
        body=JoinRoomBody,
        body_optional=True,
        signed_in=True,
    ),
    Operation(
        "DELETE",
        "/api/v1/rooms/{code}",
        "Close a room (its owner); its members are closed with 4004 (reason `room_closed`)",
        {204: Reply("Deleted")},
        {403: "`not_owner`", 404: "`room_not_found`"},
        signed_in=True,
    ),
)


def room_blueprint(
    services: Services, directory: RoomDirectory, registry: RoomRegistry
) -> Blueprint:
    bp = Blueprint("rooms", __name__, url_prefix="/api/v1/rooms")

    @bp.post("")
    async def create() -> Response:
        identity = current_identity(services)
        body = await read_json(CreateRoomBody)
        registry.admit()  # saturated: 503 `overloaded` before anything is stored
        room = await directory.create(
            identity,
            NewRoom(
                name=body.name,
                max_participants=body.max_participants,
                password=body.password,
                playback_control=body.playback_control,
                auto_handover=body.auto_handover,
                privacy=body.privacy,
                guests_allowed=body.guests_allowed,
            ),
            g.client_ip,
        )
        return reply(Room, room_view(room), status=201)

    @bp.get("/mine")
    async def mine() -> Response:
        identity = current_identity(services)
        owned, joined = await directory.rooms_of(identity)

        def listed(room: RoomRecord, last_joined_at: int | None) -> dict[str, object]:
            count = directory.member_count(room.code)
            return {**room_view(room), "participantCount": count, "lastJoinedAt": last_joined_at}

        return reply(
            MyRooms,
            {
                "owned": [listed(room, None) for room in owned],
                "recent": [listed(room, at) for room, at in joined],
            },
        )

    @bp.get("/<code>")
    async def get(code: str) -> Response:
        room = await directory.find(code, g.client_ip)
        count = directory.member_count(room.code)
        return reply(RoomWithCount, {**room_view(room), "participantCount": count})

    @bp.post("/<code>/join")
    async def join(code: str) -> Response:
        identity = current_identity(services)
        body = await read_json(JoinRoomBody, allow_empty=True)
        room = await directory.find(code, g.client_ip)
        await directory.admit_person(
            room, identity, ip=g.client_ip, device_id=device_id(request.cookies)
        )
        registry.check_available(room.code)
        registry.admit(room.code)
        # A full room says so before anyone is asked for its password.
        if directory.member_count(room.code) >= room.max_participants and not (
            registry.is_member(room.code, identity.subject_id)
        ):
            raise RoomFull(f"All {room.max_participants} seats are taken.")
        live = await registry.room_for(room)
        # Admitted before with the current password: no need to type it again.
        admitted = live.state.admits(identity.subject_id, password_stamp(room))
        await directory.check_password(
            room, identity, body.password, g.client_ip, admitted=admitted
        )
        return reply(JoinCheck, {"room": room_view(room), "participantId": identity.subject_id})

    @bp.delete("/<code>")
    async def delete(code: str) -> Response:
        identity = current_identity(services)
        await directory.delete(identity, code, g.client_ip)
        return Response("", status=204)

    return bp
