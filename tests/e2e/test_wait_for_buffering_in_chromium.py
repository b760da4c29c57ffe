"""Wait for buffering in real Chromium: a page starved of video pauses the room
for everyone, then the room resumes for everyone once that page has buffered.

Three people: the owner and a friend play the clip; Bob joins while it plays,
with every video segment he asks for held back (a Playwright route, as a slow
network would). His player never even gets the video's metadata, so his
<video> never fires `waiting`: the page must still tell the room it cannot
follow. The two others pause at one position and read "Waiting for bob…";
when Bob's segments come through, the room plays again on all three pages,
in step. Screenshots at 1280x800 and 390x844 go to artifacts/e2e/.

Being left out after three stalls in two minutes is covered with MockClock in
tests/rooms/test_room_buffering.py (in Chromium it would take a minute of stalls).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tasks import browser_rig

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SEGMENTS = "**/e2e-media/seg*.ts"
WAIT_MS = 15_000
PAUSED_TOGETHER_MS = 50
"""The paused pages show one position: the room's anchor, each within a frame or so."""
IN_STEP_MS = 150
"""After the resume every page is "synced" (the green level of spec 15.1.1)."""


@dataclass
class Party:
    owner: Any
    friend: Any
    bob: Any
    bob_name: str
    room_url: str
    held: list[Any] = field(default_factory=list)

    @property
    def watchers(self) -> list[Any]:
        return [self.owner, self.friend]


def new_context(browser: Any, clip: Path, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport)
    browser_rig.install_probe(context)
    browser_rig.serve_directory(context, "e2e-media", clip.parent)
    return context


@pytest.fixture(scope="module")
def party(browser: Any, server_url: str, hls_clip: Path) -> Iterator[Party]:
    suffix = str(time.time_ns())[-8:]
    contexts = [new_context(browser, hls_clip, v) for v in (DESKTOP, DESKTOP, PHONE)]
    names = [f"own{suffix}", f"fri{suffix}", f"bob{suffix}"]
    tokens = [
        browser_rig.register_in_context(c, server_url, n)["accessToken"]
        for c, n in zip(contexts, names, strict=True)
    ]
    room = browser_rig.create_room_in_context(contexts[0], server_url, tokens[0], name="Slow Bob")
    owner, friend = (c.new_page() for c in contexts[:2])
    room_url = f"{server_url}/r/{room['code']}"
    for page in (owner, friend):
        page.goto(room_url)
        page.get_by_test_id("room-title").wait_for()
    owner.get_by_test_id("source-input").fill(f"{server_url}/e2e-media/clip.m3u8")
    owner.get_by_test_id("source-submit").click()
    for page in (owner, friend):
        page.wait_for_function(
            "() => window.__syncwatch && window.__syncwatch.playerKind === 'hls'"
        )
    party = Party(owner, friend, bob=None, bob_name=names[2], room_url=room_url)
    # Bob's network: every segment he asks for waits until the test lets it through.
    contexts[2].route(SEGMENTS, lambda route: party.held.append(route))
    party.bob = contexts[2].new_page()
    yield party
    for context in contexts:
        context.close()


def paused(page: Any) -> bool:
    value: bool = page.evaluate("() => document.querySelector('video').paused")
    return value


def wait_playing(page: Any, playing: bool) -> None:
    page.wait_for_function(
        "(want) => document.querySelector('video').paused === !want", arg=playing, timeout=WAIT_MS
    )


def test_a_page_starved_from_the_start_pauses_everyone_at_one_position(
    party: Party, artifacts: Path
) -> None:
    party.owner.get_by_test_id("play-pause").click()
    for page in party.watchers:
        wait_playing(page, playing=True)
    time.sleep(1)

    party.bob.goto(party.room_url)
    party.bob.get_by_test_id("room-title").wait_for()
    party.bob.wait_for_function("() => window.__rig && window.__rig.openSockets() > 0")
    joined_at = time.monotonic()
    for page in party.watchers:
        wait_playing(page, playing=False)
    waited = time.monotonic() - joined_at
    assert party.held, "Bob's page asked for no segment: the test slowed nothing"
    # Bob's player never got going, so no `waiting` event: the page's own watch said so.
    assert party.bob.evaluate("() => window.__syncwatch.playerKind") is None
    assert waited < 5, f"the room paused {waited:.1f} s after Bob joined"

    for page in party.watchers:
        text = page.get_by_test_id("waiting-for")
        text.wait_for(timeout=WAIT_MS)
        assert text.inner_text() == f"Waiting for {party.bob_name}…"
        # Said on the picture too, where everyone looks: in view without scrolling.
        on_stage = page.get_by_test_id("stage-waiting")
        on_stage.wait_for(timeout=WAIT_MS)
        assert on_stage.inner_text() == f"Waiting for {party.bob_name}…"
        box = on_stage.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= DESKTOP["height"]
    party.bob.get_by_test_id("stage-waiting").wait_for(timeout=WAIT_MS)
    assert party.bob.get_by_test_id("stage-waiting").inner_text() == "Waiting for you…"
    time.sleep(0.5)  # paused pages settle on the anchor
    positions = [p.evaluate("() => window.__syncwatch.mediaTimeMs") for p in party.watchers]
    expected = party.owner.evaluate("() => window.__syncwatch.expectedMs")
    assert max(positions) - min(positions) <= PAUSED_TOGETHER_MS, positions
    assert all(abs(p - expected) <= PAUSED_TOGETHER_MS for p in positions), (positions, expected)
    assert expected > 1_000, "the room paused where it had played to, not at the start"
    party.owner.screenshot(path=str(artifacts / "buffering-waiting-owner.png"))
    party.bob.screenshot(path=str(artifacts / "buffering-waiting-slow-phone.png"))
    # Still waiting a while later: nobody resumes without Bob.
    time.sleep(1.5)
    assert all(paused(page) for page in party.watchers)


def test_the_room_resumes_for_everyone_once_the_slow_page_has_buffered(
    party: Party, artifacts: Path
) -> None:
    party.bob.context.unroute(SEGMENTS)
    for route in party.held:
        route.fallback()
    party.held.clear()
    for page in (party.owner, party.friend, party.bob):
        wait_playing(page, playing=True)
    for page in party.watchers:
        page.get_by_test_id("waiting-for").wait_for(state="detached", timeout=WAIT_MS)
        page.get_by_test_id("stage-waiting").wait_for(state="detached", timeout=WAIT_MS)
    time.sleep(2)  # the resumed pages settle (a seek lands within a few frames)
    drifts = [
        p.evaluate("() => window.__syncwatch.driftMs")
        for p in (party.owner, party.friend, party.bob)
    ]
    assert all(d is not None and abs(d) < IN_STEP_MS for d in drifts), drifts
    party.owner.screenshot(path=str(artifacts / "buffering-resumed-owner.png"))
    party.bob.screenshot(path=str(artifacts / "buffering-resumed-slow-phone.png"))
    # And it stays playing: the recovery does not loop into another wait.
    time.sleep(2)
    assert not any(paused(p) for p in (party.owner, party.friend, party.bob))
    assert party.owner.get_by_test_id("waiting-for").count() == 0
