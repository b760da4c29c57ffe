"""Invitations to rooms: who invited whom to which room.

A private room admits its owner and the people invited to it
(`syncwatch.rooms.admission`); inviting the same person again keeps the first
invitation. Rows go with their room or with the invitee's account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncwatch.store import Database


@dataclass(frozen=True, slots=True)
class InvitationRecord:
    room_id: str
    invitee_id: str
    inviter_id: str
    created_at: int
    invitee_name: str | None = None  # filled by `for_room`, from the invitee's account


def _invitation(row: dict[str, Any]) -> InvitationRecord:
    return InvitationRecord(
        room_id=row["room_id"],
        invitee_id=row["invitee_id"],
        inviter_id=row["inviter_id"],
        created_at=int(row["created_at"]),
        invitee_name=row.get("invitee_name"),
    )


class InvitationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def invite(self, room_id: str, invitee_id: str, inviter_id: str, now_ms: int) -> bool:
        """Record an invitation; False when this person was already invited."""
        changed = await self._db.execute(
            "INSERT INTO room_invitations (room_id, invitee_id, inviter_id, created_at)"
            " VALUES (:room_id, :invitee_id, :inviter_id, :now)"
            " ON CONFLICT (room_id, invitee_id) DO NOTHING",
            {"room_id": room_id, "invitee_id": invitee_id, "inviter_id": inviter_id, "now": now_ms},
        )
        return changed == 1

    async def is_invited(self, room_id: str, invitee_id: str) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 AS invited FROM room_invitations"
            " WHERE room_id = :room_id AND invitee_id = :invitee_id",
            {"room_id": room_id, "invitee_id": invitee_id},
        )
        return row is not None

    async def for_room(self, room_id: str) -> list[InvitationRecord]:
        """Everyone invited to a room, earliest first, with their usernames."""
        rows = await self._db.fetch_all(
            "SELECT i.room_id, i.invitee_id, i.inviter_id, i.created_at,"
            " u.username AS invitee_name FROM room_invitations i"
            " JOIN users u ON u.id = i.invitee_id WHERE i.room_id = :room_id"
            " ORDER BY i.created_at, i.invitee_id",
            {"room_id": room_id},
        )
        return [_invitation(row) for row in rows]

    async def withdraw(self, room_id: str, invitee_id: str) -> bool:
        changed = await self._db.execute(
            "DELETE FROM room_invitations WHERE room_id = :room_id AND invitee_id = :invitee_id",
            {"room_id": room_id, "invitee_id": invitee_id},
        )
        return changed == 1
