"""PostgreSQL stops answering and comes back (issue 15 §2): meanwhile HTTP answers
503 problem+json (never a 500, never a wait of psycopg_pool's 30 s), and afterwards
the same process serves again, rooms included, with nothing lost.

The outage is real but confined to the test's own database: it stops taking
connections (`ALLOW_CONNECTIONS false`) and its open sessions are terminated, as
a restarting server would drop them.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest
import trio
from trio_websocket import ConnectionClosed

from syncwatch.components import open_components
from syncwatch.server import run_server
from syncwatch.settings import load_settings
from syncwatch.store import postgres
from tests.support.databases import throwaway_postgres_database
from tests.support.environment import TEST_ENVIRONMENT
from tests.support.sessions import sign_up
from tests.support.ws import RoomClient, create_room, room_client

pytestmark = pytest.mark.postgres

SOURCE = {"sourceType": "url", "url": "https://example.org/film.mp4"}
WAIT_S = 1.0  # how long a query waits for a connection here (5 s in production)


@contextmanager
def database_down(server_url: str, database_url: str) -> Iterator[None]:
    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


@asynccontextmanager
async def served(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    monkeypatch.setattr(postgres, "CONNECTION_WAIT_S", WAIT_S)
    settings = load_settings(
        environ=TEST_ENVIRONMENT,
        data_dir=tmp_path / "data",
        database_url=database_url,
        port=0,
        register_limit_per_hour=0,
    )
    async with open_components(settings) as components, trio.open_nursery() as nursery:
        stop = trio.Event()
        yield (await nursery.start(partial(run_server, components, stop=stop)))[0]
        stop.set()


async def test_http_answers_503_problem_json_while_the_database_is_down_and_200_after(
    tmp_path: Path, postgres_server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with throwaway_postgres_database(postgres_server_url) as database_url:
        async with (
            served(tmp_path, database_url, monkeypatch) as base,
            httpx.AsyncClient(base_url=base, timeout=30) as http,
        ):
            ann = (await sign_up(http, "ann"))["token"]
            code = (await create_room(http, ann))["code"]
            with database_down(postgres_server_url, database_url):
                for method, path, body in (
                    ("GET", f"/api/v1/rooms/{code}", None),
                    ("POST", "/api/v1/auth/guest", {}),
                ):
                    started = time.monotonic()
                    answer = await http.request(method, path, json=body)
                    assert time.monotonic() - started < WAIT_S + 3  # no hang
                    assert answer.status_code == 503, answer.text
                    assert answer.headers["content-type"].startswith("application/problem+json")
                    assert answer.json()["code"] == "service_unavailable"
            # Back, in the same process: served again within about a second.
            started = time.monotonic()
            while (await http.get(f"/api/v1/rooms/{code}")).status_code != 200:
                assert time.monotonic() - started < 3, "not served again"
                await trio.sleep(0.1)
            assert (await http.post("/api/v1/auth/guest", json={})).status_code == 200


@asynccontextmanager
async def rejoined(base: str, code: str, token: str) -> AsyncIterator[RoomClient]:
    """Join as a client does after an outage: again and again until welcomed. Refusals
    meanwhile say "reconnect" (1012), never that the room rests (1013)."""
    with trio.fail_after(8):
        while True:
            try:
                async with room_client(base, code, token) as client:
                    yield client
                    return
            except ConnectionClosed as refused:
                refused_with = refused.reason.code if refused.reason else None
            assert refused_with == 1012
            await trio.sleep(0.3)


async def test_a_room_that_failed_in_database_outages_starts_as_soon_as_the_database_is_back(
    tmp_path: Path, postgres_server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three failures in a minute would hold a room down for two minutes (its restart
    policy); failures that were the database's outage do not count."""
    with throwaway_postgres_database(postgres_server_url) as database_url:
        async with served(tmp_path, database_url, monkeypatch) as base:
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                ann = (await sign_up(http, "ann"))["token"]
                code = (await create_room(http, ann))["code"]
            async with room_client(base, code, ann) as ann_in_room:
                chosen = await ann_in_room.send("sync:source", SOURCE)
                assert (await ann_in_room.reply_to(chosen))["data"]["sequenceNumber"] == 1
            for _ in range(3):
                async with rejoined(base, code, ann) as ann_in_room:
                    with database_down(postgres_server_url, database_url):
                        await ann_in_room.send("sync:play")  # its snapshot cannot be written
                        assert await ann_in_room.closed_with(timeout=WAIT_S + 5) == 1011
            async with rejoined(base, code, ann) as ann_in_room:
                # Nothing acknowledged was lost, nothing unacknowledged was kept.
                assert ann_in_room.welcome["state"]["sequenceNumber"] == 1
                assert ann_in_room.welcome["state"]["isPlaying"] is False
                played = await ann_in_room.send("sync:play")
                assert (await ann_in_room.reply_to(played))["data"]["sequenceNumber"] == 2


async def test_the_transcode_workers_wait_out_a_database_outage(
    tmp_path: Path, postgres_server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker asking for a job while the database is down waits for it instead of
    failing: its failure paused the media service, and one that came as the process
    stopped surfaced as an error of the whole process (seen once in CI, in
    `/health/ready`'s test)."""
    monkeypatch.setattr(postgres, "CONNECTION_WAIT_S", WAIT_S)
    with throwaway_postgres_database(postgres_server_url) as database_url:
        settings = load_settings(
            environ=TEST_ENVIRONMENT, data_dir=tmp_path / "data", database_url=database_url
        )
        async with open_components(settings) as components:
            with database_down(postgres_server_url, database_url):
                components.media.queue.notify()  # every worker asks for a job now
                await trio.sleep(WAIT_S + 1)
            # The media service kept running (other services pause and start again), and
            # the process closes cleanly: no worker's failure is left to surface then.
            assert "media" not in components.core.not_running()
