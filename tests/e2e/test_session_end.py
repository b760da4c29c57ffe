"""The end of the video and coming back, in real headless Chromium against a real server.

Two registered people share a password room of two seats: the owner, and a friend
who types the password once. A 12 s HLS clip (made with ffmpeg) plays to its end on
both pages; quick presses of ±5 s all count and stop at the ends; a double click on
Replay plays once, two quick clicks on the timeline both count, and a double click
on 3·2·1 counts in once; the friend comes
back without the password after a reload and after a browser restart; a third
person meets "room full" before typing anything; and when the owner closes the
room, the friend and a later visitor are told it was closed by its owner.

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
from tasks.hls_clip import make_hls_clip

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLIP_S = 12
PASSWORD = "popcorn time"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class Pair:
    base_url: str
    code: str
    owner: Any  # a page
    friend: Any
    friend_context: Any
    clip_url: str
    clip_dir: Path


def probe(page: Any, name: str) -> Any:
    return page.evaluate(f"() => window.__syncwatch.{name}")


def wait_probe(page: Any, condition: str, timeout_s: float = 15) -> None:
    page.wait_for_function(f"() => window.__syncwatch && ({condition})", timeout=timeout_s * 1000)


def wait_applied(pages: list[Any], after_seq: int) -> None:
    for page in pages:
        wait_probe(page, f"window.__syncwatch.lastAppliedSeq > {after_seq}")


def new_context(
    browser: Any, clip_dir: Path, viewport: dict[str, int] = DESKTOP, **options: Any
) -> Any:
    context = browser.new_context(viewport=viewport, **options)
    browser_rig.install_probe(context)
    browser_rig.serve_directory(context, "e2e-media", clip_dir)
    return context


@pytest.fixture(scope="module")
def short_clip(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_hls_clip(tmp_path_factory.mktemp("short-clip"), seconds=CLIP_S)


@pytest.fixture(scope="module")
def pair(browser: Any, server_url: str, short_clip: Path) -> Iterator[Pair]:
    suffix = str(time.time_ns())[-8:]
    owner_context = new_context(browser, short_clip.parent)
    friend_context = new_context(browser, short_clip.parent, PHONE)
    owner_up = browser_rig.register_in_context(owner_context, server_url, f"owner{suffix}")
    browser_rig.register_in_context(friend_context, server_url, f"friend{suffix}")
    room = browser_rig.create_room_in_context(
        owner_context,
        server_url,
        owner_up["accessToken"],
        name="Short film",
        maxParticipants=2,
        password=PASSWORD,
    )
    owner = owner_context.new_page()
    owner.goto(f"{server_url}/r/{room['code']}")
    owner.get_by_test_id("room-title").wait_for()
    friend = friend_context.new_page()
    friend.goto(f"{server_url}/r/{room['code']}")
    # The first visit asks for the password, once.
    friend.get_by_test_id("room-password-input").fill(PASSWORD)
    friend.get_by_test_id("room-password-submit").click()
    friend.get_by_test_id("room-title").wait_for()
    found = Pair(
        server_url,
        room["code"],
        owner,
        friend,
        friend_context,
        f"{server_url}/e2e-media/{short_clip.name}",
        short_clip.parent,
    )
    yield found
    owner_context.close()
    found.friend_context.close()  # a test may have replaced the friend's browser


def test_a_reload_and_a_browser_restart_need_no_password(pair: Pair, browser: Any) -> None:
    pair.friend.reload()
    pair.friend.get_by_test_id("room-title").wait_for()
    assert pair.friend.get_by_test_id("room-password-input").count() == 0

    # A browser restart: the browser closes, and a new one opens with the same cookie
    # jar (the refresh cookie, which rotates on use: the old browser is gone for good).
    state = pair.friend_context.storage_state()
    pair.friend_context.close()
    restarted = new_context(browser, pair.clip_dir, PHONE, storage_state=state)
    page = restarted.new_page()
    page.goto(f"{pair.base_url}/r/{pair.code}")
    page.get_by_test_id("room-title").wait_for()
    assert page.get_by_test_id("room-password-input").count() == 0
    pair.friend, pair.friend_context = page, restarted


def test_two_quick_presses_of_plus_5_move_10_s(pair: Pair) -> None:
    owner = pair.owner
    owner.get_by_test_id("source-input").fill(pair.clip_url)
    owner.get_by_test_id("source-submit").click()
    for page in (owner, pair.friend):
        wait_probe(page, "window.__syncwatch.playerKind === 'hls'")
        # The first page whose player knows the length tells the room.
        wait_probe(page, f"Math.abs(window.__syncwatch.durationMs - {CLIP_S * 1000}) < 500")
    before = probe(owner, "lastAppliedSeq")
    forward = owner.get_by_test_id("forward-5")
    forward.click()
    forward.click()  # well within 100 ms of the first: both count
    for page in (owner, pair.friend):
        wait_probe(page, "window.__syncwatch.expectedMs >= 9999")
    assert probe(owner, "lastAppliedSeq") == before + 2
    assert probe(pair.friend, "expectedMs") == pytest.approx(10_000, abs=1)


def test_the_clip_plays_to_its_end_and_stops_there_on_both_pages(
    pair: Pair, artifacts: Path
) -> None:
    owner, friend = pair.owner, pair.friend
    duration = probe(owner, "durationMs")
    owner.get_by_test_id("play-pause").click()
    # While it plays, and after: no page ever shows a position past the end.
    deadline = time.monotonic() + 15
    seen_past_end = []
    while time.monotonic() < deadline:
        for page in (owner, friend):
            expected = probe(page, "expectedMs")
            if expected is not None and expected > duration:
                seen_past_end.append(expected)
        if all(page.get_by_test_id("video-ended").count() for page in (owner, friend)):
            break
        time.sleep(0.1)
    assert seen_past_end == []
    for page in (owner, friend):
        page.get_by_test_id("video-ended").wait_for()
        assert probe(page, "isPlaying") is False
        assert probe(page, "expectedMs") == pytest.approx(duration, abs=1)
        position = page.get_by_test_id("position").inner_text()
        assert position == f"0:{CLIP_S:02d}"
        assert page.get_by_test_id("sync-indicator").get_attribute("data-level") != "desynced"
        assert page.get_by_test_id("replay").is_visible() or page is friend
    owner.screenshot(path=str(artifacts / "session-end-owner-1280x800.png"))
    friend.screenshot(path=str(artifacts / "session-end-friend-390x844.png"))
    # The friend follows the owner (owner-only playback): Replay is the owner's.
    assert friend.get_by_test_id("replay").is_disabled()
    # (The phone shows chat in its own tab: the owner's desktop page shows it beside the video.)
    owner.get_by_test_id("chat-log").get_by_text("The video ended").wait_for(timeout=5_000)

    # A reload after the end shows the end.
    friend.reload()
    friend.get_by_test_id("video-ended").wait_for()
    wait_probe(friend, f"window.__syncwatch.expectedMs === {duration}")
    assert friend.get_by_test_id("position").inner_text() == f"0:{CLIP_S:02d}"


def test_quick_presses_at_the_end_all_count_and_stop_at_zero(pair: Pair) -> None:
    owner = pair.owner
    # The room's duration is what the player measured (a 12 s clip may last 12.077 s).
    duration = probe(owner, "durationMs")
    before = probe(owner, "lastAppliedSeq")
    back = owner.get_by_test_id("back-5")
    back.click()
    back.click()
    wait_applied([owner, pair.friend], before + 1)
    for page in (owner, pair.friend):
        wait_probe(page, f"window.__syncwatch.expectedMs < {duration - 9_500}")
    assert probe(pair.friend, "expectedMs") == pytest.approx(duration - 10_000, abs=1)
    for _ in range(3):
        back.click()
    for page in (owner, pair.friend):
        wait_probe(page, "window.__syncwatch.expectedMs === 0")
    # Six presses of +5 from 0:00 stop at the end, and one -5 moves back at once.
    forward = owner.get_by_test_id("forward-5")
    for _ in range(6):
        forward.click()
    for page in (owner, pair.friend):
        wait_probe(page, f"window.__syncwatch.expectedMs === {duration}")
    back.click()
    for page in (owner, pair.friend):
        wait_probe(page, f"window.__syncwatch.expectedMs === {duration - 5000}")


def assert_playing_after_commands(pair: Pair, last_seq: int) -> None:
    """Both pages play, and a moment later the last command either applied is `last_seq`:
    a double click asked for nothing more than one click does."""
    for page in (pair.owner, pair.friend):
        wait_probe(page, "window.__syncwatch.isPlaying === true")
    time.sleep(1)
    for page in (pair.owner, pair.friend):
        assert probe(page, "lastAppliedSeq") == last_seq


def test_a_double_click_on_replay_plays_once_without_a_conflict(pair: Pair) -> None:
    owner = pair.owner
    duration = probe(owner, "durationMs")
    before = probe(owner, "lastAppliedSeq")
    owner.get_by_test_id("forward-5").click()
    wait_probe(owner, f"window.__syncwatch.expectedMs === {duration}")
    replay = owner.get_by_test_id("replay")
    replay.wait_for()
    replay.dblclick()
    # The seek to the end and one PLAY: the second click asked for nothing more.
    assert_playing_after_commands(pair, before + 2)
    # And the owner was not told that "someone else" changed playback.
    assert owner.get_by_test_id("notice").filter(has_text="Someone else").count() == 0


def test_two_quick_clicks_on_the_timeline_both_count(pair: Pair) -> None:
    owner = pair.owner
    duration = probe(owner, "durationMs")
    owner.get_by_test_id("play-pause").click()
    for page in (owner, pair.friend):
        wait_probe(page, "window.__syncwatch.isPlaying === false")
    timeline = owner.get_by_test_id("timeline")
    box = timeline.bounding_box()
    assert box is not None
    middle = box["height"] / 2
    # Two clicks as close together as a quick hand makes them: the second is sent while
    # the first seek is still on its way.
    owner.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + middle)
    owner.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + middle)
    # The second click lands: everyone ends up paused three quarters in, not a quarter.
    for page in (owner, pair.friend):
        wait_probe(page, f"Math.abs(window.__syncwatch.expectedMs - {duration * 0.75}) < 700")
    assert owner.get_by_test_id("notice").filter(has_text="Someone else").count() == 0


def test_a_double_click_on_the_countdown_counts_in_once(pair: Pair) -> None:
    owner = pair.owner
    before = probe(owner, "lastAppliedSeq")
    countdown = owner.get_by_test_id("countdown-start")
    countdown.dblclick()
    assert_playing_after_commands(pair, before + 1)
    # While the room plays there is nothing to count in.
    assert countdown.is_disabled()


def test_a_third_person_meets_room_full_before_typing_anything(
    pair: Pair, browser: Any, short_clip: Path, artifacts: Path
) -> None:
    context = new_context(browser, short_clip.parent)
    try:
        page = context.new_page()
        page.goto(f"{pair.base_url}/r/{pair.code}")
        ended = page.get_by_test_id("room-ended")
        ended.wait_for()
        assert ended.get_attribute("data-reason") == "room_full"
        assert page.get_by_test_id("gate-nickname").count() == 0
        assert page.get_by_test_id("room-password-input").count() == 0
        page.screenshot(path=str(artifacts / "session-room-full.png"))
    finally:
        context.close()


def test_closing_the_room_tells_members_and_later_visitors(
    pair: Pair, browser: Any, short_clip: Path
) -> None:
    pair.owner.get_by_test_id("room-menu").click()
    pair.owner.get_by_test_id("close-room").click()
    pair.owner.get_by_test_id("close-room-confirm").click()
    ended = pair.friend.get_by_test_id("room-ended")
    ended.wait_for()
    assert ended.get_attribute("data-reason") == "room_closed"
    assert "closed by its owner" in ended.inner_text()

    context = new_context(browser, short_clip.parent)
    try:
        page = context.new_page()
        page.goto(f"{pair.base_url}/r/{pair.code}")
        later = page.get_by_test_id("room-ended")
        later.wait_for()
        assert later.get_attribute("data-reason") == "room_closed"
    finally:
        context.close()
