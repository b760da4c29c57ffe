"""Watch history, room templates and scheduled rooms (issue 14 §5), over HTTP.

`/api/v1/me/history`, `/api/v1/templates`, `/api/v1/rooms/{code}/schedule`
and `/api/v1/schedules`. Creating a room from a template goes through the
room directory like any new room, then applies the template's privacy.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from quart import Blueprint, Response, g

from syncwatch.http.bodies import read_json
from syncwatch.http.caller import current_identity
from syncwatch.http.operations import Operation, Reply
from syncwatch.http.responses import (
    Room,
    Schedule,
    Schedules,
    Template,
    Templates,
    WatchHistory,
    reply,
)
from syncwatch.rooms.directory import NewRoom, RoomDirectory, room_view
from syncwatch.services import Services
from syncwatch.social.history import history_view
from syncwatch.social.schedules import ScheduleService
from syncwatch.social.templates import TemplateService, template_view


class SaveTemplateBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)

    name: str = Field(min_length=1, max_length=64)
    room_code: str = Field(alias="roomCode", min_length=8, max_length=8)


class FromTemplateBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    name: str | None = Field(default=None, min_length=1, max_length=64)


class ScheduleBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)

    starts_at: int = Field(alias="startsAt", ge=0, le=2**53)
    invite: list[str] = Field(default_factory=list, max_length=20)


_REGISTERED = "`unauthorized`: guests have none"
OPERATIONS = (
    Operation(
        "GET",
        "/api/v1/me/history",
        "What you watched in the last 90 days: when, in which room and with whom",
        {200: Reply("Newest first", WatchHistory)},
        {401: _REGISTERED},
        signed_in=True,
    ),
    Operation(
        "DELETE",
        "/api/v1/me/history",
        "Clear your watch history",
        {204: Reply("Cleared")},
        {401: _REGISTERED},
        signed_in=True,
    ),
    Operation(
        "GET",
        "/api/v1/templates",
        "Your room templates",
        {200: Reply("Newest first", Templates)},
        {401: _REGISTERED},
        signed_in=True,
    ),
    Operation(
        "POST",
        "/api/v1/templates",
        "Save a room's settings (yours) as a template",
        {201: Reply("Saved", Template)},
        {
            401: _REGISTERED,
            403: "`forbidden`: not your room",
            404: "`not_found`: no such room",
            409: "`conflict`: you have 50 templates",
        },
        body=SaveTemplateBody,
        signed_in=True,
    ),
    Operation(
        "DELETE",
        "/api/v1/templates/{template_id}",
        "Delete a template",
        {204: Reply("Deleted")},
        {401: _REGISTERED, 404: "`not_found`: no such template"},
        signed_in=True,
    ),
    Operation(
        "POST",
        "/api/v1/templates/{template_id}/rooms",
        "Create a room with a template's settings",
        {201: Reply("The new room", Room)},
        {401: _REGISTERED, 404: "`not_found`: no such template", 429: "`rate_limited`"},
        body=FromTemplateBody,
        body_optional=True,
        signed_in=True,
    ),
    Operation(
        "POST",
        "/api/v1/rooms/{code}/schedule",
        "Schedule your room to open at a time (1 minute to 30 days ahead) and invite friends",
        {200: Reply("Scheduled", Schedule)},
        {
            401: "`unauthorized`: guests cannot schedule",
            403: "`forbidden`: not your room, or someone invited is not your friend",
            404: "`not_found`: no such room",
            422: "`validation_error`: the time is too soon or too far",
        },
        body=ScheduleBody,
        signed_in=True,
    ),
    Operation(
        "GET",
        "/api/v1/rooms/{code}/schedule",
        "When a scheduled room opens (anyone with the link may ask)",
        {200: Reply("Its start", Schedule)},
        {404: "`not_found`: no such room, or it is not scheduled"},
    ),
    Operation(
        "DELETE",
        "/api/v1/rooms/{code}/schedule",
        "Open your scheduled room now: no countdown, no more reminders",
        {204: Reply("Unscheduled")},
        {401: "`unauthorized`", 403: "`forbidden`: not your room", 404: "`not_found`"},
        signed_in=True,
    ),
    Operation(
        "GET",
        "/api/v1/schedules",
        "Scheduled rooms you own or were invited to that have not started",
        {200: Reply("Soonest first", Schedules)},
        {401: _REGISTERED},
        signed_in=True,
    ),
)


def evening_blueprint(
    services: Services,
    directory: RoomDirectory,
    templates: TemplateService,
    schedules: ScheduleService,
) -> Blueprint:
    bp = Blueprint("evenings", __name__, url_prefix="/api/v1")
    repos = services.repositories

    @bp.get("/me/history")
    async def history() -> Response:
        identity = current_identity(services)
        if identity.is_guest:
            return reply(WatchHistory, {"entries": []})
        found = await repos.history.recent(identity.subject_id, services.clock.now_ms())
        return reply(WatchHistory, {"entries": [history_view(r) for r in found]})

    @bp.delete("/me/history")
    async def clear_history() -> Response:
        identity = current_identity(services)
        if not identity.is_guest:
            await repos.history.clear(identity.subject_id)
        return Response("", status=204)

    @bp.get("/templates")
    async def list_templates() -> Response:
        found = await templates.listing(current_identity(services))
        return reply(Templates, {"templates": found})

    @bp.post("/templates")
    async def save_template() -> Response:
        identity = current_identity(services)
        body = await read_json(SaveTemplateBody)
        saved = await templates.save_from_room(identity, body.name, body.room_code)
        return reply(Template, saved, status=201)

    @bp.delete("/templates/<template_id>")
    async def delete_template(template_id: str) -> Response:
        await templates.remove(current_identity(services), template_id)
        return Response("", status=204)

    @bp.post("/templates/<template_id>/rooms")
    async def room_from_template(template_id: str) -> Response:
        identity = current_identity(services)
        body = await read_json(FromTemplateBody, allow_empty=True)
        template = await templates.get(identity, template_id)
        settings = template_view(template)["settings"]
        room = await directory.create(
            identity,
            NewRoom(
                name=body.name or template.name,
                max_participants=int(settings["maxParticipants"]),
                password=None,
                playback_control=str(settings["playbackControl"]),
                auto_handover=bool(settings["autoHandover"]),
            ),
            g.client_ip,
        )
        privacy, guests = str(settings["privacy"]), bool(settings["guestsAllowed"])
        if (privacy, guests) != (room.privacy, room.guests_allowed):
            await repos.rooms.set_access(room.id, privacy, guests)
        return reply(Room, room_view(room), status=201)

    @bp.post("/rooms/<code>/schedule")
    async def schedule_room(code: str) -> Response:
        identity = current_identity(services)
        body = await read_json(ScheduleBody)
        found = await schedules.schedule(identity, code, body.starts_at, body.invite)
        return reply(Schedule, found)

    @bp.get("/rooms/<code>/schedule")
    async def room_schedule(code: str) -> Response:
        return reply(Schedule, await schedules.get(code))

    @bp.delete("/rooms/<code>/schedule")
    async def unschedule(code: str) -> Response:
        await schedules.cancel(current_identity(services), code)
        return Response("", status=204)

    @bp.get("/schedules")
    async def upcoming() -> Response:
        found = await schedules.upcoming(current_identity(services))
        return reply(Schedules, {"schedules": found})

    return bp
