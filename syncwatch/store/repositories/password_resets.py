"""One-time password reset links: stored by hash, used once, within their time.

`redeem` is the single atomic step: of two requests presenting one token, only
one consumes it.
"""

from __future__ import annotations

from syncwatch.ids import new_id
from syncwatch.store import Connection, Database


class PasswordResetRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def issue(self, user_id: str, token_hash: str, now_ms: int, expires_at: int) -> None:
        """A new link for the user; any earlier link of theirs stops working."""

        def replace(conn: Connection) -> None:
            conn.execute(
                "DELETE FROM password_resets WHERE user_id = :user_id", {"user_id": user_id}
            )
            conn.execute(
                "INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at)"
                " VALUES (:id, :user_id, :token_hash, :now, :expires_at)",
                {
                    "id": new_id(),
                    "user_id": user_id,
                    "token_hash": token_hash,
                    "now": now_ms,
                    "expires_at": expires_at,
                },
            )

        await self._db.transaction(replace)

    async def redeem(self, token_hash: str, now_ms: int) -> str | None:
        """Consume a link still in force; the user it was for, or None (unknown, used,
        expired)."""

        def consume(conn: Connection) -> str | None:
            row = conn.fetch_one(
                "SELECT id, user_id FROM password_resets WHERE token_hash = :hash"
                " AND used_at IS NULL AND expires_at > :now",
                {"hash": token_hash, "now": now_ms},
            )
            if row is None:
                return None
            taken = conn.execute(
                "UPDATE password_resets SET used_at = :now WHERE id = :id AND used_at IS NULL",
                {"now": now_ms, "id": row["id"]},
            )
            return str(row["user_id"]) if taken == 1 else None

        return await self._db.transaction(consume)
