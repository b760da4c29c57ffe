"""Where was each player, and where should it have been? Pure arithmetic over
what tasks/browser_probe.js recorded in the pages; no browser, no I/O.

Records (all times in ms):
- state: `{"effectiveAt": server time, "type": ..., "state": PlaybackState}`;
- frame: `{"at": local time the frame is on screen, "media": its media time,
  "rate": the element's playbackRate, "offset": the page's server-minus-local
  clock offset estimate}`;
- media event: `{"at": local time, "type": "seeking" | "ratechange" | ..., "rate"}`.

All pages run on one machine, so their local clocks (`performance.timeOrigin +
performance.now()`) are one clock: positions of different pages at the same
local instant can be compared directly. That is the inter-client drift people
see. The error of one page against the room's timeline uses that page's own
clock offset estimate, as the page itself does.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Record = Mapping[str, Any]


def expected_position(states: Sequence[Record], server_ms: float) -> float | None:
    """The room's position at server time T (CONTRACT.md §2), from the state in force then."""
    in_force: Record | None = None
    for entry in states:
        if entry["effectiveAt"] <= server_ms and (
            in_force is None or entry["state"]["sequenceNumber"] >= in_force["sequenceNumber"]
        ):
            in_force = entry["state"]
    if in_force is None or in_force["sourceType"] is None:
        return None
    anchor_media = float(in_force["anchorMediaTimeMs"])
    if not in_force["isPlaying"] or server_ms < in_force["anchorServerTimeMs"]:
        return anchor_media
    return anchor_media + (server_ms - in_force["anchorServerTimeMs"]) * in_force["playbackRate"]


def frame_errors(frames: Sequence[Record], states: Sequence[Record]) -> list[tuple[float, float]]:
    """(local time, media time - expected position) for every presented frame."""
    errors = []
    for frame in frames:
        expected = expected_position(states, frame["at"] + frame["offset"])
        if expected is not None:
            errors.append((float(frame["at"]), frame["media"] - expected))
    return errors


def position_at(frames: Sequence[Record], times: Sequence[float], at: float) -> float | None:
    """The page's media position at local time `at`, from the last frame shown before it.

    `times` is `[f["at"] for f in frames]` (sorted). None when no frame was shown
    in the 100 ms before `at` (paused, stalled, or seeking: not a position people see move).
    """
    index = bisect.bisect_right(times, at) - 1
    if index < 0 or at - times[index] > 100:
        return None
    frame = frames[index]
    return float(frame["media"] + (at - frame["at"]) * frame["rate"])


def spread_series(
    per_client: Sequence[Sequence[Record]], start: float, end: float, step: float = 20
) -> list[tuple[float, float]]:
    """(local time, max - min position across clients) on a regular grid; instants
    where some client shows no moving picture are left out."""
    timelines = [(frames, [f["at"] for f in frames]) for frames in per_client]
    series = []
    at = start
    while at <= end:
        positions = [position_at(frames, times, at) for frames, times in timelines]
        if all(p is not None for p in positions):
            values = [p for p in positions if p is not None]
            series.append((at, max(values) - min(values)))
        at += step
    return series


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (`fraction` in 0..1); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class Summary:
    p50: float
    p95: float
    maximum: float
    count: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        return cls(
            p50=percentile(values, 0.5),
            p95=percentile(values, 0.95),
            maximum=max(values) if values else math.nan,
            count=len(values),
        )


def outside(windows: Sequence[tuple[float, float]], at: float) -> bool:
    return not any(start <= at < end for start, end in windows)


def converged_at(
    series: Sequence[tuple[float, float]], after: float, within: float, hold: float = 1000
) -> float | None:
    """First time ≥ `after` from which the spread stays ≤ `within` for `hold` ms."""
    candidate: float | None = None
    for at, spread in series:
        if at < after:
            continue
        if spread <= within:
            if candidate is None:
                candidate = at
            if at - candidate >= hold:
                return candidate
        else:
            candidate = None
    return None


def corrections(
    events: Sequence[Record], base_rate_at: Any, windows: Sequence[tuple[float, float]]
) -> int:
    """Seeks and switches away from the room's rate made outside `windows`
    (the moments right after commands, when seeking and switching is the command itself)."""
    count = 0
    for event in events:
        if not outside(windows, event["at"]):
            continue
        switched_away = event["type"] == "ratechange" and not math.isclose(
            event["rate"], base_rate_at(event["at"]), rel_tol=1e-6
        )
        if event["type"] == "seeking" or switched_away:
            count += 1
    return count
