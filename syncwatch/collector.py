"""Python's cyclic garbage collector, set for a server that holds many connections.

At 200 rooms (1,000 sockets) the collector's full passes stopped the event loop
for 410-640 ms every few seconds, and with them every room: with the default
thresholds (700, 10, 10) the state of each connection, alive for minutes, is
promoted to the oldest generation soon after it is made, so full passes came
often and walked everything (docs/benchmarks.md, "The garbage collector's
pauses"). Two changes, both from the `gc` module's own tools:

- Everything alive once the server is set up (modules, the app, settings: about
  120,000 objects) is frozen, so no pass walks it again.
- The youngest generation holds 50,000 objects instead of 700: what a command or a
  request leaves behind (Trio's cancel scopes, exceptions and their tracebacks in
  cycles) is collected while still young, and far less reaches the oldest
  generation. Such a pass took under 20 ms under the benchmark's steady load, and
  25-100 ms while a thousand sockets were connecting (many survivors to move).

The same 200-room benchmark, one run each: p99 fan-out 730 → 155 ms, and no pass
over 20 ms during the measured window.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000
MIDDLE_THRESHOLD = 20
OLD_THRESHOLD = 10


def tune_for_serving() -> None:
    """Freeze what start-up made and raise the young generation's threshold.

    Called once the server is set up, in the process that serves: a frozen object
    is never collected, so this is not for a process that starts many servers.
    """
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
    gc.collect()
    gc.freeze()
