"""Operational endpoints (CONTRACT.md §1 "Operational endpoints")."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import trio

from syncwatch.app import create_app
from syncwatch.components import build_components, open_components
from syncwatch.media.storage import open_storage
from syncwatch.services import Services


async def test_live_is_ok(client: Any) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert await response.get_json() == {"status": "ok"}


async def test_ready_checks_the_database(client: Any, services: Any) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["status"] == "ok"
    assert body["checks"][services.db.dialect]["healthy"] is True


async def test_ready_checks_redis_when_configured(settings_factory: Any, redis_url: str) -> None:
    settings = settings_factory(redis_url=redis_url)
    async with open_components(settings, fabric_prefix="swtest:ready:") as components:
        app = create_app(components)
        async with app.test_app() as test_app:
            body = await (await test_app.test_client().get("/health/ready")).get_json()
    assert body["checks"]["redis"]["healthy"] is True


@pytest.mark.postgres
@pytest.mark.slow
async def test_ready_is_503_with_detail_when_the_database_is_down(
    settings_factory: Any, postgres_server_url: str
) -> None:
    from tests.support.databases import throwaway_postgres_database

    with throwaway_postgres_database(postgres_server_url) as url:
        name = url.rsplit("/", 1)[1]
        await _ready_while_database_refuses(
            settings_factory(database_url=url), name, postgres_server_url
        )


async def _ready_while_database_refuses(settings: Any, name: str, postgres_admin_url: str) -> None:
    import psycopg

    async with open_components(settings) as components:
        app = create_app(components)
        async with app.test_app() as test_app:
            client = test_app.test_client()
            assert (await client.get("/health/ready")).status_code == 200
            with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (name,),
                )
            try:
                response = await client.get("/health/ready")
                body = await response.get_json()
            finally:
                with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
                    admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["postgresql"]["healthy"] is False
    assert body["checks"]["postgresql"]["error"]


async def test_metrics_expose_http_and_process_metrics(http: httpx.AsyncClient) -> None:
    await http.get("/health/live")
    text = (await http.get("/metrics")).text
    assert 'syncwatch_http_requests_total{method="GET",route="/health/live",status="200"}' in text
    assert "syncwatch_http_request_duration_seconds_bucket" in text
    assert "process_resident_memory_bytes" in text


async def test_ready_is_503_while_the_core_services_are_not_running(services: Services) -> None:
    storage = await open_storage(services.settings.resolved_storage_url)
    components = build_components(services, storage)
    app = create_app(components)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        before = await client.get("/health/ready")
        async with trio.open_nursery() as nursery:
            await nursery.start(components.run)
            running = await client.get("/health/ready")
            nursery.cancel_scope.cancel()
        after = await client.get("/health/ready")

    assert before.status_code == 503
    not_started = (await before.get_json())["checks"]["services"]
    assert not_started["healthy"] is False
    assert "rooms" in not_started["error"]
    assert "media" in not_started["error"]
    assert running.status_code == 200
    assert (await running.get_json())["checks"]["services"]["healthy"] is True
    assert after.status_code == 503
    stopped = (await after.get_json())["checks"]["services"]["error"]
    for service in ("audit", "checkpointer", "group_commit", "rooms", "media", "janitor"):
        assert service in stopped, stopped
