"""Operational endpoints: `/health/live`, `/health/ready`, `/metrics` (spec 8.4, 8.6).

Readiness runs every configured check at once: the database, Redis when
configured, the TURN server when `SYNCWATCH_TURN_URLS` is set, and the
components' own (every core service running, media storage answering).
`/metrics` runs the same checks at each scrape, so `syncwatch_ready` and
`syncwatch_readiness_check_up{check}` tell Prometheus what `/health/ready`
would answer.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import Any

import trio
from quart import Blueprint, Response

from syncwatch.http.operations import Operation, Reply
from syncwatch.http.responses import Live, Readiness, reply
from syncwatch.observability.metrics import CONTENT_TYPE, ScrapeHook
from syncwatch.services import Services
from syncwatch.voice.turn_probe import probe_turn

CHECK_TIMEOUT_S = 3.0

Check = Callable[[], Awaitable[Any]]


async def run_check(check: Check) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with trio.fail_after(CHECK_TIMEOUT_S):
            await check()
    except trio.TooSlowError:
        return {"healthy": False, "error": f"no answer within {CHECK_TIMEOUT_S:.0f} s"}
    except Exception as error:
        return {"healthy": False, "error": f"{type(error).__name__}: {error}"[:300]}
    return {"healthy": True, "latencyMs": round((time.perf_counter() - started) * 1000, 2)}


OPERATIONS = (
    Operation("GET", "/health/live", "The process answers", {200: Reply("Alive", Live)}),
    Operation(
        "GET",
        "/health/ready",
        "Every configured dependency and core service answers (never cached)",
        {200: Reply("Ready", Readiness), 503: Reply("Not ready, with each check", Readiness)},
    ),
    Operation(
        "GET",
        "/metrics",
        "Prometheus metrics (`syncwatch_*`)",
        {200: Reply("Text exposition format", media_type="text/plain")},
    ),
)


def readiness_checks(services: Services, more: Mapping[str, Check]) -> dict[str, Check]:
    checks: dict[str, Check] = {services.db.dialect: services.db.ping}
    if services.fabric.kind == "redis":
        checks["redis"] = services.fabric.ping
    if services.settings.turn_urls:
        checks["turn"] = partial(probe_turn, services.settings.turn_urls)
    checks.update(more)
    return checks


async def check_readiness(
    services: Services, more: Mapping[str, Check]
) -> tuple[bool, dict[str, dict[str, Any]]]:
    """Every readiness check, at once; the results also land in the metrics."""
    results: dict[str, dict[str, Any]] = {}

    async def one(name: str, check: Check) -> None:
        results[name] = await run_check(check)

    async with trio.open_nursery() as nursery:
        for name, check in readiness_checks(services, more).items():
            nursery.start_soon(one, name, check)
    if services.shutting_down.is_set():
        results["server"] = {"healthy": False, "error": "shutting down"}
    healthy = all(result["healthy"] for result in results.values())
    for name, result in results.items():
        services.metrics.readiness_check_up.labels(name).set(1 if result["healthy"] else 0)
    services.metrics.ready.set(1 if healthy else 0)
    return healthy, results


def health_blueprint(
    services: Services, checks: Mapping[str, Check], scrape_hooks: Sequence[ScrapeHook]
) -> Blueprint:
    """`checks` and `scrape_hooks`: the components' own, beside the services'."""
    bp = Blueprint("health", __name__)

    @bp.get("/health/live")
    async def live() -> Response:
        return reply(Live, {"status": "ok"})

    @bp.get("/health/ready")
    async def ready() -> Response:
        healthy, results = await check_readiness(services, checks)
        response = reply(
            Readiness,
            {"status": "ok" if healthy else "unavailable", "checks": results},
            status=200 if healthy else 503,
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.get("/metrics")
    async def metrics() -> Response:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(check_readiness, services, checks)
            nursery.start_soon(services.metrics.refresh, scrape_hooks)
        return Response(services.metrics.render(), content_type=CONTENT_TYPE)

    return bp
