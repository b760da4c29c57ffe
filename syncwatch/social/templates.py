"""`TemplateService`: a room's settings saved under a name, to create rooms from later.

A template keeps the size limit, who controls playback, handover, privacy and
whether guests may join; never a password. Creating a room from one is done
by the edge (`http/evening_routes.py`), which owns room creation.
"""

from __future__ import annotations

from typing import Any

from syncwatch.auth.identity import Caller
from syncwatch.clock import Clock
from syncwatch.errors import Conflict, Forbidden, NotFound, Unauthorized
from syncwatch.store.repositories import Repositories, TemplateRecord
from syncwatch.store.repositories.templates import MAX_TEMPLATES


def template_view(record: TemplateRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "createdAt": record.created_at,
        "settings": record.settings,
    }


class TemplateService:
    def __init__(self, repositories: Repositories, clock: Clock) -> None:
        self._repos = repositories
        self._clock = clock

    @staticmethod
    def _registered(identity: Caller) -> None:
        if identity.is_guest:
            raise Unauthorized("Sign up to keep room templates.")

    async def listing(self, identity: Caller) -> list[dict[str, Any]]:
        self._registered(identity)
        return [
            template_view(t) for t in await self._repos.templates.for_owner(identity.subject_id)
        ]

    async def save_from_room(self, identity: Caller, name: str, code: str) -> dict[str, Any]:
        """Save the settings a room has now (its owner only)."""
        self._registered(identity)
        room = await self._repos.rooms.by_code(code.upper())
        if room is None:
            raise NotFound("No such room.")
        if room.owner_id != identity.subject_id:
            raise Forbidden("Only the room's owner can save it as a template.")
        if await self._repos.templates.count(identity.subject_id) >= MAX_TEMPLATES:
            raise Conflict(f"You have {MAX_TEMPLATES} templates; delete one first.")
        settings = {
            "maxParticipants": room.max_participants,
            "playbackControl": room.playback_control,
            "autoHandover": room.auto_handover,
            "privacy": room.privacy,
            "guestsAllowed": room.guests_allowed,
        }
        record = await self._repos.templates.add(
            identity.subject_id, name, settings, self._clock.now_ms()
        )
        return template_view(record)

    async def get(self, identity: Caller, template_id: str) -> TemplateRecord:
        self._registered(identity)
        found = await self._repos.templates.get(identity.subject_id, template_id)
        if found is None:
            raise NotFound("No such template.")
        return found

    async def remove(self, identity: Caller, template_id: str) -> None:
        self._registered(identity)
        if not await self._repos.templates.remove(identity.subject_id, template_id):
            raise NotFound("No such template.")
