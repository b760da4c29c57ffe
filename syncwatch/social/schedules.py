"""`ScheduleService`: rooms that open at a set time, with their invitations and reminders.

The owner of a room schedules it for a future time (at most 30 days ahead) and
invites friends; the room is kept at least a day past its start, everyone
invited is admitted even to a private room, and `Reminders` tells them 10
minutes before and at the start. Anyone with the link may ask when it opens,
which is what the room page's countdown shows.
"""

from __future__ import annotations

from typing import Any

from syncwatch.auth.identity import Caller
from syncwatch.clock import Clock
from syncwatch.errors import Forbidden, NotFound, Unauthorized, ValidationFailed
from syncwatch.social.friends import FriendsService
from syncwatch.social.reminders import Reminders
from syncwatch.store.repositories import Repositories, RoomRecord, ScheduleRecord

MIN_AHEAD_MS = 60 * 1000
MAX_AHEAD_MS = 30 * 24 * 3600 * 1000
KEEP_AFTER_START_MS = 24 * 3600 * 1000


def schedule_view(record: ScheduleRecord) -> dict[str, Any]:
    return {
        "roomCode": record.room_code,
        "roomName": record.room_name,
        "ownerId": record.owner_id,
        "startsAt": record.starts_at,
    }


class ScheduleService:
    def __init__(
        self,
        repositories: Repositories,
        friends: FriendsService,
        reminders: Reminders,
        clock: Clock,
    ) -> None:
        self._repos = repositories
        self._friends = friends
        self._reminders = reminders
        self._clock = clock

    async def _owned_room(self, identity: Caller, code: str) -> RoomRecord:
        if identity.is_guest:
            raise Unauthorized("Sign up to schedule rooms.")
        room = await self._repos.rooms.by_code(code.upper())
        if room is None:
            raise NotFound("No such room.")
        if room.owner_id != identity.subject_id:
            raise Forbidden("Only the room's owner can schedule it.")
        return room

    async def schedule(
        self, identity: Caller, code: str, starts_at: int, invite: list[str]
    ) -> dict[str, Any]:
        room = await self._owned_room(identity, code)
        now = self._clock.now_ms()
        if not now + MIN_AHEAD_MS <= starts_at <= now + MAX_AHEAD_MS:
            raise ValidationFailed(
                [
                    {
                        "field": "startsAt",
                        "message": "a time from one minute to 30 days from now",
                        "type": "range",
                    }
                ]
            )
        friends = await self._friends.friend_ids(identity)
        strangers = sorted(set(invite) - friends)
        if strangers:
            raise Forbidden("You can only invite friends.")
        await self._repos.schedules.set(room.id, starts_at, now)
        keep_until = max(room.expires_at, starts_at + KEEP_AFTER_START_MS)
        await self._repos.rooms.touch(room.id, now, keep_until)
        for user_id in dict.fromkeys(invite):
            await self._friends.invite(identity, user_id, room.code, starts_at=starts_at)
        self._reminders.changed()
        found = await self._repos.schedules.for_room(room.id)
        assert found is not None
        return schedule_view(found)

    async def get(self, code: str) -> dict[str, Any]:
        room = await self._repos.rooms.by_code(code.upper())
        found = await self._repos.schedules.for_room(room.id) if room is not None else None
        if found is None:
            raise NotFound("This room is not scheduled.")
        return schedule_view(found)

    async def cancel(self, identity: Caller, code: str) -> None:
        room = await self._owned_room(identity, code)
        if not await self._repos.schedules.remove(room.id):
            raise NotFound("This room is not scheduled.")
        self._reminders.changed()

    async def upcoming(self, identity: Caller) -> list[dict[str, Any]]:
        if identity.is_guest:
            raise Unauthorized("Sign up to schedule rooms.")
        found = await self._repos.schedules.upcoming_for(identity.subject_id, self._clock.now_ms())
        return [schedule_view(record) for record in found]
