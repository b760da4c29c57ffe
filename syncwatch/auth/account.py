"""The signed-in person's own account: password, sessions, deletion and export (issue 12 §4).

- Changing the password needs the current one and signs out every other
  session (their refresh tokens revoked, their access tokens refused, their
  sockets closed); the session that changed it stays signed in.
- The session list shows each sign-in still in force: the device (from its
  user agent), the address, when it began and was last seen (its last sign-in
  or token refresh), and which one is the caller's. One, or all the others,
  can be signed out.
- Deleting the account needs the password; `store/repositories/personal_data.py`
  says what goes and what stays. Export is the same data, read.

Every change is an audit event: `auth.password_changed`,
`auth.session_revoked`, `auth.account_deleted`. Guests have no account here.
It knows nothing of HTTP.
"""

from __future__ import annotations

from typing import Any

from syncwatch.audit import AuditLog
from syncwatch.auth.devices import device_name
from syncwatch.auth.identity import Caller
from syncwatch.auth.passwords import PasswordHasher
from syncwatch.auth.revocation import Revocations
from syncwatch.clock import Clock
from syncwatch.errors import Forbidden, InvalidToken, NotFound
from syncwatch.fabric import Fabric, enforce_limit
from syncwatch.settings import Settings
from syncwatch.store.repositories import Repositories, UserRecord


class WrongCurrentPassword(Forbidden):
    code, title = "wrong_current_password", "The current password is wrong"


class GuestHasNoAccount(Forbidden):
    code, title = "guest_account", "Guests have no account to manage"


class SessionNotFound(NotFound):
    code, title = "session_not_found", "No such session"


class AccountService:
    def __init__(
        self,
        *,
        settings: Settings,
        repositories: Repositories,
        fabric: Fabric,
        hasher: PasswordHasher,
        clock: Clock,
        audit: AuditLog,
        revocations: Revocations,
    ) -> None:
        self._settings = settings
        self._repos = repositories
        self._fabric = fabric
        self._hasher = hasher
        self._clock = clock
        self._audit = audit
        self._revocations = revocations

    async def account_of(self, caller: Caller) -> UserRecord:
        if caller.is_guest:
            raise GuestHasNoAccount("Guests have no account: register to have one.")
        user = await self._repos.users.by_id(caller.subject_id)
        if user is None:
            raise InvalidToken("The account no longer exists.")
        return user

    async def verify_password(self, caller: Caller, password: str, ip: str) -> UserRecord:
        """The caller's account when `password` is theirs; as limited as logging in."""
        user = await self.account_of(caller)
        limit = self._settings.login_limit_per_minute
        if limit > 0:
            await enforce_limit(
                self._fabric, f"password-check:{user.id}", limit, 60, self._clock.now_ms()
            )
        if not await self._hasher.verify(user.password_hash, password):
            await self._audit.record(
                "auth.password_check_failed",
                actor_id=user.id,
                actor_ip=ip,
                target_type="user",
                target_id=user.id,
                success=False,
            )
            raise WrongCurrentPassword("The current password is not right.")
        return user

    # --- password ------------------------------------------------------------------------

    async def change_password(self, caller: Caller, *, current: str, new: str, ip: str) -> int:
        """Set a new password and sign out every other session; how many were signed out."""
        user = await self.verify_password(caller, current, ip)
        await self._repos.users.update_password_hash(user.id, await self._hasher.hash(new))
        ended = await self._sign_out_others(user.id, caller.session_id)
        await self._audit.record(
            "auth.password_changed",
            actor_id=user.id,
            actor_ip=ip,
            target_type="user",
            target_id=user.id,
            sessions_signed_out=len(ended),
        )
        return len(ended)

    async def _sign_out_others(self, user_id: str, keep: str | None) -> list[str]:
        ended = await self._repos.refresh_tokens.revoke_others(user_id, keep, self._clock.now_ms())
        await self._revocations.revoke_sessions(ended)
        return ended

    # --- sessions ------------------------------------------------------------------------

    async def sessions(self, caller: Caller) -> list[dict[str, Any]]:
        await self.account_of(caller)
        found = await self._repos.refresh_tokens.sessions(caller.subject_id, self._clock.now_ms())
        return [
            {
                "id": session.id,
                "device": device_name(session.user_agent),
                "userAgent": session.user_agent,
                "ip": session.client_ip,
                "startedAt": session.started_at,
                "lastSeenAt": session.last_seen_at,
                "current": session.id == caller.session_id,
            }
            for session in found
        ]

    async def sign_out_session(self, caller: Caller, session_id: str, ip: str) -> None:
        await self.account_of(caller)
        revoked = await self._repos.refresh_tokens.revoke_session(
            caller.subject_id, session_id, self._clock.now_ms()
        )
        if not revoked:
            raise SessionNotFound("You have no session with this id (it may have ended).")
        await self._revocations.revoke_sessions([session_id])
        await self._audit.record(
            "auth.session_revoked",
            actor_id=caller.subject_id,
            actor_ip=ip,
            target_type="user",
            target_id=caller.subject_id,
            session_id=session_id,
            current=session_id == caller.session_id,
        )

    async def sign_out_others(self, caller: Caller, ip: str) -> int:
        user = await self.account_of(caller)
        ended = await self._sign_out_others(user.id, caller.session_id)
        await self._audit.record(
            "auth.session_revoked",
            actor_id=user.id,
            actor_ip=ip,
            target_type="user",
            target_id=user.id,
            sessions_signed_out=len(ended),
            all_others=True,
        )
        return len(ended)
