"""Friends in the app, in real headless Chromium against a real server (issue 14 §1).

Ann and Bob sign up in their own browsers. Ann finds Bob by username and asks;
Bob sees the request arrive on his friends screen and accepts; Ann opens a
room, Bob's list shows "watching <room> · 1 of 5", Ann invites him from the
room's Invite panel, a toast with Accept appears on Bob's page, and Accept
takes him into the room. Then Bob goes invisible and Ann's invite panel shows
him offline. Screenshots at 1280x800 and 390x844 go to artifacts/e2e/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tasks import browser_rig

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 10_000


def person(browser: Any, server_url: str, name: str, viewport: dict[str, int]) -> tuple[Any, Any]:
    context = browser.new_context(viewport=viewport)
    signed_up = browser_rig.register_in_context(context, server_url, name)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return page, signed_up


def test_request_accept_invite_join_and_invisible(
    browser: Any, server_url: str, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)

    ann, ann_account = person(browser, server_url, "ann", DESKTOP)
    bob, _ = person(browser, server_url, "bob", PHONE)

    bob.goto(f"{server_url}/friends")
    bob.get_by_test_id("friend-list").wait_for(state="attached")
    ann.goto(f"{server_url}/friends")
    ann.get_by_test_id("find-input").fill("bo")
    ann.get_by_test_id("find-submit").click()
    ann.get_by_test_id("add-bob").click()
    ann.get_by_test_id("outgoing").get_by_text("bob").wait_for()

    # Bob's screen learns of the request over /ws/me, without a reload.
    bob.get_by_test_id("incoming").get_by_text("ann").wait_for()
    expect(bob.get_by_test_id("unread-count")).to_have_text("1")
    bob.screenshot(path=artifacts / "friends-request-390.png", full_page=True)
    bob.get_by_test_id("accept-request").click()
    bob.get_by_test_id("friend-ann").wait_for()
    ann.get_by_test_id("friend-bob").get_by_text("Online").wait_for()

    room = browser_rig.create_room_in_context(
        ann.context, server_url, ann_account["accessToken"], name="Friday film"
    )
    ann.goto(f"{server_url}/r/{room['code']}")
    ann.get_by_test_id("room-title").wait_for()
    bob.get_by_test_id("friend-ann").get_by_text("watching Friday film · 1 of 5").wait_for()
    assert bob.get_by_test_id("friend-ann").get_by_test_id("join-friend").is_visible()
    bob.screenshot(path=artifacts / "friends-watching-390.png", full_page=True)

    ann.get_by_test_id("invite-toggle").click()
    ann.get_by_test_id("invite-bob").click()
    expect(ann.get_by_test_id("invite-bob")).to_have_text("Invited")
    ann.screenshot(path=artifacts / "friends-invite-1280.png")

    toast = bob.get_by_test_id("invitation-toast")
    toast.get_by_text("Friday film").wait_for()
    bob.screenshot(path=artifacts / "friends-toast-390.png")
    toast.get_by_test_id("accept-invitation").click()
    bob.get_by_test_id("room-title").wait_for()
    assert bob.url.endswith(f"/r/{room['code']}")
    assert "Friday film" in bob.get_by_test_id("room-title").inner_text()

    # Invisible: Ann sees Bob offline, though his socket is open.
    bob.goto(f"{server_url}/friends")
    bob.get_by_test_id("status-invisible").click()
    expect(bob.get_by_test_id("status-invisible")).to_have_attribute("aria-checked", "true")
    ann.get_by_test_id("invite-friends").get_by_text("bob · Offline").wait_for()
    bob.reload()
    # The choice is kept: after a reload Bob is still invisible.
    expect(bob.get_by_test_id("status-invisible")).to_have_attribute("aria-checked", "true")
    ann.screenshot(path=artifacts / "friends-invisible-1280.png")
    ann.context.close()
    bob.context.close()
