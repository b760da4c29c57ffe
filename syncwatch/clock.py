"""Time, injected.

Timers use `trio.current_time()` (so `trio.testing.MockClock` drives them);
the protocol speaks Unix epoch milliseconds. `Clock` maps one onto the other:
it samples the wall clock once and then advances with Trio's clock, so a test
running under MockClock sees protocol time move exactly as far as its timers.
"""

from __future__ import annotations

import time

import trio


class Clock:
    """Wall-clock milliseconds that advance with Trio's clock."""

    def __init__(self, epoch_ms_at_start: float | None = None) -> None:
        self._epoch_at_start = (
            time.time() * 1000.0 if epoch_ms_at_start is None else epoch_ms_at_start
        )
        self._trio_at_start: float | None = None

    def monotonic(self) -> float:
        """Seconds on Trio's clock, for deadlines and sleeps."""
        return trio.current_time()

    def now_ms(self) -> int:
        """Unix epoch milliseconds, as the protocol sends them."""
        return int(self.now_ms_float())

    def now_ms_float(self) -> float:
        try:
            current = trio.current_time()
        except RuntimeError:  # outside trio.run: plain wall clock
            return time.time() * 1000.0
        if self._trio_at_start is None:
            self._trio_at_start = current
        return self._epoch_at_start + (current - self._trio_at_start) * 1000.0


class SystemClock(Clock):
    """Wall clock read directly: for the server process, where NTP may adjust time."""

    def now_ms_float(self) -> float:
        return time.time() * 1000.0
