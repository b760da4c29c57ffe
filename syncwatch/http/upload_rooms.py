"""Who may attach an upload to a room (tus `Upload-Metadata: roomCode …`).

An upload named after a room sends that room's members its processing
progress, filename included, so only someone who could put the video on the
room's screen may name it: the room's owner, or a member present in the room
whom its playback control policy lets change the source. Anyone else is
refused with 403 `source_forbidden` before a byte is stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from syncwatch.auth.identity import Caller
from syncwatch.errors import SourceForbidden
from syncwatch.rooms.directory import RoomDirectory

UploadRoomCheck = Callable[[Caller, str], Awaitable[None]]


class LiveRooms(Protocol):
    def may_set_source(self, code: str, subject_id: str) -> bool: ...


def upload_room_check(directory: RoomDirectory, rooms: LiveRooms) -> UploadRoomCheck:
    async def check(caller: Caller, code: str) -> None:
        room = await directory.get(code)  # 404 room_not_found for no such room
        if room.owner_id == caller.subject_id or rooms.may_set_source(room.code, caller.subject_id):
            return
        raise SourceForbidden(
            "Only members of this room who may change its video can upload a video to it."
        )

    return check
