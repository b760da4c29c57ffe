"""Two SyncWatch instances in one test, as behind nginx: one database, one Redis prefix.

Each instance has its own components (rooms, sockets, fabric client) and its own
Hypercorn server on an ephemeral port, so what one does reaches the other only
through the database and Redis, as between processes.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import redis
import trio

from syncwatch.components import Components, open_components
from syncwatch.server import run_server
from syncwatch.settings import Settings

Instance = tuple[str, Components]


@asynccontextmanager
async def two_instances(
    settings: Settings,
) -> AsyncIterator[tuple[Instance, Instance, redis.Redis]]:
    """Instances A and B (base URL and components each) and a client of their Redis;
    their keys are removed afterwards."""
    prefix = f"swtest:{secrets.token_hex(4)}:"
    client = redis.Redis.from_url(settings.redis_url or "")
    async with (
        open_components(settings, fabric_prefix=prefix) as first,
        open_components(settings, fabric_prefix=prefix) as second,
        trio.open_nursery() as nursery,
    ):
        stop = trio.Event()
        a = (await nursery.start(partial(run_server, first, stop=stop)))[0]
        b = (await nursery.start(partial(run_server, second, stop=stop)))[0]
        try:
            yield (a, first), (b, second), client
        finally:
            stop.set()
            for key in client.scan_iter(f"{prefix}*"):
                client.delete(key)


@asynccontextmanager
async def one_instance(settings: Settings) -> AsyncIterator[Instance]:
    """One instance (base URL and components) on its own key prefix, removed afterwards
    when its Redis answers."""
    prefix = f"swtest:{secrets.token_hex(4)}:"
    async with (
        open_components(settings, fabric_prefix=prefix) as components,
        trio.open_nursery() as nursery,
    ):
        stop = trio.Event()
        url = (await nursery.start(partial(run_server, components, stop=stop)))[0]
        try:
            yield url, components
        finally:
            stop.set()
