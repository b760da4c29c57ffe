"""The room page as people see it, in real headless Chromium: what fits on the
screen at 1280x800, 1920x1080 and on a 390x844 phone, the chat's room events,
links and guest invitation, the invite popover, the people list and the
picture-in-picture button.

An owner and a friend (registered) and a guest share one room playing the
generated HLS clip. Screenshots of each size go to artifacts/e2e/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tasks import browser_rig

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 800}
LARGE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@dataclass
class Room:
    base_url: str
    code: str
    owner: Any
    friend: Any
    guest: Any


def new_page(browser: Any, clip: Path, viewport: dict[str, int], **options: Any) -> Any:
    context = browser.new_context(viewport=viewport, **options)
    browser_rig.serve_directory(context, "e2e-media", clip.parent)
    return context.new_page()


def open_room(page: Any, base_url: str, code: str) -> None:
    page.goto(f"{base_url}/r/{code}")
    page.get_by_test_id("room-title").wait_for()


@pytest.fixture(scope="module")
def room(browser: Any, server_url: str, hls_clip: Path) -> Iterator[Room]:
    suffix = str(time.time_ns())[-8:]
    owner = new_page(browser, hls_clip, DESKTOP)
    friend = new_page(browser, hls_clip, DESKTOP)
    guest = new_page(browser, hls_clip, PHONE, is_mobile=True, has_touch=True)
    signed_up = browser_rig.register_in_context(owner.context, server_url, f"ada{suffix}")
    browser_rig.register_in_context(friend.context, server_url, f"bob{suffix}")
    created = browser_rig.create_room_in_context(
        owner.context, server_url, signed_up["accessToken"], name="Friday film club"
    )
    code = created["code"]
    open_room(owner, server_url, code)
    owner.get_by_test_id("source-input").fill(f"{server_url}/e2e-media/clip.m3u8")
    owner.get_by_test_id("source-submit").click()
    open_room(friend, server_url, code)
    guest.goto(f"{server_url}/r/{code}")
    guest.get_by_test_id("gate-nickname").fill("Guesty")
    guest.get_by_test_id("gate-guest").click()
    guest.get_by_test_id("room-title").wait_for()
    for page in (owner, friend, guest):
        page.wait_for_function("() => window.__syncwatch?.playerKind === 'hls'")
    yield Room(server_url, code, owner, friend, guest)
    for page in (owner, friend, guest):
        page.context.close()


def box_inside_viewport(page: Any, test_id: str) -> bool:
    """The element is entirely on screen without scrolling anything."""
    inside: bool = page.get_by_test_id(test_id).first.evaluate(
        """(el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
                && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
        }"""
    )
    return inside


def say(page: Any, text: str) -> None:
    page.get_by_test_id("chat-input").fill(text)
    page.get_by_test_id("chat-send").click()
    page.get_by_test_id("chat-log").get_by_text(text).wait_for()


def test_video_and_chat_fit_a_1280x800_window_and_a_1920x1080_one(
    room: Room, artifacts: Path
) -> None:
    owner = room.owner
    for index in range(12):
        say(room.friend if index % 2 else owner, f"message number {index}")
    owner.get_by_test_id("chat-log").get_by_text("message number 11").wait_for()
    for viewport, name in ((DESKTOP, "1280x800"), (LARGE, "1920x1080")):
        owner.set_viewport_size(viewport)
        owner.evaluate("() => document.activeElement?.blur()")
        owner.screenshot(path=artifacts / f"room-layout-{name}.png")
        assert owner.get_by_test_id("room-view").get_attribute("data-layout") == "wide"
        # Nothing scrolls: the page is exactly the window.
        assert owner.evaluate("() => document.scrollingElement.scrollHeight") <= viewport["height"]
        for test_id in ("stage", "player-controls", "chat-input", "voice-panel"):
            assert box_inside_viewport(owner, test_id), f"{test_id} off screen at {name}"
        # The last chat lines are in view, beside the video rather than under it.
        last_line = owner.get_by_test_id("chat-line").last
        assert last_line.inner_text().endswith("message number 11")
        assert box_inside_viewport(owner, "chat-line") or last_line.evaluate(
            "(el) => el.getBoundingClientRect().bottom <= window.innerHeight"
        )
        stage = owner.get_by_test_id("stage").bounding_box()
        chat = owner.get_by_test_id("chat-panel").bounding_box()
        assert chat["x"] >= stage["x"] + stage["width"]
        # Chat runs the height of the window beside the player.
        assert chat["y"] + chat["height"] >= viewport["height"] - 40
    owner.set_viewport_size(DESKTOP)


def test_a_phone_shows_the_video_on_top_then_tabs_for_chat_people_and_voice(
    room: Room, artifacts: Path
) -> None:
    phone = room.guest
    assert phone.get_by_test_id("room-view").get_attribute("data-layout") == "narrow"
    for test_id in ("stage", "room-tabs"):
        assert box_inside_viewport(phone, test_id), f"{test_id} off screen on the phone"
    stage = phone.get_by_test_id("stage").bounding_box()
    tabs = phone.get_by_test_id("room-tabs").bounding_box()
    assert tabs["y"] >= stage["y"] + stage["height"]
    # Phones get a volume control, not only mute.
    assert box_inside_viewport(phone, "volume")
    phone.get_by_test_id("volume").fill("0.4")
    assert phone.evaluate("() => document.querySelector('video').volume") == pytest.approx(0.4)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    phone.get_by_test_id("tab-chat").click()
    phone.get_by_test_id("chat-log").wait_for()
    assert box_inside_viewport(phone, "guest-chat-note")
    phone.screenshot(path=artifacts / "room-layout-390x844.png")

    phone.get_by_test_id("tab-people").click()
    names = phone.get_by_test_id("participant").all_inner_texts()
    assert len(names) == 3
    assert any("Guesty" in name for name in names)
    phone.screenshot(path=artifacts / "room-layout-390x844-people.png")

    phone.get_by_test_id("tab-voice").click()
    assert box_inside_viewport(phone, "voice-join")
    phone.screenshot(path=artifacts / "room-layout-390x844-voice.png")
    # The choice of tab is remembered across a reload.
    phone.reload()
    phone.get_by_test_id("voice-join").wait_for()
    phone.get_by_test_id("tab-chat").click()


def test_repeated_room_events_fold_into_one_line_and_can_be_hidden(room: Room) -> None:
    owner, friend = room.owner, room.friend
    say(owner, "about to skip ahead")
    for presses in range(1, 5):
        owner.get_by_test_id("forward-5").click()
        friend.wait_for_function(
            """(presses) => {
                const rows = document.querySelectorAll("[data-testid=chat-system]");
                const last = rows[rows.length - 1];
                return last && last.textContent.includes("jumped to")
                    && last.dataset.count === String(presses);
            }""",
            arg=presses,
        )
    folded = friend.get_by_test_id("chat-system").last
    assert re.fullmatch(r"ada\d+ jumped to \d+:\d\d · 4 times", folded.inner_text().strip())
    # Hidden room events are hidden for this viewer only, and stay hidden after a reload.
    friend.get_by_test_id("chat-show-system").uncheck()
    assert friend.get_by_test_id("chat-system").count() == 0
    assert owner.get_by_test_id("chat-system").count() > 0
    friend.reload()
    friend.get_by_test_id("chat-log").get_by_text("about to skip ahead").wait_for()
    assert friend.get_by_test_id("chat-system").count() == 0
    assert not friend.get_by_test_id("chat-show-system").is_checked()
    friend.get_by_test_id("chat-show-system").check()
    friend.get_by_test_id("chat-system").first.wait_for()


def test_links_in_chat_open_safely_and_markup_stays_text(room: Room) -> None:
    message = (
        "trailer https://example.org/films?id=7 <b>bold</b> "
        "<img src=x onerror=alert(1)> javascript:alert(1)"
    )
    say(room.friend, message)
    line = room.owner.get_by_test_id("chat-line").filter(has_text="trailer").last
    line.wait_for()
    links = line.get_by_test_id("chat-link")
    assert links.count() == 1
    assert links.get_attribute("href") == "https://example.org/films?id=7"
    assert links.get_attribute("target") == "_blank"
    assert links.get_attribute("rel") == "noopener noreferrer"
    assert line.locator("b, img").count() == 0
    assert line.locator("p").inner_text() == message


def test_the_invite_popover_closes_on_escape_and_on_a_click_outside(room: Room) -> None:
    owner = room.owner
    toggle = owner.get_by_test_id("invite-toggle")
    panel = owner.get_by_test_id("invite-toggle-panel")
    toggle.click()
    assert room.code in owner.get_by_test_id("invite-link").input_value()
    owner.keyboard.press("Escape")
    panel.wait_for(state="detached")
    assert owner.evaluate("() => document.activeElement?.dataset.testid") == "invite-toggle"
    toggle.click()
    panel.wait_for()
    owner.get_by_test_id("chat-log").click(position={"x": 20, "y": 20})
    panel.wait_for(state="detached")


def test_the_people_list_folds_and_stays_folded(room: Room) -> None:
    friend = room.friend
    friend.get_by_test_id("people-toggle").click()
    assert friend.get_by_test_id("participants").count() == 0
    assert friend.get_by_test_id("people-count").inner_text() == "3/5"
    friend.reload()
    friend.get_by_test_id("people-toggle").wait_for()
    assert friend.get_by_test_id("participants").count() == 0
    friend.get_by_test_id("people-toggle").click()
    assert friend.get_by_test_id("participant").count() == 3


def test_picture_in_picture_floats_the_room_video(room: Room) -> None:
    owner = room.owner
    assert owner.evaluate("() => document.querySelector('video').disablePictureInPicture") is False
    owner.get_by_test_id("pip").click()
    owner.wait_for_function(
        "() => document.pictureInPictureElement === document.querySelector('video')"
    )
    owner.get_by_test_id("pip").click()
    owner.wait_for_function("() => document.pictureInPictureElement === null")


def test_a_guest_signs_up_from_the_chat_and_comes_back_to_write(room: Room) -> None:
    guest = room.guest
    guest.get_by_test_id("tab-chat").click()
    guest.get_by_test_id("guest-register").click()
    guest.wait_for_url(re.compile(r"/register\?next="))
    suffix = str(time.time_ns())[-8:]
    guest.get_by_test_id("register-email").fill(f"guesty{suffix}@example.org")
    guest.get_by_test_id("register-username").fill(f"guesty{suffix}")
    guest.get_by_test_id("register-password").fill("correct horse battery")
    guest.get_by_test_id("register-submit").click()
    guest.wait_for_url(f"{room.base_url}/r/{room.code}")
    guest.get_by_test_id("chat-input").wait_for()
    say(guest, "signed up and back")
    room.owner.get_by_test_id("chat-log").get_by_text("signed up and back").wait_for()
