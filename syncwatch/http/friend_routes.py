"""`/api/v1/friends/*` (CONTRACT.md §1 "friends")."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from quart import Blueprint, Response, jsonify

from syncwatch.http.bodies import read_json
from syncwatch.http.caller import current_identity
from syncwatch.services import Services
from syncwatch.social.friends import FriendsService


class FriendRequestBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    username: str = Field(min_length=1, max_length=64)


class AcceptBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)

    user_id: str = Field(alias="userId", min_length=1, max_length=64)


def friend_blueprint(services: Services, friends: FriendsService) -> Blueprint:
    bp = Blueprint("friends", __name__, url_prefix="/api/v1/friends")

    @bp.get("")
    async def overview() -> Response:
        return jsonify(await friends.overview(current_identity(services)))

    @bp.post("/request")
    async def request_friend() -> tuple[Response, int]:
        identity = current_identity(services)
        body = await read_json(FriendRequestBody)
        return jsonify(await friends.request(identity, body.username)), 201

    @bp.post("/accept")
    async def accept() -> Response:
        identity = current_identity(services)
        body = await read_json(AcceptBody)
        return jsonify(await friends.accept(identity, body.user_id))

    @bp.delete("/<user_id>")
    async def remove(user_id: str) -> Response:
        await friends.remove(current_identity(services), user_id)
        return Response("", status=204)

    return bp
