"""The Trio side of graceful overload: measures the event loop's lag and refuses
newcomers while `LoadGauge` (`rooms/core/load.py`) says the process is saturated."""

from __future__ import annotations

import trio

from syncwatch.errors import Overloaded
from syncwatch.rooms.core.load import LoadGauge

# Short enough to notice a saturation within a second, long enough to cost nothing.
LAG_SAMPLE_S = 0.1


async def sample_lag(gauge: LoadGauge, interval_s: float = LAG_SAMPLE_S) -> None:
    """Forever: sleep `interval_s` and report how much later than that the loop woke us.

    A loop busy with other tasks runs this one late; the overshoot is what every
    room's next command waits too.
    """
    while True:
        asked = trio.current_time()
        await trio.sleep(interval_s)
        woke = trio.current_time()
        gauge.observe_lag(woke - asked - interval_s, woke)


def refuse_if_saturated(gauge: LoadGauge) -> None:
    """Raise `Overloaded` (503 + Retry-After, or close 1013) while saturated."""
    now = trio.current_time()
    reason = gauge.saturation(now)
    if reason is not None:
        # The reason (lag or backlog) is for operators, in `/health/ready`; not the user's.
        raise Overloaded(gauge.retry_after_s(now))
