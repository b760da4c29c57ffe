"""Prometheus metrics of one server process.

Each application builds its own `Metrics` with its own registry (so tests may
run several apps in one process without clashing); `/metrics` renders it.
Metric names follow the specification (section 8.2): `syncwatch_*`.

Gauges that are cheaper to read than to keep current (the transcode queue, the
readiness of dependencies) are refreshed by scrape hooks that `/metrics`
awaits before rendering, each bounded by `SCRAPE_HOOK_TIMEOUT_S`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import trio
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import (
    gc_collector as _gc,
)
from prometheus_client import (
    platform_collector as _platform,
)
from prometheus_client import (
    process_collector as _process,
)

from syncwatch import __version__
from syncwatch.observability.logs import get_logger

log = get_logger("syncwatch.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_LATENCY_SECONDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
SCRAPE_HOOK_TIMEOUT_S = 3.0
ScrapeHook = Callable[[], Awaitable[None]]

_MILLISECONDS = (1, 2, 5, 10, 25, 50, 100, 200, 300, 500, 1000, 2000, 5000)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        _process.ProcessCollector(registry=self.registry)
        _platform.PlatformCollector(registry=self.registry)
        _gc.GCCollector(registry=self.registry)
        r = self.registry

        self.build_info = Gauge(
            "syncwatch_build_info", "Always 1; the labels say what runs.", ("version",), registry=r
        )
        self.build_info.labels(__version__).set(1)
        self.ready = Gauge(
            "syncwatch_ready",
            "1 while /health/ready would answer 200, else 0 (checked at each scrape).",
            registry=r,
        )
        self.readiness_check_up = Gauge(
            "syncwatch_readiness_check_up",
            "1 when the named readiness check passed at the last scrape, else 0.",
            ("check",),
            registry=r,
        )

        self.http_requests = Counter(
            "syncwatch_http_requests_total",
            "HTTP requests served, by route template and status.",
            ("method", "route", "status"),
            registry=r,
        )
        self.http_latency = Histogram(
            "syncwatch_http_request_duration_seconds",
            "Time to produce an HTTP response.",
            ("method", "route"),
            buckets=_LATENCY_SECONDS,
            registry=r,
        )
        self.rate_limited = Counter(
            "syncwatch_rate_limited_total",
            "Requests refused by a rate limit.",
            ("limit",),
            registry=r,
        )
        # Rooms and sync (section 8.2).
        self.active_rooms = Gauge(
            "syncwatch_active_rooms", "Rooms live in this process.", registry=r
        )
        self.connected_clients = Gauge(
            "syncwatch_connected_clients", "WebSocket clients connected.", registry=r
        )
        self.participants_per_room = Histogram(
            "syncwatch_participants_per_room",
            "Members of a room, sampled on every join and leave.",
            buckets=(1, 2, 3, 4, 5),
            registry=r,
        )
        self.playback_drift = Histogram(
            "syncwatch_playback_drift_ms",
            "Absolute playback drift reported by clients, in milliseconds.",
            buckets=(5, 10, 20, 33, 50, 100, 200, 300, 500, 1000, 2000, 5000),
            registry=r,
        )
        self.sync_command_latency = Histogram(
            "syncwatch_sync_command_latency_ms",
            "From receipt of a sync command to its broadcast, in milliseconds.",
            ("command_type",),
            # Beyond the 1000 ms alert threshold, so the p95 can be seen to cross it.
            buckets=(0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 300, 1000, 2500, 5000),
            registry=r,
        )
        self.ws_rtt = Histogram(
            "syncwatch_ws_rtt_ms",
            "Round-trip times measured by clients over the room WebSocket.",
            buckets=_MILLISECONDS,
            registry=r,
        )
        self.ws_closed = Counter(
            "syncwatch_ws_closed_total",
            "WebSocket connections closed by the server, by close code.",
            ("code",),
            registry=r,
        )

    async def refresh(self, hooks: Sequence[ScrapeHook]) -> None:
        """Run the scrape hooks at once; a slow or failing hook leaves its gauges as they were."""

        async def bounded(hook: ScrapeHook) -> None:
            with trio.move_on_after(SCRAPE_HOOK_TIMEOUT_S):
                try:
                    await hook()
                except Exception:
                    log.exception("a metrics scrape hook failed")

        async with trio.open_nursery() as nursery:
            for hook in hooks:
                nursery.start_soon(bounded, hook)

    def render(self) -> bytes:
        return generate_latest(self.registry)
