"""Playback anchors: where the video is at a given server time, and when a command takes effect.

Owns the arithmetic of the sync model and nothing else: no clock, no I/O. A
playback state is an *anchor* (a server time and the media position at that
time) plus a rate and whether it is playing. Every command re-anchors at the
instant it takes effect, so the position is continuous across pause, play and
rate changes, and any member can compute the position at any server time.

A state whose video length is known (`duration_ms`) never reports a position
past it: the position stops at the end, every re-anchoring and seek is clamped
to `[0, duration]`, and a PLAY from the end starts again from the beginning.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from syncwatch.protocol.vocabulary import SourceType

MIN_LEAD_MS = 80
MAX_LEAD_MS = 400
UNKNOWN_RTT_MS = 100.0
# Time a client needs between receiving a command and acting on it on the video
# element (decode, scheduling one animation frame, a seek's own latency).
CLIENT_APPLY_MARGIN_MS = 50.0

MIN_RATE = 0.25
MAX_RATE = 2.0


@dataclass(frozen=True, slots=True)
class PlaybackState:
    """The state in force from `anchor_server_time_ms` on (CONTRACT §2 PlaybackState)."""

    room_id: str
    source_type: SourceType | None = None
    source_id: str | None = None
    is_playing: bool = False
    playback_rate: float = 1.0
    anchor_server_time_ms: int = 0
    anchor_media_time_ms: float = 0.0
    sequence_number: int = 0
    duration_ms: float | None = None
    """The video's length once the room knows it (upload probe or a member's report)."""

    def position_at(self, t_ms: float) -> float:
        """Media position (ms) at server time `t_ms`.

        While playing: `anchorMediaTimeMs + (T - anchorServerTimeMs) * playbackRate`.
        Before the anchor (a command scheduled `lead` ms ahead and not yet in
        force) the position holds at the anchor: nothing moves before the
        instant every member applies the command together.
        """
        if not self.is_playing:
            return self.clamped(self.anchor_media_time_ms)
        elapsed = max(0.0, t_ms - self.anchor_server_time_ms)
        return self.clamped(self.anchor_media_time_ms + elapsed * self.playback_rate)

    def clamped(self, position_ms: float) -> float:
        """`position_ms` within `[0, duration]` (only the floor while the length is unknown)."""
        position = max(0.0, position_ms)
        return position if self.duration_ms is None else min(position, self.duration_ms)

    def end_server_time_ms(self) -> float | None:
        """The server time at which a playing video reaches its end (None: paused or
        the length is unknown)."""
        if not self.is_playing or self.duration_ms is None:
            return None
        remaining = max(0.0, self.duration_ms - self.anchor_media_time_ms)
        return self.anchor_server_time_ms + remaining / self.playback_rate

    def is_at_end(self, t_ms: float) -> bool:
        return self.duration_ms is not None and self.position_at(t_ms) >= self.duration_ms

    def _anchored(self, at_ms: int, **changes: object) -> PlaybackState:
        position = self.position_at(at_ms)
        # A command issued before the previous one took effect must not move the
        # anchor backwards in time: it takes effect no earlier than that one.
        at = max(at_ms, self.anchor_server_time_ms)
        return replace(self, anchor_server_time_ms=at, anchor_media_time_ms=position, **changes)  # type: ignore[arg-type]

    def played(self, at_ms: int) -> PlaybackState:
        """Play from where it is; from the beginning when it stands at the end (Replay)."""
        if self.is_at_end(at_ms):
            return replace(self.sought(at_ms, 0.0), is_playing=True)
        return self._anchored(at_ms, is_playing=True)

    def paused(self, at_ms: int) -> PlaybackState:
        return self._anchored(at_ms, is_playing=False)

    def sought(self, at_ms: int, target_media_time_ms: float) -> PlaybackState:
        at = max(at_ms, self.anchor_server_time_ms)
        target = self.clamped(target_media_time_ms)
        return replace(self, anchor_server_time_ms=at, anchor_media_time_ms=target)

    def ended(self, at_ms: int) -> PlaybackState:
        """Paused at the end for good: the position is exactly the duration."""
        assert self.duration_ms is not None
        return replace(self.sought(at_ms, self.duration_ms), is_playing=False)

    def with_duration(self, duration_ms: float) -> PlaybackState:
        """The video's length is known now; the anchors keep their meaning (no new number)."""
        return replace(self, duration_ms=duration_ms)

    def with_rate(self, at_ms: int, rate: float) -> PlaybackState:
        """Re-anchor at the switch so the position is continuous across the change."""
        return self._anchored(at_ms, playback_rate=rate)

    def with_source(self, at_ms: int, source_type: SourceType, source_id: str) -> PlaybackState:
        """A new video starts paused at its beginning; the rate is kept, its length is
        learnt afresh."""
        return replace(
            self,
            source_type=source_type,
            source_id=source_id,
            is_playing=False,
            anchor_server_time_ms=max(at_ms, self.anchor_server_time_ms),
            anchor_media_time_ms=0.0,
            duration_ms=None,
        )

    def numbered(self, sequence_number: int) -> PlaybackState:
        return replace(self, sequence_number=sequence_number)


def lead_ms(rtts_ms: Iterable[float | None]) -> int:
    """How far ahead of now a command is scheduled so every member can apply it in time.

    `lead = max(RTT) + 50 ms`, clamped to [80, 400] ms; an unknown RTT counts as 100 ms.

    Why: the command travels server→client, one way, about RTT/2. The full RTT
    (twice the one-way estimate) absorbs asymmetric paths and jitter without
    measuring them, and the 50 ms margin covers the client's own work before
    the video element reacts. The slowest member sets the pace because the
    command must be in every member's hands before `atServerTime`. The floor
    keeps a local room from scheduling inside one frame of scheduling noise;
    the ceiling keeps a bad link from making the room feel sluggish: a member
    slower than that applies the command late and catches up with a
    lead-compensated seek.
    """
    known = [UNKNOWN_RTT_MS if rtt is None else max(0.0, float(rtt)) for rtt in rtts_ms]
    worst = max(known, default=UNKNOWN_RTT_MS)
    raw = math.ceil(worst + CLIENT_APPLY_MARGIN_MS)
    return max(MIN_LEAD_MS, min(MAX_LEAD_MS, raw))
