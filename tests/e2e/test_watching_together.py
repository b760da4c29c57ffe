"""Watching together in real Chromium: a ready check, a vote to pause, a temporary host,
a reaction seen on the other pages.

Three people in one room (the owner and a friend signed in, a guest through the
room link) under the default `owner_only` policy, so the friend and the guest
cannot drive playback themselves: they answer the owner's "Ready?", vote, and
drive playback while the owner lends them control. Screenshots of each step
(1280x800 and 390x844) go to artifacts/e2e/.

The tests run in file order and share the room.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tasks import browser_rig

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000


@dataclass
class Party:
    base_url: str
    code: str
    owner: Any
    friend: Any
    guest: Any

    @property
    def pages(self) -> list[Any]:
        return [self.owner, self.friend, self.guest]


def new_page(browser: Any, clip: Path, viewport: dict[str, int]) -> tuple[Any, Any]:
    context = browser.new_context(viewport=viewport)
    browser_rig.install_probe(context)
    browser_rig.serve_directory(context, "e2e-media", clip.parent)
    return context, context.new_page()


@pytest.fixture(scope="module")
def party(browser: Any, server_url: str, hls_clip: Path) -> Iterator[Party]:
    suffix = str(time.time_ns())[-8:]
    owner_context, owner = new_page(browser, hls_clip, DESKTOP)
    friend_context, friend = new_page(browser, hls_clip, DESKTOP)
    guest_context, guest = new_page(browser, hls_clip, PHONE)
    signed_up = browser_rig.register_in_context(owner_context, server_url, f"own{suffix}")
    browser_rig.register_in_context(friend_context, server_url, f"fri{suffix}")
    room = browser_rig.create_room_in_context(
        owner_context, server_url, signed_up["accessToken"], name="Together"
    )
    for page in (owner, friend):
        page.goto(f"{server_url}/r/{room['code']}")
        page.get_by_test_id("room-title").wait_for()
    guest.goto(f"{server_url}/r/{room['code']}")
    guest.get_by_test_id("gate-nickname").fill("Guesty")
    guest.get_by_test_id("gate-guest").click()
    guest.get_by_test_id("room-title").wait_for()
    owner.get_by_test_id("source-input").fill(f"{server_url}/e2e-media/clip.m3u8")
    owner.get_by_test_id("source-submit").click()
    for page in (owner, friend, guest):
        page.wait_for_function(
            "() => window.__syncwatch && window.__syncwatch.playerKind === 'hls'"
        )
    yield Party(server_url, room["code"], owner, friend, guest)
    for context in (owner_context, friend_context, guest_context):
        context.close()


def is_playing(page: Any) -> bool:
    playing: bool = page.evaluate("() => !document.querySelector('video').paused")
    return playing


def wait_all(party: Party, playing: bool) -> None:
    for page in party.pages:
        page.wait_for_function(
            "(want) => document.querySelector('video').paused === !want",
            arg=playing,
            timeout=WAIT_MS,
        )


def test_a_ready_check_tells_the_owner_who_is_not_ready_then_plays_for_everyone(
    party: Party, artifacts: Path
) -> None:
    party.owner.get_by_test_id("ask-ready").click()
    for page in (party.friend, party.guest):
        page.get_by_test_id("im-ready").wait_for(timeout=WAIT_MS)
    text = party.owner.get_by_test_id("ready-check-text")
    text.wait_for()
    assert "waiting for" in text.inner_text()
    assert "Guesty" in text.inner_text()
    party.friend.get_by_test_id("im-ready").click()
    party.owner.wait_for_function(
        """() => document.querySelector('[data-testid=ready-check-text]')
                    ?.textContent.endsWith('waiting for Guesty')""",
        timeout=WAIT_MS,
    )
    assert "Ready 2/3" in party.owner.get_by_test_id("ready-check-text").inner_text()
    party.owner.screenshot(path=str(artifacts / "together-ready-check-owner.png"))
    party.guest.screenshot(path=str(artifacts / "together-ready-check-phone.png"))
    assert not is_playing(party.owner)

    party.guest.get_by_test_id("im-ready").click()
    # Everyone ready: the room countdown, then play on every page.
    for page in party.pages:
        page.get_by_test_id("countdown").wait_for(timeout=WAIT_MS)
    wait_all(party, playing=True)
    assert party.owner.locator("[data-testid=ready-check][data-status=all_ready]").count() == 1


def test_a_vote_to_pause_passes_with_a_majority_and_pauses_everyone(
    party: Party, artifacts: Path
) -> None:
    # The guest cannot pause (owner_only) but can ask the room.
    assert party.guest.get_by_test_id("play-pause").is_disabled()
    party.guest.get_by_test_id("start-vote").click()
    party.friend.get_by_test_id("vote-yes").wait_for(timeout=WAIT_MS)
    assert "1 of 2 needed" in party.friend.get_by_test_id("vote-text").inner_text()
    party.friend.screenshot(path=str(artifacts / "together-vote-open.png"))
    party.friend.get_by_test_id("vote-yes").click()
    wait_all(party, playing=False)
    for page in party.pages:
        page.locator("[data-testid=vote][data-status=passed]").wait_for(timeout=WAIT_MS)
    party.guest.screenshot(path=str(artifacts / "together-vote-passed-phone.png"))


def test_a_temporary_host_drives_playback_until_the_owner_takes_it_back(party: Party) -> None:
    row = party.owner.locator("[data-testid=participant]", has_text="fri")
    row.get_by_role("button", name="Actions for").click()
    party.owner.get_by_test_id("grant-host-30").click()
    party.friend.get_by_test_id("host-badge").first.wait_for(timeout=WAIT_MS)
    party.friend.wait_for_function(
        "() => !document.querySelector('[data-testid=play-pause]').disabled", timeout=WAIT_MS
    )
    party.friend.get_by_test_id("play-pause").click()
    wait_all(party, playing=True)

    row.get_by_role("button", name="Actions for").click()
    party.owner.get_by_test_id("end-host").click()
    party.friend.wait_for_function(
        "() => document.querySelector('[data-testid=play-pause]').disabled", timeout=WAIT_MS
    )


def test_a_reaction_floats_on_every_page_and_marks_the_timeline(
    party: Party, artifacts: Path
) -> None:
    party.guest.get_by_test_id("react-😂").click()
    for page in party.pages:
        page.locator("[data-testid=reaction-floating][data-emoji='😂']").first.wait_for(
            timeout=WAIT_MS
        )
        page.get_by_test_id("reaction-mark").first.wait_for(timeout=WAIT_MS)
    party.owner.screenshot(path=str(artifacts / "together-reaction-owner.png"))
    party.guest.screenshot(path=str(artifacts / "together-reaction-phone.png"))
    assert party.owner.get_by_test_id("reaction-mark").first.inner_text() == "😂"
