"""Friendships between registered users: a request, then acceptance.

One row per pair, keyed by who asked. `list_for` gives a user's view: each other
user with the status and whether the request is incoming or outgoing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from syncwatch.errors import Conflict, NotFound
from syncwatch.store import Connection, Database, ForeignKeyViolation, UniqueViolation


@dataclass(frozen=True, slots=True)
class FriendshipRecord:
    requester_id: str
    addressee_id: str
    status: str  # "pending" | "accepted"
    created_at: int
    updated_at: int


@dataclass(frozen=True, slots=True)
class FriendEntry:
    """Another user as seen from one user's friend list."""

    user_id: str
    username: str
    avatar_url: str | None
    status: str  # "pending" | "accepted"
    direction: Literal["incoming", "outgoing"]  # who sent the request
    created_at: int
    updated_at: int


class FriendshipRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def request(self, requester_id: str, addressee_id: str, now_ms: int) -> FriendshipRecord:
        """A pending request. `Conflict` when the pair already has a row in either
        direction; `NotFound` when either user does not exist."""
        params = {"requester": requester_id, "addressee": addressee_id, "now": now_ms}

        def insert(conn: Connection) -> None:
            existing = conn.fetch_one(
                "SELECT status FROM friendships WHERE requester_id = :addressee"
                " AND addressee_id = :requester",
                params,
            )
            if existing is not None:
                raise Conflict("These users already have a friendship or a pending request.")
            conn.execute(
                "INSERT INTO friendships (requester_id, addressee_id, status, created_at,"
                " updated_at) VALUES (:requester, :addressee, 'pending', :now, :now)",
                params,
            )

        try:
            await self._db.transaction(insert)
        except UniqueViolation as violation:
            raise Conflict("A friend request is already pending.") from violation
        except ForeignKeyViolation as violation:
            raise NotFound("No such user.") from violation
        return FriendshipRecord(requester_id, addressee_id, "pending", now_ms, now_ms)

    async def accept(self, requester_id: str, addressee_id: str, now_ms: int) -> bool:
        """The addressee accepts; False when there is no pending request to accept."""
        changed = await self._db.execute(
            "UPDATE friendships SET status = 'accepted', updated_at = :now"
            " WHERE requester_id = :requester AND addressee_id = :addressee"
            " AND status = 'pending'",
            {"requester": requester_id, "addressee": addressee_id, "now": now_ms},
        )
        return changed == 1

    async def remove(self, user_id: str, other_id: str) -> bool:
        """Unfriend, decline or withdraw: deletes the pair's row whichever way it points."""
        changed = await self._db.execute(
            "DELETE FROM friendships WHERE (requester_id = :a AND addressee_id = :b)"
            " OR (requester_id = :b AND addressee_id = :a)",
            {"a": user_id, "b": other_id},
        )
        return changed > 0

    async def list_for(self, user_id: str) -> list[FriendEntry]:
        rows = await self._db.fetch_all(
            "SELECT u.id AS user_id, u.username, u.avatar_url, f.status, f.created_at,"
            " f.updated_at, CASE WHEN f.requester_id = :me THEN 'outgoing'"
            " ELSE 'incoming' END AS direction"
            " FROM friendships f JOIN users u ON u.id = CASE WHEN f.requester_id = :me"
            " THEN f.addressee_id ELSE f.requester_id END"
            " WHERE f.requester_id = :me OR f.addressee_id = :me"
            " ORDER BY u.username_key",
            {"me": user_id},
        )
        return [_entry(row) for row in rows]


def _entry(row: dict[str, Any]) -> FriendEntry:
    return FriendEntry(
        user_id=row["user_id"],
        username=row["username"],
        avatar_url=row["avatar_url"],
        status=row["status"],
        direction="outgoing" if row["direction"] == "outgoing" else "incoming",
        created_at=int(row["created_at"]),
        updated_at=int(row["updated_at"]),
    )
