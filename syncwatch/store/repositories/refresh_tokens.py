"""Refresh tokens: stored by hash, rotated once, revoked per family or per subject.

A token family is one login's chain of rotations. `mark_used` is the single
atomic step that makes rotation safe: of two requests presenting one token, only
one gets True; the other is a reuse, and the service revokes the family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncwatch.ids import new_id
from syncwatch.store import Database


@dataclass(frozen=True, slots=True)
class RefreshTokenRecord:
    id: str
    family_id: str
    subject_id: str  # a user id, or a guest id (guests have no users row)
    guest_name: str | None  # set for guests: their nickname survives rotation
    token_hash: str
    created_at: int
    expires_at: int
    used_at: int | None
    revoked_at: int | None


def _token(row: dict[str, Any]) -> RefreshTokenRecord:
    return RefreshTokenRecord(
        id=row["id"],
        family_id=row["family_id"],
        subject_id=row["subject_id"],
        guest_name=row["guest_name"],
        token_hash=row["token_hash"],
        created_at=int(row["created_at"]),
        expires_at=int(row["expires_at"]),
        used_at=None if row["used_at"] is None else int(row["used_at"]),
        revoked_at=None if row["revoked_at"] is None else int(row["revoked_at"]),
    )


class RefreshTokenRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        family_id: str,
        subject_id: str,
        token_hash: str,
        created_at: int,
        expires_at: int,
        guest_name: str | None = None,
    ) -> RefreshTokenRecord:
        record = RefreshTokenRecord(
            new_id(),
            family_id,
            subject_id,
            guest_name,
            token_hash,
            created_at,
            expires_at,
            None,
            None,
        )
        await self._db.execute(
            "INSERT INTO refresh_tokens (id, family_id, subject_id, guest_name, token_hash,"
            " created_at, expires_at) VALUES (:id, :family_id, :subject_id, :guest_name,"
            " :token_hash, :created_at, :expires_at)",
            {
                "id": record.id,
                "family_id": family_id,
                "subject_id": subject_id,
                "guest_name": guest_name,
                "token_hash": token_hash,
                "created_at": created_at,
                "expires_at": expires_at,
            },
        )
        return record

    async def by_hash(self, token_hash: str) -> RefreshTokenRecord | None:
        row = await self._db.fetch_one(
            "SELECT * FROM refresh_tokens WHERE token_hash = :hash", {"hash": token_hash}
        )
        return _token(row) if row else None

    async def mark_used(self, token_id: str, now_ms: int) -> bool:
        """Consume a token; True only for the one caller that consumed it."""
        changed = await self._db.execute(
            "UPDATE refresh_tokens SET used_at = :now"
            " WHERE id = :id AND used_at IS NULL AND revoked_at IS NULL",
            {"now": now_ms, "id": token_id},
        )
        return changed == 1

    async def revoke_family(self, family_id: str, now_ms: int) -> int:
        return await self._db.execute(
            "UPDATE refresh_tokens SET revoked_at = :now"
            " WHERE family_id = :family_id AND revoked_at IS NULL",
            {"now": now_ms, "family_id": family_id},
        )

    async def revoke_subject(self, subject_id: str, now_ms: int) -> int:
        """Revoke every session of a user (password change, ban)."""
        return await self._db.execute(
            "UPDATE refresh_tokens SET revoked_at = :now"
            " WHERE subject_id = :subject_id AND revoked_at IS NULL",
            {"now": now_ms, "subject_id": subject_id},
        )

    async def purge_expired(self, now_ms: int) -> int:
        """Delete tokens past expiry: they can be neither used nor reused any more."""
        return await self._db.execute(
            "DELETE FROM refresh_tokens WHERE expires_at <= :now", {"now": now_ms}
        )
