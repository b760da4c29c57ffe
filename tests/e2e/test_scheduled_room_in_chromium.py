"""A scheduled room in real headless Chromium against a real server (issue 14 §5).

Ann schedules a room from the home page's form ("Start later", Bob invited);
Bob gets the invitation as a toast, and the room's link shows a countdown
rather than the room. A second room, scheduled through the API to open in
10 minutes and 4 seconds, sends Bob its 10-minute reminder a few seconds
later: his bell counts it and the notification centre says so; "Open room"
shows that room's countdown. Screenshots go to artifacts/e2e/.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tasks import browser_rig

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000


def person(browser: Any, server_url: str, name: str, viewport: dict[str, int]) -> tuple[Any, Any]:
    context = browser.new_context(viewport=viewport)
    account = browser_rig.register_in_context(context, server_url, name)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return page, account


def test_schedule_invite_countdown_and_reminder(
    browser: Any, server_url: str, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    ann, ann_account = person(browser, server_url, "ann", DESKTOP)
    bob, bob_account = person(browser, server_url, "bob", PHONE)
    ann_auth = {"Authorization": f"Bearer {ann_account['accessToken']}"}
    bob_auth = {"Authorization": f"Bearer {bob_account['accessToken']}"}
    asked = ann.context.request.post(
        f"{server_url}/api/v1/friends/request", data={"username": "bob"}, headers=ann_auth
    )
    assert asked.status == 201
    accepted = bob.context.request.post(
        f"{server_url}/api/v1/friends/accept",
        data={"userId": ann_account["user"]["id"]},
        headers=bob_auth,
    )
    assert accepted.status == 200

    bob.goto(f"{server_url}/friends")
    bob.get_by_test_id("friend-ann").wait_for()
    ann.goto(f"{server_url}/")
    ann.get_by_test_id("room-name").fill("Premiere")
    ann.get_by_test_id("start-later").check()
    ann.get_by_text("bob", exact=True).click()
    expect(ann.get_by_test_id("schedule-invite-bob")).to_be_checked()
    ann.screenshot(path=artifacts / "schedule-form-1280.png", full_page=True)
    ann.get_by_test_id("create-room").click()
    ann.get_by_test_id("enter-room").click()
    ann.get_by_test_id("schedule-countdown").wait_for()
    assert ann.get_by_test_id("open-now").is_visible(), "the owner may open it early"
    ann.screenshot(path=artifacts / "schedule-countdown-1280.png")

    toast = bob.get_by_test_id("invitation-toast")
    toast.get_by_text("Premiere").wait_for()
    expect(toast).to_contain_text(" on ")
    toast.get_by_test_id("accept-invitation").click()
    bob.get_by_test_id("schedule-countdown").wait_for()
    assert bob.get_by_test_id("open-now").count() == 0
    bob.screenshot(path=artifacts / "schedule-countdown-390.png")

    # A room opening in 10 minutes and 4 seconds: its first reminder is due in 4 s.
    soon = browser_rig.create_room_in_context(
        ann.context, server_url, ann_account["accessToken"], name="Late show"
    )
    starts_at = int(time.time() * 1000) + 10 * 60_000 + 4_000
    scheduled = ann.context.request.post(
        f"{server_url}/api/v1/rooms/{soon['code']}/schedule",
        data={"startsAt": starts_at, "invite": [bob_account["user"]["id"]]},
        headers=ann_auth,
    )
    assert scheduled.status == 200, scheduled.text()
    bob.goto(f"{server_url}/friends")
    bob.get_by_test_id("friend-ann").wait_for()
    # Ann's friend request, two invitations, then the reminder: four unread.
    expect(bob.get_by_test_id("unread-count")).to_have_text("4", timeout=20_000)
    bob.get_by_test_id("notifications").click()
    centre = bob.get_by_test_id("notification-list")
    centre.get_by_text("Late show starts in 10 minutes").wait_for()
    bob.screenshot(path=artifacts / "schedule-reminder-390.png")
    centre.locator("li", has_text="Late show starts in 10 minutes").get_by_text("Open room").click()
    bob.get_by_test_id("schedule-countdown").get_by_text("Late show").wait_for()
    expect(bob.get_by_test_id("countdown-left")).to_contain_text("10:0")
    # Reading the centre cleared the count.
    bob.goto(f"{server_url}/friends")
    bob.get_by_test_id("friend-ann").wait_for()
    assert bob.get_by_test_id("unread-count").count() == 0
    ann.context.close()
    bob.context.close()
