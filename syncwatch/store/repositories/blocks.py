"""Blocks between registered users: who blocked whom.

A block is one-way in the table and two-way in effect: while either user has
blocked the other, neither can send the other a friend request, an invitation,
or see the other's presence (`syncwatch.social.friends`). Rows go with either
account.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncwatch.store import Database


@dataclass(frozen=True, slots=True)
class BlockedUser:
    user_id: str
    username: str
    created_at: int


class BlockRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def block(self, blocker_id: str, blocked_id: str, now_ms: int) -> bool:
        """Block someone; False when they were blocked already."""
        changed = await self._db.execute(
            "INSERT INTO user_blocks (blocker_id, blocked_id, created_at)"
            " VALUES (:blocker, :blocked, :now) ON CONFLICT (blocker_id, blocked_id) DO NOTHING",
            {"blocker": blocker_id, "blocked": blocked_id, "now": now_ms},
        )
        return changed == 1

    async def unblock(self, blocker_id: str, blocked_id: str) -> bool:
        changed = await self._db.execute(
            "DELETE FROM user_blocks WHERE blocker_id = :blocker AND blocked_id = :blocked",
            {"blocker": blocker_id, "blocked": blocked_id},
        )
        return changed == 1

    async def between(self, a: str, b: str) -> bool:
        """Whether either user has blocked the other."""
        row = await self._db.fetch_one(
            "SELECT 1 AS blocked FROM user_blocks WHERE (blocker_id = :a AND blocked_id = :b)"
            " OR (blocker_id = :b AND blocked_id = :a)",
            {"a": a, "b": b},
        )
        return row is not None

    async def blocked_by(self, blocker_id: str) -> list[BlockedUser]:
        """The people `blocker_id` has blocked, by username."""
        rows = await self._db.fetch_all(
            "SELECT u.id AS user_id, u.username, b.created_at FROM user_blocks b"
            " JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = :blocker"
            " ORDER BY u.username_key",
            {"blocker": blocker_id},
        )
        return [BlockedUser(r["user_id"], r["username"], int(r["created_at"])) for r in rows]
