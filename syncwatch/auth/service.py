"""The account service: register, log in, refresh, log out, guests.

Owns the rules of CONTRACT.md §1 "auth": rate limits (spec 7.6), refresh-token
rotation with reuse detection (a rotated token presented again revokes its
whole family), argon2id with rehash-on-login, and the audit events
`auth.login`, `auth.login_failed`, `auth.logout`. Each sign-in is a session
(its refresh-token family) whose id every access token carries as `sid`;
logging out revokes the session's access tokens and closes its sockets at once
(`revocation.py`). It knows nothing of HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncwatch.audit import AuditLog
from syncwatch.auth.identity import Caller
from syncwatch.auth.nicknames import generate_nickname
from syncwatch.auth.passwords import PasswordHasher
from syncwatch.auth.revocation import Revocations
from syncwatch.auth.tokens import AccessTokens, hash_refresh_token, new_refresh_token
from syncwatch.clock import Clock
from syncwatch.errors import InvalidCredentials, InvalidToken, TokenReused
from syncwatch.fabric import Fabric, enforce_limit
from syncwatch.ids import new_id
from syncwatch.observability.logs import get_logger
from syncwatch.settings import Settings
from syncwatch.store.repositories import Repositories

log = get_logger("syncwatch.auth")

GUEST_PREFIX = "guest-"
USER_AGENT_CHARS = 512


@dataclass(frozen=True, slots=True)
class Session:
    """What a successful register/login/refresh/guest hands back to the client."""

    identity: Caller
    user: dict[str, Any]
    access_token: str
    expires_in_s: int
    refresh_token: str
    refresh_max_age_s: int


def user_view(user: Any) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "createdAt": user.created_at,
        "guest": False,
    }


class AuthService:
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
        self.revocations = revocations
        self.access_tokens = AccessTokens(settings.secret_key, settings.access_token_ttl_s)

    # --- rate limits ---------------------------------------------------------

    async def _limit(self, name: str, key: str, limit: int, window_s: float) -> None:
        await enforce_limit(self._fabric, f"{name}:{key}", limit, window_s, self._clock.now_ms())

    # --- sessions ------------------------------------------------------------

    async def _open_session(
        self,
        identity: Caller,
        user: dict[str, Any],
        *,
        user_agent: str | None,
        ip: str,
        family_id: str | None = None,
        started_at: int | None = None,
    ) -> Session:
        now_ms = self._clock.now_ms()
        refresh = new_refresh_token()
        session_id = family_id or new_id()
        await self._repos.refresh_tokens.create(
            family_id=session_id,
            subject_id=identity.subject_id,
            guest_name=identity.username if identity.is_guest else None,
            token_hash=hash_refresh_token(refresh),
            created_at=now_ms,
            expires_at=now_ms + self._settings.refresh_token_ttl_s * 1000,
            user_agent=user_agent[:USER_AGENT_CHARS] if user_agent else None,
            client_ip=ip,
            session_started_at=started_at,
        )
        access = self.access_tokens.issue(identity, now_ms / 1000, session_id=session_id)
        return Session(
            identity=identity,
            user=user,
            access_token=access.token,
            expires_in_s=access.expires_in_s,
            refresh_token=refresh,
            refresh_max_age_s=self._settings.refresh_token_ttl_s,
        )

    async def register(
        self, *, email: str, username: str, password: str, ip: str, user_agent: str | None = None
    ) -> Session:
        await self._limit("register-ip", ip, self._settings.register_limit_per_hour, 3600)
        password_hash = await self._hasher.hash(password)
        user = await self._repos.users.create(
            email=email, username=username, password_hash=password_hash
        )
        await self._audit.record(
            "auth.register", actor_id=user.id, actor_ip=ip, target_type="user", target_id=user.id
        )
        return await self._open_session(
            Caller(user.id, user.username, False), user_view(user), user_agent=user_agent, ip=ip
        )

    async def login(
        self, *, login: str, password: str, ip: str, user_agent: str | None = None
    ) -> Session:
        limit = self._settings.login_limit_per_minute
        await self._limit("login-ip", ip, limit, 60)
        await self._limit("login-name", login.strip().lower(), limit, 60)
        user = await self._repos.users.by_login(login.strip())
        matched = await self._hasher.verify(user.password_hash if user else None, password)
        if user is None or not matched:
            await self._audit.record(
                "auth.login_failed",
                actor_id=user.id if user else None,
                actor_ip=ip,
                target_type="user",
                target_id=user.id if user else None,
                success=False,
                login=login[:254],
            )
            raise InvalidCredentials("The login or the password is wrong.")
        if self._hasher.needs_rehash(user.password_hash):
            await self._repos.users.update_password_hash(user.id, await self._hasher.hash(password))
            log.info("password hash upgraded to current parameters", user_id=user.id)
        await self._audit.record(
            "auth.login", actor_id=user.id, actor_ip=ip, target_type="user", target_id=user.id
        )
        return await self._open_session(
            Caller(user.id, user.username, False), user_view(user), user_agent=user_agent, ip=ip
        )

    async def guest(
        self, *, nickname: str | None, ip: str, user_agent: str | None = None
    ) -> Session:
        identity = Caller(GUEST_PREFIX + new_id(), nickname or generate_nickname(), True)
        view = {"id": identity.subject_id, "username": identity.username, "guest": True}
        return await self._open_session(identity, view, user_agent=user_agent, ip=ip)

    async def refresh(
        self, *, refresh_token: str | None, ip: str, user_agent: str | None = None
    ) -> Session:
        if not refresh_token:
            raise InvalidToken("No refresh token: log in again.")
        now_ms = self._clock.now_ms()
        record = await self._repos.refresh_tokens.by_hash(hash_refresh_token(refresh_token))
        if record is None or record.expires_at <= now_ms:
            raise InvalidToken("The session has expired: log in again.")
        if record.revoked_at is not None or not await self._repos.refresh_tokens.mark_used(
            record.id, now_ms
        ):
            # A token already rotated (or revoked) came back: someone holds a copy.
            await self._repos.refresh_tokens.revoke_family(record.family_id, now_ms)
            await self._audit.record(
                "auth.token_reused",
                actor_id=record.subject_id,
                actor_ip=ip,
                target_type="user",
                target_id=record.subject_id,
                success=False,
                family_id=record.family_id,
            )
            raise TokenReused("This session was revoked because its token was used twice.")
        if record.guest_name is not None:
            identity = Caller(record.subject_id, record.guest_name, True)
            view: dict[str, Any] = {
                "id": identity.subject_id,
                "username": identity.username,
                "guest": True,
            }
        else:
            user = await self._repos.users.by_id(record.subject_id)
            if user is None:
                raise InvalidToken("The account no longer exists.")
            identity = Caller(user.id, user.username, False)
            view = user_view(user)
        return await self._open_session(
            identity,
            view,
            user_agent=user_agent or record.user_agent,
            ip=ip,
            family_id=record.family_id,
            started_at=record.session_started_at,
        )

    async def logout(
        self, *, refresh_token: str | None, ip: str, caller: Caller | None = None
    ) -> None:
        """End the session of the refresh cookie and of the access token, when given: the
        refresh token is revoked, the access tokens refused and the sockets closed."""
        if caller is not None:
            await self.revocations.revoke_token(caller)
            if caller.session_id is not None:
                await self.revocations.revoke_sessions([caller.session_id])
        if not refresh_token:
            return
        record = await self._repos.refresh_tokens.by_hash(hash_refresh_token(refresh_token))
        if record is None:
            return
        await self._repos.refresh_tokens.revoke_family(record.family_id, self._clock.now_ms())
        await self.revocations.revoke_sessions([record.family_id])
        await self._audit.record(
            "auth.logout",
            actor_id=record.subject_id,
            actor_ip=ip,
            target_type="user",
            target_id=record.subject_id,
        )

    async def me(self, identity: Caller) -> dict[str, Any]:
        if identity.is_guest:
            return {"id": identity.subject_id, "username": identity.username, "guest": True}
        user = await self._repos.users.by_id(identity.subject_id)
        if user is None:
            raise InvalidToken("The account no longer exists.")
        return user_view(user)

    def authenticate(self, token: str) -> Caller:
        """The identity a token proves, without asking whether it was signed out since
        (`authenticate_live` asks; the HTTP edge asks once per request)."""
        return self.access_tokens.verify(token)

    async def authenticate_live(self, token: str) -> Caller:
        """The identity a token proves, refused when its session was signed out."""
        caller = self.access_tokens.verify(token)
        if await self.revocations.is_revoked(caller):
            raise InvalidToken("This session was signed out: sign in again.")
        return caller
