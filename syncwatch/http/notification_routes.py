"""`/api/v1/notifications` (CONTRACT.md §1): the notification centre and its unread count."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from quart import Blueprint, Response

from syncwatch.http.bodies import read_json
from syncwatch.http.caller import current_identity
from syncwatch.http.operations import Operation, Reply
from syncwatch.http.responses import Notifications, UnreadNotifications, reply
from syncwatch.services import Services
from syncwatch.social.notifications import Notifier

Str64 = Annotated[str, Field(min_length=1, max_length=64)]


class ReadBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    ids: list[Str64] | None = Field(default=None, max_length=200)


_REGISTERED = "`unauthorized`: guests have no notifications"
OPERATIONS = (
    Operation(
        "GET",
        "/api/v1/notifications",
        "Friend requests, invitations and reminders, newest first, with the unread count",
        {200: Reply("The centre", Notifications)},
        {401: _REGISTERED},
        signed_in=True,
    ),
    Operation(
        "POST",
        "/api/v1/notifications/read",
        "Mark these notifications read (all of them without `ids`)",
        {200: Reply("The unread count now", UnreadNotifications)},
        {401: _REGISTERED},
        body=ReadBody,
        body_optional=True,
        signed_in=True,
    ),
    Operation(
        "DELETE",
        "/api/v1/notifications",
        "Clear the notification centre",
        {204: Reply("Cleared")},
        {401: _REGISTERED},
        signed_in=True,
    ),
)


def notification_blueprint(services: Services, notifier: Notifier) -> Blueprint:
    bp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications")

    @bp.get("")
    async def listing() -> Response:
        return reply(Notifications, await notifier.listing(current_identity(services)))

    @bp.post("/read")
    async def mark_read() -> Response:
        identity = current_identity(services)
        body = await read_json(ReadBody, allow_empty=True)
        return reply(UnreadNotifications, await notifier.mark_read(identity, body.ids))

    @bp.delete("")
    async def clear() -> Response:
        await notifier.clear(current_identity(services))
        return Response("", status=204)

    return bp
