"""`/api/v1/friends/*` (CONTRACT.md §1 "friends")."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from quart import Blueprint, Response, request

from syncwatch.errors import ValidationFailed
from syncwatch.http.bodies import read_json
from syncwatch.http.caller import current_identity
from syncwatch.http.operations import Operation, Parameter, Reply
from syncwatch.http.responses import (
    FriendAccepted,
    FriendLists,
    FriendRequested,
    UserSearch,
    reply,
)
from syncwatch.services import Services
from syncwatch.social.friends import FriendsService


class FriendRequestBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    username: str = Field(min_length=1, max_length=64)


class AcceptBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)

    user_id: str = Field(alias="userId", min_length=1, max_length=64)


class BlockBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)

    user_id: str = Field(alias="userId", min_length=1, max_length=64)


SEARCH_QUERY_MAX = 64

_REGISTERED = "`unauthorized`: guests have no friends list"
OPERATIONS = (
    Operation(
        "GET",
        "/api/v1/friends",
        "Friends (with whether they are online) and pending requests both ways",
        {200: Reply("The lists", FriendLists)},
        {401: _REGISTERED},
        signed_in=True,
    ),
    Operation(
        "POST",
        "/api/v1/friends/request",
        "Ask someone, by username, to be friends",
        {201: Reply("Requested", FriendRequested)},
        {
            401: _REGISTERED,
            404: "`not_found`: nobody has that username",
            409: "`conflict`: already friends or already asked",
            422: "`validation_error`: yourself",
        },
        body=FriendRequestBody,
        signed_in=True,
    ),
    Operation(
        "POST",
        "/api/v1/friends/accept",
        "Accept a pending request",
        {200: Reply("Now friends", FriendAccepted)},
        {401: _REGISTERED, 404: "`not_found`: no pending request from this user"},
        body=AcceptBody,
        signed_in=True,
    ),
    Operation(
        "DELETE",
        "/api/v1/friends/{user_id}",
        "End a friendship, or withdraw or decline a request",
        {204: Reply("Removed")},
        {401: _REGISTERED, 404: "`not_found`: no friendship or request with this user"},
        signed_in=True,
    ),
    Operation(
        "GET",
        "/api/v1/friends/search",
        "Find people by the start of their username (someone who blocked you is not found)",
        {200: Reply("Up to 20 people, shortest names first", UserSearch)},
        {401: _REGISTERED, 422: "`validation_error`: `q` missing or longer than 64"},
        parameters=(Parameter("q", "query", "the start of a username", required=True),),
        signed_in=True,
    ),
    Operation(
        "POST",
        "/api/v1/friends/block",
        "Block someone: ends any friendship or request; they can't request, invite or see you",
        {204: Reply("Blocked")},
        {401: _REGISTERED, 404: "`not_found`: no such user", 422: "`validation_error`: yourself"},
        body=BlockBody,
        signed_in=True,
    ),
    Operation(
        "DELETE",
        "/api/v1/friends/block/{user_id}",
        "Unblock someone",
        {204: Reply("Unblocked")},
        {401: _REGISTERED, 404: "`not_found`: this user is not blocked"},
        signed_in=True,
    ),
)


def friend_blueprint(services: Services, friends: FriendsService) -> Blueprint:
    bp = Blueprint("friends", __name__, url_prefix="/api/v1/friends")

    @bp.get("")
    async def overview() -> Response:
        return reply(FriendLists, await friends.overview(current_identity(services)))

    @bp.post("/request")
    async def request_friend() -> Response:
        identity = current_identity(services)
        body = await read_json(FriendRequestBody)
        return reply(FriendRequested, await friends.request(identity, body.username), status=201)

    @bp.post("/accept")
    async def accept() -> Response:
        identity = current_identity(services)
        body = await read_json(AcceptBody)
        return reply(FriendAccepted, await friends.accept(identity, body.user_id))

    @bp.get("/search")
    async def search() -> Response:
        identity = current_identity(services)
        query = request.args.get("q", "").strip()
        if not query or len(query) > SEARCH_QUERY_MAX:
            raise ValidationFailed(
                [{"field": "q", "message": "1 to 64 characters", "type": "string_length"}]
            )
        return reply(UserSearch, {"users": await friends.search(identity, query)})

    @bp.post("/block")
    async def block() -> Response:
        identity = current_identity(services)
        body = await read_json(BlockBody)
        await friends.block(identity, body.user_id)
        return Response("", status=204)

    @bp.delete("/block/<user_id>")
    async def unblock(user_id: str) -> Response:
        await friends.unblock(current_identity(services), user_id)
        return Response("", status=204)

    @bp.delete("/<user_id>")
    async def remove(user_id: str) -> Response:
        await friends.remove(current_identity(services), user_id)
        return Response("", status=204)

    return bp
