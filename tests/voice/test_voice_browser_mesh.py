"""The voice mesh in real Chromium, over the real server and its WebSocket relay."""

from __future__ import annotations

from functools import partial
from typing import Any

import httpx
import pytest
import trio

from syncwatch.settings import Settings
from tests.support.voice import (
    VoicePage,
    all_connected,
    audio_flows_from_everyone,
    browser,
    browser_settings,
    join_all,
    mesh_connected,
    wait_until,
)
from tests.support.ws import create_room, guest, register

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(settings_factory: Any) -> Settings:
    # Host candidates only: no STUN or TURN server is contacted.
    found: Settings = browser_settings(settings_factory)
    return found


async def three_people(http: httpx.AsyncClient) -> tuple[str, list[str]]:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    return room["code"], [owner, await guest(http, "Bo"), await guest(http, "Cy")]


def three_connect_then_one_leaves_and_rejoins(base_url: str, code: str, tokens: list[str]) -> None:
    with browser() as chromium:
        pages = [VoicePage(chromium, base_url) for _ in tokens]
        join_all(pages, code, tokens)
        mesh_connected(pages)
        audio_flows_from_everyone(pages)
        # The fake microphone beeps: listeners see each speaker light up, and
        # quality on loopback is excellent.
        listener = pages[0]
        seen_speaking: set[str] = set()

        def both_seen_speaking() -> bool:
            peers = listener.call("snapshot")["peers"]
            seen_speaking.update(p["peerId"] for p in peers if p["speaking"])
            return seen_speaking == {pages[1].participant_id, pages[2].participant_id}

        wait_until(both_seen_speaking, 5, "both speakers to show as speaking", interval=0.01)
        wait_until(
            lambda: all(p["quality"] for p in listener.call("snapshot")["peers"]), 5, "quality"
        )
        assert {p["quality"]["score"] for p in listener.call("snapshot")["peers"]} == {"excellent"}

        leaver = pages[2]
        leaver.call("leave")
        wait_until(
            lambda: all(leaver.participant_id not in page.stats() for page in pages[:2]),
            5,
            "the others to drop the leaver",
        )
        assert all_connected(pages[0], {pages[1].participant_id})
        leaver.start(code, tokens[2])
        mesh_connected(pages)
        audio_flows_from_everyone(pages)
        assert all(page.call("errors") == [] for page in pages)


async def test_three_people_hear_each_other_and_one_rejoins(
    http: httpx.AsyncClient, live_server: str
) -> None:
    code, tokens = await three_people(http)
    await trio.to_thread.run_sync(
        partial(three_connect_then_one_leaves_and_rejoins, live_server, code, tokens)
    )


def cut_one_and_recover(base_url: str, code: str, tokens: list[str]) -> None:
    with browser() as chromium:
        pages = [VoicePage(chromium, base_url) for _ in tokens]
        join_all(pages, code, tokens)
        mesh_connected(pages)
        cut = pages[2]
        # The network goes: its socket dies and cannot come back while offline.
        cut.context.set_offline(True)
        cut.call("dropSocket")
        wait_until(
            lambda: all(cut.participant_id not in page.stats() for page in pages[:2]),
            5,
            "the server to tell the others that the cut person left the call",
        )
        assert not cut.call("socketConnected")
        cut.context.set_offline(False)
        # Back online: the socket reconnects by itself and the call heals.
        mesh_connected(pages)
        audio_flows_from_everyone(pages)


async def test_a_person_whose_network_drops_is_reconnected_to_everyone(
    http: httpx.AsyncClient, live_server: str
) -> None:
    code, tokens = await three_people(http)
    await trio.to_thread.run_sync(partial(cut_one_and_recover, live_server, code, tokens))


def push_to_talk_is_heard_only_while_held(base_url: str, code: str, tokens: list[str]) -> None:
    with browser() as chromium:
        listener, talker = (VoicePage(chromium, base_url) for _ in tokens)
        listener.start(code, tokens[0])
        talker.start(code, tokens[1], mode="push_to_talk")
        mesh_connected([listener, talker])

        def heard() -> bool:
            peers = listener.call("snapshot")["peers"]
            return any(p["peerId"] == talker.participant_id and p["speaking"] for p in peers)

        # The fake microphone beeps every second: 2.5 s without a sound means silence.
        with pytest.raises(AssertionError, match="timed out"):
            wait_until(heard, 2.5, "nothing, the key is up")
        talker.page.keyboard.down("v")
        assert talker.call("snapshot")["transmitting"] is True
        wait_until(heard, 5, "the talker while the key is held", interval=0.01)
        talker.page.keyboard.up("v")
        assert talker.call("snapshot")["transmitting"] is False


async def test_push_to_talk_is_heard_only_while_the_key_is_held(
    http: httpx.AsyncClient, live_server: str
) -> None:
    code, tokens = await three_people(http)
    await trio.to_thread.run_sync(
        partial(push_to_talk_is_heard_only_while_held, live_server, code, tokens[:2])
    )
