"""Who is calling: the identity an access token proves."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Caller:
    subject_id: str  # a user id, or a guest id ("guest-..."), never reused
    username: str
    is_guest: bool
    # The sign-in this token belongs to (its refresh-token family): what signing out
    # one session revokes. None for identities not made from an access token.
    session_id: str | None = None
    token_id: str | None = None  # the access token's `jti`
    expires_at_s: int | None = None  # the access token's `exp`
