"""Access tokens (JWT, HS256) and refresh tokens (opaque, stored as hashes).

Access tokens carry `sub`, `jti`, `iat`, `exp`, `typ="access"`, the display
name, whether the subject is a guest and `sid`, the session (refresh-token
family) they were issued for, so signing a session out reaches its access
tokens too (`auth/revocation.py`). Verification pins the algorithm to
HS256, so `alg: none` and algorithm-confusion tokens are refused.

Refresh tokens are 256 random bits; only their SHA-256 is stored, so a leaked
database does not leak sessions.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

import jwt

from syncwatch.auth.identity import Caller
from syncwatch.errors import InvalidToken, Unauthorized
from syncwatch.ids import new_id

ALGORITHM = "HS256"


def derive_key(secret_key: str, purpose: str) -> bytes:
    """A separate key per purpose, so one leaked derived key exposes nothing else."""
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    expires_in_s: int


class AccessTokens:
    def __init__(self, secret_key: str, ttl_s: int) -> None:
        self._key = derive_key(secret_key, "jwt-access")
        self.ttl_s = ttl_s

    def issue(self, identity: Caller, now_s: float, session_id: str | None = None) -> IssuedToken:
        claims: dict[str, Any] = {
            "sub": identity.subject_id,
            "jti": new_id(),
            "iat": int(now_s),
            "exp": int(now_s) + self.ttl_s,
            "typ": "access",
            "name": identity.username,
            "guest": identity.is_guest,
        }
        if session_id is not None:
            claims["sid"] = session_id
        return IssuedToken(jwt.encode(claims, self._key, algorithm=ALGORITHM), self.ttl_s)

    def verify(self, token: str) -> Caller:
        """Return the identity a token proves, or raise `Unauthorized`."""
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                options={"require": ["sub", "jti", "exp", "typ"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized("The access token is invalid or expired.") from error
        if claims.get("typ") != "access" or not isinstance(claims.get("sub"), str):
            raise Unauthorized("This is not an access token.")
        session_id = claims.get("sid")
        return Caller(
            subject_id=claims["sub"],
            username=str(claims.get("name", "")),
            is_guest=bool(claims.get("guest", False)),
            session_id=session_id if isinstance(session_id, str) else None,
            token_id=str(claims["jti"]),
            expires_at_s=int(claims["exp"]),
        )


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_bearer(header: str | None) -> str:
    if not header:
        raise Unauthorized("Send an access token: Authorization: Bearer <token>.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("The Authorization header must be 'Bearer <token>'.")
    return token.strip()
