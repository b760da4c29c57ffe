"""Registered users: creation with unique email and username, lookup by login."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncwatch.clock import Clock
from syncwatch.errors import EmailTaken, UsernameTaken
from syncwatch.ids import new_id
from syncwatch.store import Database, UniqueViolation


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: str
    email: str  # lowercased
    username: str  # as typed at registration
    password_hash: str
    avatar_url: str | None
    created_at: int
    updated_at: int


_COLUMNS = "id, email, username, password_hash, avatar_url, created_at, updated_at"


def _user(row: dict[str, Any]) -> UserRecord:
    return UserRecord(
        id=row["id"],
        email=row["email"],
        username=row["username"],
        password_hash=row["password_hash"],
        avatar_url=row["avatar_url"],
        created_at=int(row["created_at"]),
        updated_at=int(row["updated_at"]),
    )


def username_key(username: str) -> str:
    """The form usernames are compared in: `Alice` and `alice` are one name."""
    return username.lower()


class UserRepository:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create(self, email: str, username: str, password_hash: str) -> UserRecord:
        """Insert a user; `EmailTaken` / `UsernameTaken` when either is in use.

        Uniqueness is the database's job, so two concurrent registrations of one
        name cannot both succeed.
        """
        now = self._clock.now_ms()
        record = UserRecord(new_id(), email.lower(), username, password_hash, None, now, now)
        try:
            await self._db.execute(
                "INSERT INTO users (id, email, username, username_key, password_hash,"
                " avatar_url, created_at, updated_at) VALUES (:id, :email, :username,"
                " :username_key, :password_hash, NULL, :now, :now)",
                {
                    "id": record.id,
                    "email": record.email,
                    "username": username,
                    "username_key": username_key(username),
                    "password_hash": password_hash,
                    "now": now,
                },
            )
        except UniqueViolation as violation:
            if "email" in violation.columns:
                raise EmailTaken() from violation
            if "username_key" in violation.columns:
                raise UsernameTaken() from violation
            raise
        return record

    async def by_id(self, user_id: str) -> UserRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM users WHERE id = :id", {"id": user_id}
        )
        return _user(row) if row else None

    async def by_login(self, login: str) -> UserRecord | None:
        """The user whose email or username matches `login`, ignoring case."""
        key = login.strip().lower()
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM users WHERE email = :key OR username_key = :key",
            {"key": key},
        )
        return _user(row) if row else None

    async def by_username(self, username: str) -> UserRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM users WHERE username_key = :key",
            {"key": username_key(username)},
        )
        return _user(row) if row else None

    async def update_password_hash(self, user_id: str, new_hash: str) -> bool:
        changed = await self._db.execute(
            "UPDATE users SET password_hash = :hash, updated_at = :now WHERE id = :id",
            {"hash": new_hash, "now": self._clock.now_ms(), "id": user_id},
        )
        return changed == 1

    async def search(self, prefix: str, limit: int = 20) -> list[UserRecord]:
        """Users whose username starts with `prefix`, ignoring case, shortest names first."""
        key = username_key(prefix.strip())
        if not key:
            return []
        # LIKE wildcards typed by a person are matched literally.
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM users WHERE username_key LIKE :pattern ESCAPE '\\'"
            " ORDER BY LENGTH(username_key), username_key LIMIT :limit",
            {"pattern": escaped + "%", "limit": limit},
        )
        return [_user(row) for row in rows]

    async def presence_status(self, user_id: str) -> str:
        """The presence status the user chose ('online' when they never chose)."""
        row = await self._db.fetch_one(
            "SELECT presence_status FROM users WHERE id = :id", {"id": user_id}
        )
        return str(row["presence_status"]) if row else "online"

    async def set_presence_status(self, user_id: str, status: str) -> None:
        await self._db.execute(
            "UPDATE users SET presence_status = :status WHERE id = :id",
            {"status": status, "id": user_id},
        )
