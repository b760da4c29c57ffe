"""When a room that failed may start again: pure bookkeeping, no I/O, time passed in.

A room whose actor failed starts again from its snapshot on the next join. A
room that fails `max_failures` times within `window_s` is held down for
`rest_s` instead, so a room that cannot run (a corrupt row, a failing
dependency only it touches) answers `room_unavailable` rather than looping
through start, fail and reconnect. Times are seconds on one monotonic clock
(the registry passes `trio.current_time()`, so `MockClock` drives it).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass(slots=True)
class RestartPolicy:
    max_failures: int = 3
    window_s: float = 60.0
    rest_s: float = 120.0
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _down_until: dict[str, float] = field(default_factory=dict)

    def record_failure(self, code: str, now: float) -> bool:
        """Count one failure of `code`'s room; True when it is now held down."""
        self._forget_old(now)
        recent = self._failures.setdefault(code, deque())
        recent.append(now)
        if len(recent) < self.max_failures:
            return False
        del self._failures[code]
        self._down_until[code] = now + self.rest_s
        return True

    def rest_left(self, code: str, now: float) -> float | None:
        """Seconds `code`'s room must still rest, or None when it may start."""
        until = self._down_until.get(code)
        if until is None:
            return None
        if now >= until:
            del self._down_until[code]
            return None
        return until - now

    def _forget_old(self, now: float) -> None:
        # Bounded by the rooms that failed in the last window, whatever the uptime.
        for code in list(self._failures):
            recent = self._failures[code]
            while recent and recent[0] <= now - self.window_s:
                recent.popleft()
            if not recent:
                del self._failures[code]
        for code, until in list(self._down_until.items()):
            if now >= until:
                del self._down_until[code]
