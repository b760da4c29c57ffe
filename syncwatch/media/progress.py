"""Parsing what `ffmpeg -progress pipe:1` writes.

ffmpeg prints blocks of `key=value` lines, each block closed by
`progress=continue` (or `progress=end` for the last one). This is a sans-I/O
parser: feed it bytes as they arrive, get `ProgressEvent`s back. It knows the
probed duration so it can turn `out_time_us` into a percentage.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    out_time_s: float
    # 0..100; reaches 100 only with the final block, so "100" means "done".
    percent: float
    # Encoding speed relative to real time (2.0 = twice as fast), None if unknown.
    speed: float | None
    frame: int | None
    finished: bool


class ProgressParser:
    """Turns chunks of ffmpeg's progress output into events."""

    def __init__(self, duration_s: float) -> None:
        self._duration_s = duration_s
        self._buffer = b""
        self._fields: dict[str, str] = {}

    def feed(self, chunk: bytes) -> list[ProgressEvent]:
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        events = []
        for raw in lines:
            key, sep, value = raw.decode(errors="replace").strip().partition("=")
            if not sep:
                continue
            if key == "progress":
                events.append(self._event(finished=value == "end"))
                self._fields = {}
            else:
                self._fields[key] = value
        return events

    def _event(self, *, finished: bool) -> ProgressEvent:
        out_time_s = _out_time_seconds(self._fields)
        if finished:
            percent = 100.0
        elif self._duration_s > 0:
            percent = min(99.9, max(0.0, out_time_s / self._duration_s * 100.0))
        else:
            percent = 0.0
        return ProgressEvent(
            out_time_s=out_time_s,
            percent=percent,
            speed=_speed(self._fields.get("speed")),
            frame=_int(self._fields.get("frame")),
            finished=finished,
        )


def _out_time_seconds(fields: dict[str, str]) -> float:
    # `out_time_ms` is, despite its name, microseconds too; prefer the explicit key.
    for key in ("out_time_us", "out_time_ms"):
        value = _int(fields.get(key))
        if value is not None and value >= 0:
            return value / 1_000_000
    return 0.0


def _speed(value: str | None) -> float | None:
    if not value or not value.endswith("x"):
        return None
    try:
        return float(value[:-1])
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
