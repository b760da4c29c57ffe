"""Refresh tokens: stored by hash, rotated once, revoked per family or per subject.

A token family is one login's chain of rotations. `mark_used` is the single
atomic step that makes rotation safe: of two requests presenting one token, only
one gets True; the other is a reuse, and the service revokes the family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncwatch.ids import new_id
from syncwatch.store import Connection, Database


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
    user_agent: str | None = None
    client_ip: str | None = None
    session_started_at: int | None = None


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One sign-in still in force: its family's live token and where it came from."""

    id: str  # the family id, which access tokens carry as `sid`
    started_at: int
    last_seen_at: int  # when its token was last issued (sign-in or refresh)
    user_agent: str | None
    client_ip: str | None


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
        user_agent=row.get("user_agent"),
        client_ip=row.get("client_ip"),
        session_started_at=(
            None if row.get("session_started_at") is None else int(row["session_started_at"])
        ),
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
        user_agent: str | None = None,
        client_ip: str | None = None,
        session_started_at: int | None = None,
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
            user_agent,
            client_ip,
            session_started_at if session_started_at is not None else created_at,
        )
        await self._db.execute(
            "INSERT INTO refresh_tokens (id, family_id, subject_id, guest_name, token_hash,"
            " created_at, expires_at, user_agent, client_ip, session_started_at) VALUES (:id,"
            " :family_id, :subject_id, :guest_name, :token_hash, :created_at, :expires_at,"
            " :user_agent, :client_ip, :session_started_at)",
            {
                "id": record.id,
                "family_id": family_id,
                "subject_id": subject_id,
                "guest_name": guest_name,
                "token_hash": token_hash,
                "created_at": created_at,
                "expires_at": expires_at,
                "user_agent": user_agent,
                "client_ip": client_ip,
                "session_started_at": record.session_started_at,
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

    async def sessions(self, subject_id: str, now_ms: int) -> list[SessionRecord]:
        """The subject's sign-ins still in force, the most recently seen first."""
        rows = await self._db.fetch_all(
            "SELECT family_id, created_at, user_agent, client_ip, session_started_at"
            " FROM refresh_tokens WHERE subject_id = :subject_id AND used_at IS NULL"
            " AND revoked_at IS NULL AND expires_at > :now ORDER BY created_at DESC",
            {"subject_id": subject_id, "now": now_ms},
        )
        found: dict[str, SessionRecord] = {}
        for row in rows:
            started = row["session_started_at"]
            found.setdefault(
                row["family_id"],
                SessionRecord(
                    id=row["family_id"],
                    started_at=int(started if started is not None else row["created_at"]),
                    last_seen_at=int(row["created_at"]),
                    user_agent=row["user_agent"],
                    client_ip=row["client_ip"],
                ),
            )
        return list(found.values())

    async def revoke_session(self, subject_id: str, family_id: str, now_ms: int) -> bool:
        """End one sign-in of this subject; False when they have no such session."""
        changed = await self._db.execute(
            "UPDATE refresh_tokens SET revoked_at = :now WHERE family_id = :family_id"
            " AND subject_id = :subject_id AND revoked_at IS NULL",
            {"now": now_ms, "family_id": family_id, "subject_id": subject_id},
        )
        return changed > 0

    async def revoke_others(
        self, subject_id: str, keep_family_id: str | None, now_ms: int
    ) -> list[str]:
        """End every sign-in of the subject but `keep_family_id`; the ids of those ended."""

        def revoke(conn: Connection) -> list[str]:
            rows = conn.fetch_all(
                "SELECT DISTINCT family_id FROM refresh_tokens WHERE subject_id = :subject_id"
                " AND revoked_at IS NULL AND family_id <> :keep",
                {"subject_id": subject_id, "keep": keep_family_id or ""},
            )
            conn.execute(
                "UPDATE refresh_tokens SET revoked_at = :now WHERE subject_id = :subject_id"
                " AND revoked_at IS NULL AND family_id <> :keep",
                {"now": now_ms, "subject_id": subject_id, "keep": keep_family_id or ""},
            )
            return [str(row["family_id"]) for row in rows]

        return await self._db.transaction(revoke)

    async def purge_expired(self, now_ms: int) -> int:
        """Delete tokens past expiry: they can be neither used nor reused any more."""
        return await self._db.execute(
            "DELETE FROM refresh_tokens WHERE expires_at <= :now", {"now": now_ms}
        )
