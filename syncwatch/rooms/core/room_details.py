"""The room's own details, changed live by its owner: name, seats, password, guest chat.

Owns the checks of a `room:settings` request's detail fields (a name others will
read: 1..80 printable characters; 2..5 seats and never fewer than the people in
the room now; a password set or removed, never both) and what a change tells
the room: one system line naming each setting that changed and its new value
(a password only as "set", "changed" or "removed"), and the audit metadata,
which never holds a password either. Checks run before anything changes, so a
refused request leaves the room as it was. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncwatch.errors import ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import StoreRoomDetails

MAX_NAME_LENGTH = 80
SEATS = (2, 5)


@dataclass(frozen=True, slots=True)
class DetailChange:
    name: str
    max_participants: int
    new_password: str | None
    remove_password: bool

    @property
    def has_password(self) -> bool:
        return self.new_password is not None

    def store(self, room_id: str) -> StoreRoomDetails:
        return StoreRoomDetails(
            room_id, self.name, self.max_participants, self.new_password, self.remove_password
        )


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([{"field": field, "message": message}], detail=f"{field} {message}.")


def checked(room: RoomContext, data: m.SettingsData) -> DetailChange | None:
    """The details as they will be, or None when the request names none of them;
    `ValidationFailed` naming the first field that cannot be."""
    if data.name is None and data.max_participants is None and not _touches_password(data):
        return None
    current = room.settings
    name = current.name
    if data.name is not None:
        name = " ".join(data.name.split())
        if not 1 <= len(name) <= MAX_NAME_LENGTH:
            raise _refuse("name", f"must be 1 to {MAX_NAME_LENGTH} characters")
        if any(not character.isprintable() for character in name):
            raise _refuse("name", "must be printable characters (no control characters)")
    seats = current.max_participants
    if data.max_participants is not None:
        seats = data.max_participants
        if not SEATS[0] <= seats <= SEATS[1]:
            raise _refuse("maxParticipants", f"must be {SEATS[0]} to {SEATS[1]}")
        here = len(room.membership)
        if seats < here:
            raise _refuse("maxParticipants", f"cannot be fewer than the {here} people here now")
    if data.password is not None and data.remove_password:
        raise _refuse("password", "cannot be set and removed at once")
    password = data.password
    if password is not None and not password.strip():
        raise _refuse("password", "must not be blank")
    return DetailChange(name, seats, password, bool(data.remove_password))


def _touches_password(data: m.SettingsData) -> bool:
    return data.password is not None or bool(data.remove_password)


def password_change(had_password: bool, change: DetailChange | None) -> str | None:
    """How the password changed, in words fit for a system line and the audit log."""
    if change is None:
        return None
    if change.new_password is not None:
        return "changed" if had_password else "set"
    if change.remove_password and had_password:
        return "removed"
    return None


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, str | int | bool]:
    """Each setting whose value changed, with its new value (nested ones by name only)."""
    changed: dict[str, str | int | bool] = {}
    for key, value in after.items():
        if key == "hasPassword" or before.get(key) == value:
            continue
        changed[key] = value if isinstance(value, str | int | bool) else "changed"
    return changed
