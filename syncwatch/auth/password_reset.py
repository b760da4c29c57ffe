"""Password reset without email (issue 12 §4): an operator makes a one-time link.

`syncwatch admin reset-password USER` calls `issue`, which prints
`{public_url}/reset-password#token=…`: the token is in the fragment, which
browsers never send to a server, so it stays out of access logs and Referer
headers. The link works once, for 30 minutes; a newer link replaces an older
one. Only the token's SHA-256 is stored. Redeeming it sets the new password and
signs out every session of the account (its sockets closed at once).
Audit events: `admin.reset_password` (by the command), `auth.password_reset`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from syncwatch.audit import AuditLog
from syncwatch.auth.passwords import PasswordHasher
from syncwatch.auth.revocation import Revocations
from syncwatch.clock import Clock
from syncwatch.errors import BadRequest, NotFound
from syncwatch.settings import Settings
from syncwatch.store.repositories import Repositories

LINK_TTL_MS = 30 * 60 * 1000


class InvalidResetLink(BadRequest):
    code, title = "invalid_reset_link", "This reset link is not valid"


class UnknownUser(NotFound):
    code, title = "user_not_found", "No such user"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ResetLink:
    url: str
    user_id: str
    username: str
    expires_at: int


class PasswordResets:
    def __init__(
        self,
        *,
        settings: Settings,
        repositories: Repositories,
        hasher: PasswordHasher,
        clock: Clock,
        audit: AuditLog,
        revocations: Revocations,
    ) -> None:
        self._settings = settings
        self._repos = repositories
        self._hasher = hasher
        self._clock = clock
        self._audit = audit
        self._revocations = revocations

    async def issue(self, login: str) -> ResetLink:
        """A one-time link for the user named by `login` (username or email). The admin
        command that asks records it (`admin.reset_password`)."""
        user = await self._repos.users.by_login(login)
        if user is None:
            raise UnknownUser(f"No account has the username or email {login!r}.")
        token = secrets.token_urlsafe(32)
        now_ms = self._clock.now_ms()
        expires_at = now_ms + LINK_TTL_MS
        await self._repos.password_resets.issue(user.id, _digest(token), now_ms, expires_at)
        url = f"{self._settings.public_url.rstrip('/')}/reset-password#token={token}"
        return ResetLink(url, user.id, user.username, expires_at)

    async def redeem(self, token: str, new_password: str, ip: str) -> None:
        now_ms = self._clock.now_ms()
        user_id = await self._repos.password_resets.redeem(_digest(token), now_ms)
        if user_id is None:
            await self._audit.record("auth.password_reset", actor_ip=ip, success=False)
            raise InvalidResetLink(
                "This link was used already, has expired or never existed: ask for a new one."
            )
        await self._repos.users.update_password_hash(user_id, await self._hasher.hash(new_password))
        ended = await self._repos.refresh_tokens.revoke_others(user_id, None, now_ms)
        await self._revocations.revoke_sessions(ended)
        await self._revocations.close_subject(user_id)
        await self._audit.record(
            "auth.password_reset",
            actor_id=user_id,
            actor_ip=ip,
            target_type="user",
            target_id=user_id,
            sessions_signed_out=len(ended),
        )
