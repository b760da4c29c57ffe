"""Members of a room and their liveness.

Owns the `Member` record, the `Joiner` a connection brings, and the timing
constants of presence and ownership. Pure values: the watchdog logic that uses
them is in `RoomState.tick`.
"""

from __future__ import annotations

from dataclasses import dataclass

HEARTBEAT_INTERVAL_MS = 5_000
AWAY_AFTER_MS = 15_000
"""A member is away once this long has passed without a heartbeat (joining counts as one)."""
RECLAIM_WINDOW_MS = 60_000
"""An owner who lost ownership by being away may take it back this long after leaving."""


@dataclass(frozen=True, slots=True)
class Joiner:
    """Who a connection is when it joins a room, as the socket authenticated it (not to be
    confused with `auth.identity.Caller`, which an access token proves)."""

    subject_id: str
    display_name: str
    is_guest: bool
    device_id: str | None = None
    """The browser's `sw_device` cookie, when it sent one (a ban holds it too)."""
    address: str | None = None
    """The client's IP address (a guest's ban holds it for a while)."""
    password_stamp: str | None = None
    """The stamp of the room password this connection just proved (None: no password
    was needed or asked); the room remembers the admission."""


@dataclass(frozen=True, slots=True)
class Member:
    """One seat. `participant_id` is the subject (user or guest) id: a seat belongs to a
    person, so a reconnect keeps it and voice peers stay addressable."""

    participant_id: str
    conn_id: str
    display_name: str
    """The name the room shows: the account's, or a generated one in an anonymous room."""
    is_guest: bool
    joined_at_ms: int
    last_heartbeat_ms: int
    away: bool = False
    in_voice: bool = False
    rtt_ms: float | None = None
    account_name: str = ""
    """The name of the account (the room shows it unless it is anonymous)."""
    device_id: str | None = None
    address: str | None = None

    def silent_for(self, now_ms: int) -> int:
        return now_ms - self.last_heartbeat_ms
