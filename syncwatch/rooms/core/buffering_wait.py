"""`BufferingWait`: the room waiting for a member whose player stalled, as a value.

Owns the owner's threshold (`threshold_ms`, 0: never wait), who stalled since
when, whom the room is waiting for, whether the room paused itself to wait,
when it resumes, and who is left out of waiting for stalling too often. The
rules that use it are in `buffering`; time is passed in.

Hysteresis, so it never loops: a stall counts only after `threshold_ms`; the
room resumes `RESUME_SETTLE_MS` after the last member it waited for recovered
(a new stall before then keeps it waiting); and a member whose stalls paused
the room `STALLS_TO_LEAVE_OUT` times within `STALL_WINDOW_MS` is left out of
waiting for `LEFT_OUT_MS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from syncwatch.protocol import server_messages as out

DEFAULT_THRESHOLD_MS = 1_000
RESUME_SETTLE_MS = 300
STALLS_TO_LEAVE_OUT = 3
STALL_WINDOW_MS = 120_000
LEFT_OUT_MS = 10 * 60_000
RESUME_COUNTDOWN_MS = 1_000
"""The short countdown before the resume, in a room that started with a countdown."""


def _empty() -> Mapping[str, int]:
    return {}


def _no_stalls() -> Mapping[str, tuple[int, ...]]:
    return {}


@dataclass(frozen=True, slots=True)
class BufferingWait:
    threshold_ms: int = DEFAULT_THRESHOLD_MS
    stalled_since: Mapping[str, int] = field(default_factory=_empty)
    waiting_for: tuple[str, ...] = ()
    paused_by_wait: bool = False
    resume_at_ms: int | None = None
    stalls: Mapping[str, tuple[int, ...]] = field(default_factory=_no_stalls)
    """When each member's stalls paused the room (the last `STALL_WINDOW_MS`)."""
    left_out_until: Mapping[str, int] = field(default_factory=_empty)
    uses_countdown: bool = False
    """The room last started with a countdown: the resume gets a short one too."""

    @property
    def enabled(self) -> bool:
        return self.threshold_ms > 0

    def is_left_out(self, participant_id: str, now_ms: int) -> bool:
        return self.left_out_until.get(participant_id, 0) > now_ms

    def with_threshold(self, threshold_ms: int) -> BufferingWait:
        changed = replace(self, threshold_ms=threshold_ms)
        return changed if threshold_ms > 0 else changed.ended()

    def stalled(self, participant_id: str, now_ms: int) -> BufferingWait:
        """A member's player stalled (a stall already known keeps its start)."""
        if self.paused_by_wait:
            # The room is already waiting (or about to resume): it waits for them too.
            waiting = self.waiting_for
            if participant_id not in waiting:
                waiting = (*waiting, participant_id)
            return replace(self, waiting_for=waiting, resume_at_ms=None)
        if participant_id in self.stalled_since:
            return self
        return replace(self, stalled_since={**self.stalled_since, participant_id: now_ms})

    def recovered(self, participant_id: str, now_ms: int) -> BufferingWait:
        """A member's player has buffered (or they left): resume once nobody is waited for."""
        since = {p: t for p, t in self.stalled_since.items() if p != participant_id}
        waiting = tuple(p for p in self.waiting_for if p != participant_id)
        resume_at = self.resume_at_ms
        if self.paused_by_wait and not waiting and resume_at is None:
            resume_at = now_ms + RESUME_SETTLE_MS
        return replace(self, stalled_since=since, waiting_for=waiting, resume_at_ms=resume_at)

    def overdue(self, now_ms: int) -> list[str]:
        """Members stalled for `threshold_ms` whom the room is not waiting for yet."""
        return [
            p
            for p, since in self.stalled_since.items()
            if p not in self.waiting_for and now_ms >= since + self.threshold_ms
        ]

    def counted_stall(self, participant_id: str, now_ms: int) -> tuple[BufferingWait, bool]:
        """Count one stall that pauses the room; True when it is one too many (left out)."""
        recent = tuple(
            t for t in self.stalls.get(participant_id, ()) if t > now_ms - STALL_WINDOW_MS
        )
        recent = (*recent, now_ms)
        stalls = {**self.stalls, participant_id: recent}
        if len(recent) >= STALLS_TO_LEAVE_OUT:
            since = {p: t for p, t in self.stalled_since.items() if p != participant_id}
            left_out = {**self.left_out_until, participant_id: now_ms + LEFT_OUT_MS}
            return replace(self, stalls=stalls, stalled_since=since, left_out_until=left_out), True
        return replace(
            self,
            stalls=stalls,
            waiting_for=(*self.waiting_for, participant_id),
            resume_at_ms=None,
        ), False

    def paused(self) -> BufferingWait:
        return replace(self, paused_by_wait=True)

    def ended(self) -> BufferingWait:
        """No longer waiting (resumed, someone drove playback, or waiting was turned off)."""
        return replace(
            self, stalled_since={}, waiting_for=(), paused_by_wait=False, resume_at_ms=None
        )

    def next_deadline_ms(self) -> int | None:
        deadlines = [
            since + self.threshold_ms
            for p, since in self.stalled_since.items()
            if p not in self.waiting_for
        ]
        if self.resume_at_ms is not None:
            deadlines.append(self.resume_at_ms)
        return min(deadlines, default=None)

    def view(self, now_ms: int) -> out.WaitingData:
        return out.WaitingData(
            waiting_for=list(self.waiting_for),
            resumes_at=self.resume_at_ms,
            left_out=sorted(p for p, until in self.left_out_until.items() if until > now_ms),
        )
