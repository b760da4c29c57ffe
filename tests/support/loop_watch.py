"""How long the Trio loop was held: a `trio.abc.Instrument` that times every task step.

A task step is the code a task runs between two checkpoints; while it runs,
nothing else on the loop can (no ping is answered, no frame is sent). Each
step's wall time is measured, less the time the operating system kept the
thread waiting for a CPU (`/proc/thread-self/schedstat`, Linux), so a busy
machine does not pass for blocking code while a blocking call (file or
database I/O, a sleep, a lock) still counts in full.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import time
from dataclasses import dataclass, field
from typing import Any

import trio

_SCHEDSTAT = "/proc/thread-self/schedstat"


@dataclass(order=True, frozen=True, slots=True)
class Step:
    held_ms: float
    wall_ms: float = field(compare=False)
    task: str = field(compare=False)
    paused_at: str = field(compare=False)


_TRIO = os.path.dirname(trio.__file__)


def paused_at(task: trio.lowlevel.Task) -> str:
    """Where the task's own code stopped at the end of its step (outside Trio itself)."""
    found = "?"
    coro: Any = task.coro
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is None:
            break
        if not frame.f_code.co_filename.startswith(_TRIO):
            found = f"{frame.f_code.co_filename}:{frame.f_lineno} ({frame.f_code.co_name})"
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return found


class LoopWatch(trio.abc.Instrument):
    """Create it on the loop's thread (inside `trio.run`), then `add_instrument` it."""

    def __init__(self, keep: int = 10) -> None:
        self._keep = keep
        self._worst: list[Step] = []
        self.steps = 0
        self._fd: int | None = None
        with contextlib.suppress(OSError):
            self._fd = os.open(_SCHEDSTAT, os.O_RDONLY)
        self._started_ns: int | None = None
        self._waited_ns = 0
        # Steps count only while armed: a caller may leave out start-up and shutdown.
        self.armed = True

    def _runqueue_wait_ns(self) -> int:
        """Nanoseconds this thread has spent runnable but without a CPU, so far."""
        if self._fd is None:
            return 0
        return int(os.pread(self._fd, 128, 0).split()[1])

    def before_task_step(self, task: trio.lowlevel.Task) -> None:
        if not self.armed:
            self._started_ns = None
            return
        self._waited_ns = self._runqueue_wait_ns()
        self._started_ns = time.perf_counter_ns()

    def after_task_step(self, task: trio.lowlevel.Task) -> None:
        if self._started_ns is None:
            return  # the step that added this instrument began before it watched
        wall_ns = time.perf_counter_ns() - self._started_ns
        held_ns = max(0, wall_ns - (self._runqueue_wait_ns() - self._waited_ns))
        self.steps += 1
        if len(self._worst) == self._keep and held_ns / 1e6 <= self._worst[0].held_ms:
            return
        step = Step(held_ns / 1e6, wall_ns / 1e6, task.name, paused_at(task))
        if len(self._worst) < self._keep:
            heapq.heappush(self._worst, step)
        else:
            heapq.heapreplace(self._worst, step)

    def report(self) -> dict[str, Any]:
        worst = sorted(self._worst, reverse=True)
        return {
            "steps": self.steps,
            "max_held_ms": worst[0].held_ms if worst else 0.0,
            "worst": [
                {
                    "held_ms": round(s.held_ms, 2),
                    "wall_ms": round(s.wall_ms, 2),
                    "task": s.task,
                    "paused_at": s.paused_at,
                }
                for s in worst
            ],
            "cpu_wait_excluded": self._fd is not None,
        }
