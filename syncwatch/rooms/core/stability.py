"""`Stability`: how steady each member's connection has been lately, for handover.

Owns the recent round-trip samples and reconnects of every participant seen
in the room (kept after they leave, so coming back counts as a reconnect) and
the ranking the owner failover uses: fewest reconnects first, then the lowest
RTT variance, then the earliest joiner. Only the last `WINDOW_MS` counts. A
value: every change returns a new one. Time is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import pvariance

WINDOW_MS = 5 * 60_000
"""Samples and reconnects older than this no longer count."""
MAX_SAMPLES = 64
"""RTT samples kept per member (clients send a few a minute)."""


@dataclass(frozen=True, slots=True)
class ConnectionRecord:
    rtts: tuple[tuple[int, float], ...] = ()
    """(at_ms, rtt_ms), oldest first."""
    reconnects: tuple[int, ...] = ()
    """When the member came back after a dropped or replaced connection."""

    def pruned(self, now_ms: int) -> ConnectionRecord:
        since = now_ms - WINDOW_MS
        rtts = self.rtts[-MAX_SAMPLES:]
        if rtts and rtts[0][0] < since:
            rtts = tuple(sample for sample in rtts if sample[0] >= since)
        reconnects = self.reconnects
        if reconnects and reconnects[0] < since:
            reconnects = tuple(at for at in reconnects if at >= since)
        # Every RTT sample of every member comes through here (several a second per room):
        # oldest first, so when the oldest kept is recent enough nothing else is filtered.
        if rtts is self.rtts and reconnects is self.reconnects:
            return self
        return ConnectionRecord(rtts, reconnects)

    def rtt_variance(self) -> float | None:
        """Population variance of the recent RTTs; None below two samples."""
        if len(self.rtts) < 2:
            return None
        return pvariance([rtt for _, rtt in self.rtts])


def _no_records() -> Mapping[str, ConnectionRecord]:
    return {}


@dataclass(frozen=True, slots=True)
class Stability:
    records: Mapping[str, ConnectionRecord] = field(default_factory=_no_records)

    def record(self, participant_id: str) -> ConnectionRecord:
        return self.records.get(participant_id, ConnectionRecord())

    def with_rtt(self, participant_id: str, now_ms: int, rtt_ms: float) -> Stability:
        record = self.record(participant_id)
        updated = ConnectionRecord((*record.rtts, (now_ms, rtt_ms)), record.reconnects)
        return self._with(participant_id, updated.pruned(now_ms))

    def with_reconnect(self, participant_id: str, now_ms: int) -> Stability:
        record = self.record(participant_id)
        updated = ConnectionRecord(record.rtts, (*record.reconnects, now_ms))
        return self._with(participant_id, updated.pruned(now_ms))

    def with_arrival(self, participant_id: str) -> Stability:
        """A first arrival: nothing to count yet, but a later return is a reconnect."""
        return self._with(participant_id, self.record(participant_id))

    def seen(self, participant_id: str) -> bool:
        return participant_id in self.records

    def ranked(self, candidates: Sequence[str], now_ms: int) -> list[str]:
        """`candidates` (earliest joiner first) from the steadiest connection to the shakiest:
        fewest recent reconnects, then lowest RTT variance (a member with fewer than two
        samples ranks after those with a measure), then the given order."""

        def key(item: tuple[int, str]) -> tuple[int, int, float, int]:
            position, participant_id = item
            record = self.record(participant_id).pruned(now_ms)
            variance = record.rtt_variance()
            return (
                len(record.reconnects),
                variance is None,
                variance if variance is not None else 0.0,
                position,
            )

        return [pid for _, pid in sorted(enumerate(candidates), key=key)]

    def _with(self, participant_id: str, record: ConnectionRecord) -> Stability:
        return Stability({**self.records, participant_id: record})
