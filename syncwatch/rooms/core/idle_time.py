"""`Idleness`: how long a room has been idle and whether it was warned, as a value.

Owns the owner's idle time (minutes, 0: never), the last activity (a chat
line, a playback command, an answer to the warning) and the close time of a
warning in force. The rules that use it are in `idleness`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

DEFAULT_IDLE_MINUTES = 30
IDLE_GRACE_MS = 2 * 60_000
"""How long members have to answer the warning before the room closes."""


@dataclass(frozen=True, slots=True)
class Idleness:
    """A value: the owner's idle time, the last activity, and a warning in force."""

    idle_minutes: int = DEFAULT_IDLE_MINUTES
    last_activity_ms: int | None = None
    closes_at_ms: int | None = None

    @property
    def idle_ms(self) -> int:
        return self.idle_minutes * 60_000

    def active(self, now_ms: int) -> Idleness:
        return replace(self, last_activity_ms=now_ms, closes_at_ms=None)

    def deadline_ms(self, playing: bool) -> int | None:
        if self.idle_minutes <= 0 or playing or self.last_activity_ms is None:
            return None
        if self.closes_at_ms is not None:
            return self.closes_at_ms
        return self.last_activity_ms + self.idle_ms
