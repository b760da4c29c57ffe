"""Who is calling: the identity an access token proves."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Caller:
    subject_id: str  # a user id, or a guest id ("guest-..."), never reused
    username: str
    is_guest: bool
