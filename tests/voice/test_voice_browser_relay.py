"""Relay-only (privacy) voice through a real coturn on loopback, started with
the deployment's `deploy/coturn/turnserver.conf` plus test-only overrides."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import trio

from syncwatch.settings import Settings
from tests.support.voice import (
    TurnServer,
    VoicePage,
    audio_flows_from_everyone,
    browser,
    browser_settings,
    coturn,
    join_all,
    mesh_connected,
    wait_until,
)
from tests.support.ws import create_room, guest, register

pytestmark = pytest.mark.browser


@pytest.fixture
def turn_server(tmp_path: Path) -> Iterator[TurnServer]:
    with coturn(tmp_path / "coturn") as server:
        yield server


@pytest.fixture
def app_turn_secret(turn_server: TurnServer) -> str:
    return turn_server.secret


@pytest.fixture
def settings(settings_factory: Any, turn_server: TurnServer, app_turn_secret: str) -> Settings:
    found: Settings = browser_settings(
        settings_factory, turn_urls=turn_server.urls, turn_secret=app_turn_secret
    )
    return found


def relay_only_mesh(base_url: str, code: str, tokens: list[str]) -> None:
    with browser() as chromium:
        pages = [VoicePage(chromium, base_url) for _ in tokens]
        join_all(pages, code, tokens, relayOnly=True)
        mesh_connected(pages)
        for page in pages:
            types = {peer: figures["localType"] for peer, figures in page.stats().items()}
            assert set(types.values()) == {"relay"}, types
        audio_flows_from_everyone(pages)
        # Every join was reported as relayed, with its time.
        wait_until(lambda: all(page.call("reports") for page in pages[1:]), 5, "join reports")
        for page in pages[1:]:
            report = page.call("reports")[-1]
            assert report["relayed"] == report["connected"] == report["peers"] > 0
            assert report["joinMs"] is not None


async def test_relay_only_calls_go_through_turn_and_are_reported(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    tokens = [owner, await guest(http, "Bo"), await guest(http, "Cy")]
    await trio.to_thread.run_sync(partial(relay_only_mesh, live_server, room["code"], tokens))
    metrics = (await http.get("/metrics")).text
    assert "syncwatch_turn_usage_percent 100.0" in metrics
    assert 'syncwatch_voice_joins_total{outcome="connected"} 2.0' in metrics


def wrong_secret_times_out(base_url: str, code: str, tokens: list[str]) -> None:
    with browser() as chromium:
        pages = [VoicePage(chromium, base_url) for _ in tokens]
        join_all(pages, code, tokens, relayOnly=True, connectTimeoutMs=2_000)
        # coturn refuses the credentials: the connection never leaves `new`,
        # and the client's own deadline turns that into a reported failure.
        wait_until(lambda: pages[1].call("reports") != [], 10, "the join report")
        report = pages[1].call("reports")[-1]
        assert report["connected"] == 0
        assert report["joinMs"] is None
        assert "turn_unauthorized" in report["iceFailures"]
        assert all(f["state"] != "connected" for f in pages[1].stats().values())


@pytest.mark.parametrize("app_turn_secret", ["not-the-secret-coturn-has"])
async def test_a_wrong_turn_secret_is_caught_by_the_connection_timeout(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    tokens = [owner, await guest(http, "Bo")]
    await trio.to_thread.run_sync(
        partial(wrong_secret_times_out, live_server, room["code"], tokens)
    )
    metrics = (await http.get("/metrics")).text
    assert 'syncwatch_ice_failures_total{failure_reason="turn_unauthorized"}' in metrics
    assert 'syncwatch_voice_joins_total{outcome="failed"} 1.0' in metrics


def relay_outage_heals(base_url: str, code: str, tokens: list[str], turn: TurnServer) -> None:
    with browser() as chromium:
        pages = [VoicePage(chromium, base_url) for _ in tokens]
        join_all(pages, code, tokens, relayOnly=True)
        mesh_connected(pages)
        # The relay goes away with every allocation on it, then comes back empty.
        turn.stop()
        wait_until(
            lambda: all(
                figures["state"] != "connected"
                for page in pages
                for figures in page.stats().values()
            ),
            20,
            "every peer to notice the relay is gone",
        )
        turn.start()
        healed_in = mesh_connected(pages, timeout=30)
        for page in pages:
            assert {f["localType"] for f in page.stats().values()} == {"relay"}
        audio_flows_from_everyone(pages)
        print(f"relay outage healed {healed_in:.1f} s after the relay came back")


async def test_calls_heal_after_the_relay_restarts(
    http: httpx.AsyncClient, live_server: str, turn_server: TurnServer
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    tokens = [owner, await guest(http, "Bo")]
    await trio.to_thread.run_sync(
        partial(relay_outage_heals, live_server, room["code"], tokens, turn_server)
    )


def switching_to_relay_only_mid_call(base_url: str, code: str, tokens: list[str]) -> None:
    with browser() as chromium:
        pages = [VoicePage(chromium, base_url) for _ in tokens]
        join_all(pages, code, tokens)
        mesh_connected(pages)
        private = pages[0]
        assert {f["localType"] for f in private.stats().values()} == {"host"}
        private.page.evaluate("() => window.voiceHarness.setRelayOnly(true)")

        def relayed() -> bool:
            stats = private.stats()
            return all(
                f["state"] == "connected" and f["localType"] == "relay" for f in stats.values()
            )

        wait_until(relayed, 15, "the private person's connections to go through the relay")
        mesh_connected(pages)
        audio_flows_from_everyone(pages)


async def test_switching_to_relay_only_mid_call_rebuilds_through_turn(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    tokens = [owner, await guest(http, "Bo")]
    await trio.to_thread.run_sync(
        partial(switching_to_relay_only_mid_call, live_server, room["code"], tokens)
    )
