"""The account page as a person uses it, in real headless Chromium (issue 12 §4).

One person is signed in on a laptop (1280x800) and on a phone (390x844), where
they sit in a room. On the laptop they see both sessions, change their password
and the phone's room says at once that its session ended; then they delete the
account and cannot sign in any more. Screenshots go to artifacts/e2e/.
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
PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new secret"


@dataclass
class Person:
    base_url: str
    username: str
    laptop: Any
    phone: Any
    room_code: str


@pytest.fixture(scope="module")
def person(browser: Any, server_url: str) -> Iterator[Person]:
    username = f"ida{str(time.time_ns())[-8:]}"
    laptop = browser.new_context(viewport=DESKTOP).new_page()
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    signed_up = browser_rig.register_in_context(laptop.context, server_url, username)
    signed_in = phone.context.request.post(
        f"{server_url}/api/v1/auth/login",
        data={"login": username, "password": PASSWORD},
        headers={
            "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1"
        },
    )
    assert signed_in.status == 200, signed_in.text()
    room = browser_rig.create_room_in_context(
        laptop.context, server_url, signed_up["accessToken"], name="Phone room"
    )
    yield Person(server_url, username, laptop, phone, room["code"])
    for page in (laptop, phone):
        page.context.close()


def test_the_account_page_lists_both_sessions_at_both_sizes(
    person: Person, artifacts: Path
) -> None:
    laptop = person.laptop
    laptop.goto(f"{person.base_url}/account")
    sessions = laptop.get_by_test_id("session")
    sessions.nth(1).wait_for()
    assert sessions.count() == 2
    assert laptop.get_by_test_id("session-current").count() == 1
    devices = laptop.get_by_test_id("session-device").all_inner_texts()
    assert "Safari on iPhone" in devices
    # Nothing is wider than the window, at either size.
    assert laptop.evaluate("() => document.scrollingElement.scrollWidth") <= DESKTOP["width"]
    laptop.screenshot(path=str(artifacts / "account-1280x800.png"), full_page=True)
    look = person.phone.context.new_page()
    look.goto(f"{person.base_url}/account")
    look.get_by_test_id("session").nth(1).wait_for()
    wide = look.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((el) => !el.closest('[aria-hidden]'))
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map((el) => `${el.tagName}.${el.className}`.slice(0, 120))"""
    )
    assert look.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"], wide
    look.screenshot(path=str(artifacts / "account-390x844.png"), full_page=True)
    look.close()


def test_changing_the_password_signs_the_phone_out_of_its_room_at_once(
    person: Person, artifacts: Path
) -> None:
    phone, laptop = person.phone, person.laptop
    phone.goto(f"{person.base_url}/r/{person.room_code}")
    phone.get_by_test_id("room-title").wait_for()
    laptop.goto(f"{person.base_url}/account")
    laptop.get_by_test_id("session").nth(1).wait_for()

    laptop.get_by_test_id("password-current").fill(PASSWORD)
    laptop.get_by_test_id("password-new").fill(NEW_PASSWORD)
    laptop.get_by_test_id("password-again").fill(NEW_PASSWORD)
    started = time.monotonic()
    laptop.get_by_test_id("password-submit").click()

    laptop.get_by_test_id("password-changed").wait_for()
    assert (
        "1 other session was signed out" in laptop.get_by_test_id("password-changed").inner_text()
    )
    ended = phone.get_by_test_id("room-ended")
    ended.wait_for(timeout=10_000)
    elapsed = time.monotonic() - started
    assert ended.get_attribute("data-reason") == "unauthorized"
    assert elapsed < 5, f"the phone was told after {elapsed:.1f} s"
    phone.screenshot(path=str(artifacts / "account-phone-signed-out-390x844.png"))
    # The laptop's own session carries on, now alone in the list.
    laptop.reload()
    laptop.get_by_test_id("session").first.wait_for()
    assert laptop.get_by_test_id("session").count() == 1


def test_deleting_the_account_signs_out_and_the_login_is_gone(
    person: Person, artifacts: Path
) -> None:
    laptop = person.laptop
    laptop.goto(f"{person.base_url}/account")
    laptop.get_by_test_id("delete-account").click()
    laptop.get_by_test_id("delete-confirm-name").fill(person.username)
    laptop.get_by_test_id("delete-password").fill(NEW_PASSWORD)
    laptop.screenshot(path=str(artifacts / "account-delete-1280x800.png"), full_page=True)
    laptop.get_by_test_id("delete-submit").click()

    laptop.get_by_test_id("account-deleted").wait_for()
    assert laptop.get_by_test_id("nav-login").is_visible()
    laptop.screenshot(path=str(artifacts / "account-deleted-1280x800.png"))
    refused = laptop.context.request.post(
        f"{person.base_url}/api/v1/auth/login",
        data={"login": person.username, "password": NEW_PASSWORD},
    )
    assert refused.status == 401
    laptop.goto(f"{person.base_url}/r/{person.room_code}")
    laptop.get_by_test_id("room-ended").wait_for()
    assert laptop.get_by_test_id("room-ended").get_attribute("data-reason") == "room_not_found"
