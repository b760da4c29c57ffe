"""A Redis outage is not an outage of SyncWatch (issue 12 §5.11): REST keeps answering,
readiness says "degraded", and Redis coming back ends it without a restart."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from syncwatch.app import create_app
from syncwatch.components import open_components
from tests.support.redis_server import OwnRedis, own_redis


@pytest.fixture
def server() -> Iterator[OwnRedis]:
    with own_redis() as found:
        yield found


@pytest.fixture
async def client(settings_factory: Any, server: OwnRedis) -> AsyncIterator[Any]:
    settings = settings_factory(redis_url=server.url)
    async with open_components(settings, fabric_prefix="swtest:outage:") as components:
        app = create_app(components)
        async with app.test_app() as test_app:
            yield test_app.test_client()


async def sign_ups(client: Any, count: int, tag: str) -> tuple[list[int], float]:
    """Guests signing up and registered users signing in; statuses and the slowest call."""
    statuses, slowest = [], 0.0
    for index in range(count):
        started = time.perf_counter()
        guest = await client.post("/api/v1/auth/guest", json={"nickname": f"G{tag}{index}"})
        login = await client.post(
            "/api/v1/auth/login", json={"login": "ann", "password": "correct horse"}
        )
        slowest = max(slowest, time.perf_counter() - started)
        statuses += [guest.status_code, login.status_code]
    return statuses, slowest


async def ready(client: Any) -> tuple[int, dict[str, Any]]:
    response = await client.get("/health/ready")
    return response.status_code, await response.get_json()


async def test_rest_answers_and_readiness_degrades_while_redis_is_down_or_frozen(
    client: Any, server: OwnRedis
) -> None:
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": "ann@example.org", "username": "ann", "password": "correct horse"},
    )
    assert registered.status_code == 201
    status, body = await ready(client)
    assert (status, body["status"], body["checks"]["redis"]["healthy"]) == (200, "ok", True)

    # A sign-in hashes a password, which on a busy machine alone can take a second:
    # measure the same calls with Redis answering, and allow the frozen Redis its
    # 250 ms per call on top (before, a frozen Redis held each request for up to 15 s).
    _, usual = await sign_ups(client, 3, "u")
    server.freeze()
    try:
        statuses, slowest = await sign_ups(client, 5, "f")
        assert set(statuses) == {200}, statuses
        assert slowest < usual + 1.5, f"a request took {slowest:.2f} s on a frozen Redis"
        status, body = await ready(client)
        assert (status, body["status"]) == (200, "degraded")
        assert body["checks"]["redis"]["healthy"] is False
        assert body["checks"]["redis"]["error"]
    finally:
        server.thaw()

    server.stop()
    statuses, slowest = await sign_ups(client, 3, "s")
    assert set(statuses) == {200}, statuses
    assert slowest < usual + 1.5
    assert (await ready(client))[1]["status"] == "degraded"

    server.start()
    status, body = await ready(client)
    assert (status, body["status"], body["checks"]["redis"]["healthy"]) == (200, "ok", True)
    statuses, _ = await sign_ups(client, 2, "b")
    assert set(statuses) == {200}


async def test_logins_stay_limited_while_redis_is_down(client: Any, server: OwnRedis) -> None:
    server.stop()
    refusals = []
    for _ in range(12):
        response = await client.post(
            "/api/v1/auth/login", json={"login": "nobody", "password": "wrong password"}
        )
        refusals.append(response.status_code)
    # Wrong passwords are 401 until the in-process limit says 429, with Retry-After.
    assert 401 in refusals
    assert refusals[-1] == 429
    assert 500 not in refusals
    assert 503 not in refusals
