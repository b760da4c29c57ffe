"""Operational endpoints: `/health/live`, `/health/ready`, `/metrics` (spec 8.4, 8.6).

Readiness runs every configured check at once: the database, Redis when
configured, the TURN server when `SYNCWATCH_TURN_URLS` is set, and the
components' own (every core service running, media storage answering).
Redis is the one dependency the server can do without (rate limits fail open
onto in-process ones, `fabric/fail_open.py`): when only it fails, readiness
stays 200 with `"status": "degraded"`, so a load balancer keeps sending
traffic while monitoring sees the degradation.
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
# Checks whose failure leaves the server serving, in a lesser mode.
DEGRADABLE = frozenset({"redis"})

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
        {
            200: Reply("Ready (`degraded` while Redis is down: limits in-process)", Readiness),
            503: Reply("Not ready, with each check", Readiness),
        },
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
) -> tuple[str, dict[str, dict[str, Any]]]:
    """Every readiness check, at once: "ok", "degraded" (ready, a degradable check
    failed) or "unavailable", with each check's result. Also lands in the metrics."""
    results: dict[str, dict[str, Any]] = {}

    async def one(name: str, check: Check) -> None:
        results[name] = await run_check(check)

    async with trio.open_nursery() as nursery:
        for name, check in readiness_checks(services, more).items():
            nursery.start_soon(one, name, check)
    if services.shutting_down.is_set():
        results["server"] = {"healthy": False, "error": "shutting down"}
    failed = {name for name, result in results.items() if not result["healthy"]}
    status = "ok" if not failed else "degraded" if failed <= DEGRADABLE else "unavailable"
    for name, result in results.items():
        services.metrics.readiness_check_up.labels(name).set(1 if result["healthy"] else 0)
    services.metrics.ready.set(0 if status == "unavailable" else 1)
    return status, results


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
        status, results = await check_readiness(services, checks)
        response = reply(
            Readiness,
            {"status": status, "checks": results},
            status=503 if status == "unavailable" else 200,
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
