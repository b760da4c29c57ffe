"""Fixtures shared by the whole suite.

Databases: every test that takes `database_url` runs once on SQLite and once on
the real PostgreSQL (a throwaway database per run, see support/databases.py).
Redis: `redis_url` is the real server; each test gets its own key prefix.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import structlog
import trio

from syncwatch.app import create_app
from syncwatch.components import Components, running_components
from syncwatch.server import run_server
from syncwatch.services import Services, open_services
from syncwatch.settings import Settings, load_settings
from tests.support.environment import TEST_ENVIRONMENT

pytest_plugins = ["tests.support.databases"]

# In-process servers log through structlog's defaults unless a test configures it.
# The default console renderer draws exceptions with rich, locals included, which
# holds the Trio loop for seconds per logged failure (a failing room then closes its
# members late); the server's own configuration formats them as plain text.
structlog.configure(
    processors=[
        *structlog.get_config()["processors"][:-1],
        structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback),
    ]
)

IN_CI = os.environ.get("CI", "").lower() == "true"

SettingsFactory = Callable[..., Settings]

REDIS_URL = os.environ.get("SYNCWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The real Redis server; skipped when absent, except in CI where that fails."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        if IN_CI:
            pytest.fail(f"Redis is required in CI but {REDIS_URL} is unreachable: {error}")
        pytest.skip(f"Redis unreachable at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 HTTP server (moto's server mode) on a loopback port."""
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def settings_factory(tmp_path: Path, database_url: str, database: Any) -> SettingsFactory:
    """Settings on this test's database (`database` has migrated and emptied it)."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "port": 0,
        }
        values.update(overrides)
        return load_settings(environ=TEST_ENVIRONMENT, **values)

    return make


@pytest.fixture
def settings(settings_factory: SettingsFactory) -> Settings:
    return settings_factory()


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    async with open_services(settings, fabric_prefix=f"swtest:{secrets.token_hex(4)}:") as found:
        yield found


@pytest.fixture
async def components(services: Services) -> AsyncIterator[Components]:
    """Every part of a server process, built and running on `services`, as in production."""
    async with running_components(services) as found:
        yield found


@pytest.fixture
async def client(components: Components) -> AsyncIterator[Any]:
    """Quart's test client on the app over running components."""
    app = create_app(components)
    async with app.test_app() as test_app:
        yield test_app.app.test_client(use_cookies=False)


@pytest.fixture
async def live_server(components: Components, nursery: trio.Nursery) -> AsyncIterator[str]:
    """The app served by Hypercorn on an ephemeral loopback port; yields its base URL."""
    stop = trio.Event()
    binds = await nursery.start(partial(run_server, components, stop=stop))
    yield binds[0]
    stop.set()


@pytest.fixture
async def http(live_server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as found:
        yield found
