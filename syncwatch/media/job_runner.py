"""One ffmpeg attempt, supervised.

Owns the child process of a single transcode attempt: it starts ffmpeg in its
own process group with a lower priority and an address-space limit, drains
`-progress pipe:1` into `ProgressEvent`s, and runs the watchdog. The watchdog
ends the attempt when ffmpeg shows no progress for `stall_timeout_s` or runs
past a total deadline scaled to the video's duration: SIGTERM to the whole
group, SIGKILL `kill_grace_s` later. Cancelling the caller does the same, so a
cancelled attempt never leaves a process behind.

All timing uses Trio's clock, so tests drive the watchdog with MockClock.
Retries, storage and bookkeeping are the pool's business, not this module's.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import trio

from syncwatch.blocking import run_blocking
from syncwatch.media.progress import ProgressEvent, ProgressParser


@dataclass(frozen=True, slots=True)
class ProcessLimits:
    # Spec 4.6.4 / 8.7.2.
    nice: int = 10
    memory_bytes: int | None = 4 * 1024**3
    stall_timeout_s: float = 120.0
    kill_grace_s: float = 10.0
    # Total deadline: floor + factor x media duration. A 3-hour source gets
    # 5 min + 3 h on the default factor of 1.0, which a 2-core host needs for
    # a three-rendition ladder (see docs/adr/0005-transcode-ladder.md).
    timeout_floor_s: float = 300.0
    timeout_per_media_second: float = 1.0

    def total_timeout_s(self, duration_s: float) -> float:
        return self.timeout_floor_s + self.timeout_per_media_second * max(duration_s, 0.0)


class TranscodeFailed(Exception):
    """An attempt failed. `reason` is a metric label and the user-visible error.

    Reasons: `stalled`, `timeout`, `out_of_memory`, `crashed` (killed by a
    signal), `undecodable`, `disk_full`, `ffmpeg_error`; the pool adds
    `source_missing` and `internal_error`.
    """

    RETRYABLE = frozenset(
        {"stalled", "timeout", "crashed", "disk_full", "ffmpeg_error", "internal_error"}
    )

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    @property
    def retryable(self) -> bool:
        return self.reason in self.RETRYABLE


async def run_ffmpeg(
    argv: list[str],
    *,
    duration_s: float,
    log_path: Path,
    limits: ProcessLimits | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    on_spawn: Callable[[int], None] | None = None,
) -> None:
    """Run one ffmpeg attempt to completion; raise `TranscodeFailed` otherwise.

    `argv` must contain `-progress pipe:1`. ffmpeg's own log goes to `log_path`.
    `on_spawn` receives the pid (which is also the process group id).
    """
    limits = limits or ProcessLimits()
    parser = ProgressParser(duration_s)
    command = _niced(argv, limits.nice)
    log = await run_blocking("files", log_path.open, "wb", buffering=0)
    try:
        async with trio.open_nursery() as nursery:
            process: trio.Process = await nursery.start(
                partial(
                    trio.run_process,
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    check=False,
                    start_new_session=True,
                    preexec_fn=partial(_prepare_child, limits.memory_bytes),
                    deliver_cancel=partial(terminate_process_group, grace_s=limits.kill_grace_s),
                )
            )
            # Deadlines count from the moment ffmpeg exists.
            watchdog = _Watchdog(limits, duration_s)
            nursery.start_soon(watchdog.run, process)
            if on_spawn is not None:
                on_spawn(process.pid)
            assert process.stdout is not None
            # Drain until EOF even after a kill: a full pipe would block ffmpeg.
            async for chunk in process.stdout:
                for event in parser.feed(bytes(chunk)):
                    watchdog.saw_progress(event)
                    if on_progress is not None:
                        on_progress(event)
            await process.wait()
            watchdog.stop()
    finally:
        with trio.CancelScope(shield=True):
            await run_blocking("files", log.close)
    if watchdog.verdict is not None:
        raise watchdog.verdict
    if process.returncode:
        tail = await run_blocking("files", _log_tail, log_path)
        raise _failure_from_exit(process.returncode, tail)


async def terminate_process_group(process: trio.Process, *, grace_s: float = 10.0) -> None:
    """SIGTERM the process's group, then SIGKILL it if it outlives `grace_s`.

    Used as `deliver_cancel` too, where Trio runs it shielded: the process is
    reaped by `run_process` itself once it dies.
    """
    _signal_group(process, signal.SIGTERM)
    with trio.move_on_after(grace_s):
        await process.wait()
        return
    _signal_group(process, signal.SIGKILL)
    await process.wait()


class _Watchdog:
    def __init__(self, limits: ProcessLimits, duration_s: float) -> None:
        self._limits = limits
        self._started_at = trio.current_time()
        self._deadline = self._started_at + limits.total_timeout_s(duration_s)
        self._last_progress_at = self._started_at
        self._best_out_time = -1.0
        self._scope = trio.CancelScope()
        self.verdict: TranscodeFailed | None = None

    def saw_progress(self, event: ProgressEvent) -> None:
        # Only forward movement counts: ffmpeg repeating the same out_time
        # while stuck on a broken input is not progress.
        if event.out_time_s > self._best_out_time or event.finished:
            self._best_out_time = event.out_time_s
            self._last_progress_at = trio.current_time()

    def stop(self) -> None:
        self._scope.cancel()

    async def run(self, process: trio.Process) -> None:
        with self._scope:
            while True:
                stall_at = self._last_progress_at + self._limits.stall_timeout_s
                wake_at = min(stall_at, self._deadline)
                if trio.current_time() < wake_at:
                    await trio.sleep_until(wake_at)
                    continue
                if self._deadline < stall_at:
                    self.verdict = TranscodeFailed(
                        "timeout", f"still running after {self._deadline - self._started_at:.0f} s"
                    )
                else:
                    self.verdict = TranscodeFailed(
                        "stalled", f"no progress for {self._limits.stall_timeout_s:.0f} s"
                    )
                await terminate_process_group(process, grace_s=self._limits.kill_grace_s)
                return


def _signal_group(process: trio.Process, signum: signal.Signals) -> None:
    if process.returncode is not None:
        return
    # The child leads its own session, so its group id is its pid.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _prepare_child(memory_bytes: int | None) -> None:  # runs in the child, before exec
    # No PR_SET_PDEATHSIG here: Trio spawns from a worker thread, and the kernel
    # would kill ffmpeg as soon as that (cached, short-lived) thread exits.
    # Orphans of a crashed server are ended by the pool's start-up sweep instead.
    if memory_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _niced(argv: list[str], niceness: int) -> list[str]:
    nice = shutil.which("nice")
    if niceness <= 0 or nice is None:
        return argv
    return [nice, "-n", str(niceness), *argv]


_LOG_TAIL_BYTES = 4096


def _log_tail(log_path: Path) -> str:
    """The end of ffmpeg's log, where it says why it gave up."""
    try:
        with log_path.open("rb") as log:
            log.seek(max(0, log_path.stat().st_size - _LOG_TAIL_BYTES))
            return log.read().decode(errors="replace")
    except OSError:
        return ""


def _failure_from_exit(returncode: int, tail: str) -> TranscodeFailed:
    last_line = next((ln for ln in reversed(tail.strip().splitlines()) if ln.strip()), "")
    lowered = tail.lower()
    if returncode < 0:
        return TranscodeFailed("crashed", f"ffmpeg died from signal {-returncode}")
    if "cannot allocate memory" in lowered or "out of memory" in lowered:
        return TranscodeFailed("out_of_memory", last_line[:300])
    if "no space left" in lowered:
        return TranscodeFailed("disk_full", last_line[:300])
    if "invalid data found" in lowered or "error while decoding" in lowered:
        return TranscodeFailed("undecodable", last_line[:300])
    return TranscodeFailed("ffmpeg_error", last_line[:300] or f"exit status {returncode}")
