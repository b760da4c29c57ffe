"""What browsers report about their voice connections, turned into metrics.

Owns `syncwatch_ice_failures_total{failure_reason}`,
`syncwatch_turn_usage_percent` (the share of recently established connections
that go through the TURN relay), `syncwatch_voice_join_ms` and one log line per
voice join. Failure reasons are a closed set so a client cannot grow the
label space.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from syncwatch.observability.logs import get_logger

log = get_logger("syncwatch.voice")

FAILURE_REASONS = frozenset(
    {
        "ice_failed",  # ICE reached `failed` (and restarts did not help)
        "timeout",  # never connected within the client's deadline (e.g. a wrong TURN secret)
        "turn_unauthorized",  # coturn answered 401 to the credentials
        "turn_unreachable",  # no answer from the TURN server
        "disconnected",  # an established connection dropped and did not come back
    }
)
OTHER_REASON = "other"

# Enough recent connections for a stable share, few enough to follow a change within minutes.
RELAY_WINDOW = 500


@dataclass(frozen=True, slots=True)
class VoiceJoinReport:
    user_id: str
    peers: int | None
    connected: int
    relayed: int
    join_ms: int | None
    ice_failures: tuple[str, ...]

    @property
    def succeeded(self) -> bool:
        expected = self.peers if self.peers is not None else self.connected
        return not self.ice_failures and self.connected >= expected


def failure_reason(raw: str) -> str:
    return raw if raw in FAILURE_REASONS else OTHER_REASON


class VoiceTelemetry:
    def __init__(self, registry: CollectorRegistry, *, window: int = RELAY_WINDOW) -> None:
        self.ice_failures = Counter(
            "syncwatch_ice_failures_total",
            "Voice peer connections that failed, by reason, as reported by browsers.",
            ("failure_reason",),
            registry=registry,
        )
        self.turn_usage = Gauge(
            "syncwatch_turn_usage_percent",
            f"Share of the last {window} established voice connections relayed through TURN.",
            registry=registry,
        )
        self.join_time = Histogram(
            "syncwatch_voice_join_ms",
            "From voice:join to every peer connected, in milliseconds.",
            # Beyond the 10 s alert threshold, so the p95 can be seen to cross it.
            buckets=(50, 100, 200, 400, 700, 1000, 1500, 2500, 5000, 10000, 20000, 30000),
            registry=registry,
        )
        self.joins = Counter(
            "syncwatch_voice_joins_total",
            "Voice joins reported by browsers, by outcome.",
            ("outcome",),
            registry=registry,
        )
        # One entry per established connection: True when it is relayed.
        self._recent: deque[bool] = deque(maxlen=window)
        for reason in (*sorted(FAILURE_REASONS), OTHER_REASON):
            self.ice_failures.labels(failure_reason=reason)

    @property
    def turn_usage_percent(self) -> float:
        if not self._recent:
            return 0.0
        return 100.0 * sum(self._recent) / len(self._recent)

    def record(self, report: VoiceJoinReport) -> None:
        for raw in report.ice_failures:
            self.ice_failures.labels(failure_reason=failure_reason(raw)).inc()
        relayed = min(report.relayed, report.connected)
        self._recent.extend([True] * relayed + [False] * (report.connected - relayed))
        self.turn_usage.set(self.turn_usage_percent)
        if report.join_ms is not None and report.connected:
            self.join_time.observe(report.join_ms)
        outcome = "connected" if report.succeeded else "failed"
        self.joins.labels(outcome=outcome).inc()
        log.info(
            "voice join",
            user_id=report.user_id,
            success=report.succeeded,
            join_ms=report.join_ms,
            peers=report.peers,
            connected=report.connected,
            relayed=relayed,
            ice_failures=[failure_reason(raw) for raw in report.ice_failures],
        )
