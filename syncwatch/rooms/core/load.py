"""Whether this process takes on more work: the pure decision behind graceful overload.

Two signs of saturation, either enough: the event loop's lag (how late a short
sleep wakes up, late every time of the last few samples: one stall of the loop,
a garbage collection or a long log line, does not count) and
the command backlog (items queued in every room's inbox). While saturated, the
process refuses new rooms and joins and says so in `/health/ready`; the rooms
it already runs go on, and keep their latency because nothing new piles on.

A saturation is held for `hold_s` after its last sign, so admission does not
flap at the limit and a refused client gets a `Retry-After` that means
something. The clock is passed in: nothing here reads the time or sleeps.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# The lag is the least of this many latest samples: a saturated loop is late
# every time, a single stall only once.
LAG_SAMPLES = 3
# The backlog is read at most this often: reading it walks every room's inbox, and
# during a join storm it was asked for by every newcomer (a third of a join's time on
# the event loop at 250 rooms). A backlog worth refusing for lasts longer than this.
BACKLOG_READ_S = 0.05


@dataclass(frozen=True, slots=True)
class LoadLimits:
    max_lag_s: float
    """Event loop lag (the least of the latest samples) past which the process is
    saturated; 0: no limit."""
    max_backlog: int
    """Queued room commands past which the process is saturated; 0: no limit."""
    hold_s: float = 5.0
    """How long a saturation lasts after its last sign."""


class LoadGauge:
    def __init__(self, limits: LoadLimits, backlog: Callable[[], int]) -> None:
        self._limits = limits
        self._backlog = backlog
        self._samples: deque[float] = deque([0.0], maxlen=LAG_SAMPLES)
        self._saturated_until = float("-inf")
        self._reason = ""
        self._depth = 0
        self._depth_read_at = float("-inf")

    @property
    def lag_s(self) -> float:
        """The event loop's sustained lag: the least of the latest samples."""
        return min(self._samples)

    def observe_lag(self, lag_s: float, now: float) -> None:
        """One sample: how much later than asked a sleep woke up."""
        self._samples.append(max(0.0, lag_s))
        limit = self._limits.max_lag_s
        if limit and len(self._samples) == LAG_SAMPLES and self.lag_s > limit:
            self._saturate(
                now, f"event loop lag {self.lag_s * 1000:.0f} ms over {limit * 1000:.0f} ms"
            )

    def saturation(self, now: float) -> str | None:
        """Why the process refuses newcomers at `now`, or None when it admits them."""
        limit = self._limits.max_backlog
        if limit:
            if not now - BACKLOG_READ_S < self._depth_read_at <= now:
                self._depth = self._backlog()
                self._depth_read_at = now
            if self._depth > limit:
                self._saturate(now, f"command backlog {self._depth} over {limit}")
        return self._reason if now < self._saturated_until else None

    def retry_after_s(self, now: float) -> float:
        """How long a refused newcomer should wait (at least the hold when unknown)."""
        return max(1.0, self._saturated_until - now)

    def _saturate(self, now: float, reason: str) -> None:
        self._saturated_until = now + self._limits.hold_s
        self._reason = reason
