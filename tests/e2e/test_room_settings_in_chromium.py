"""Room settings changed live, and "My rooms", in real headless Chromium.

The owner changes the room from its menu while a friend and a guest are in it:
the friend's page shows the new name and a chat line naming each change at
once; a password set live is asked of the next person who comes in; the guest,
who could only read the chat, can write as soon as the owner lets guests write.
Then the owner's home page lists the room with its live participant count,
and opening it takes them back in.
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


@dataclass
class Party:
    base_url: str
    code: str
    owner: Any
    friend: Any
    guest: Any


@pytest.fixture(scope="module")
def party(browser: Any, server_url: str) -> Iterator[Party]:
    suffix = str(time.time_ns())[-8:]
    owner = browser.new_context(viewport=DESKTOP).new_page()
    friend = browser.new_context(viewport=DESKTOP).new_page()
    guest = browser.new_context(viewport=PHONE).new_page()
    signed_up = browser_rig.register_in_context(owner.context, server_url, f"so{suffix}")
    browser_rig.register_in_context(friend.context, server_url, f"sf{suffix}")
    room = browser_rig.create_room_in_context(
        owner.context, server_url, signed_up["accessToken"], name="Movie night", maxParticipants=4
    )
    for page in (owner, friend):
        page.goto(f"{server_url}/r/{room['code']}")
        page.get_by_test_id("room-title").wait_for()
    guest.goto(f"{server_url}/r/{room['code']}")
    guest.get_by_test_id("gate-nickname").fill("Guesty")
    guest.get_by_test_id("gate-guest").click()
    guest.get_by_test_id("room-title").wait_for()
    yield Party(server_url, room["code"], owner, friend, guest)
    for page in (owner, friend, guest):
        page.context.close()


def open_settings(page: Any) -> Any:
    page.get_by_test_id("room-menu").click()
    form = page.get_by_test_id("room-settings")
    form.wait_for()
    return form


def test_the_owner_renames_and_reseats_the_room_and_a_friend_sees_it_at_once(
    party: Party, artifacts: Path
) -> None:
    owner, friend = party.owner, party.friend
    form = open_settings(owner)
    form.get_by_test_id("settings-name").fill("Friday film")
    form.get_by_test_id("settings-seats").select_option("3")
    owner.screenshot(path=artifacts / "room-settings-1280x800.png")
    form.get_by_test_id("settings-save").click()
    for page in (owner, friend):
        page.get_by_test_id("room-title").filter(has_text="Friday film").wait_for(timeout=10_000)
        page.get_by_test_id("chat-log").get_by_text("name “Friday film” · 3 seats").wait_for()
    friend.screenshot(path=artifacts / "room-settings-seen-by-friend.png")
    shown = owner.context.request.get(f"{party.base_url}/api/v1/rooms/{party.code}").json()
    assert (shown["name"], shown["maxParticipants"]) == ("Friday film", 3)


def test_a_password_set_live_is_asked_of_the_next_person_only(party: Party, browser: Any) -> None:
    form = open_settings(party.owner)
    # A seat for the newcomer (three people fill the three seats set above: a full
    # room says so before it asks for any password).
    form.get_by_test_id("settings-seats").select_option("4")
    form.get_by_test_id("settings-password").fill("popcorn42")
    form.get_by_test_id("settings-save").click()
    party.friend.get_by_test_id("chat-log").get_by_text("password set").wait_for(timeout=10_000)
    assert "popcorn42" not in party.friend.get_by_test_id("chat-log").inner_text()
    # People already here stay; someone new is asked for the password.
    newcomer = browser.new_context(viewport=DESKTOP).new_page()
    try:
        browser_rig.register_in_context(
            newcomer.context, party.base_url, f"sn{str(time.time_ns())[-8:]}"
        )
        newcomer.goto(f"{party.base_url}/r/{party.code}")
        newcomer.get_by_test_id("room-password-input").wait_for(timeout=10_000)
    finally:
        newcomer.context.close()
    assert party.friend.get_by_test_id("room-title").is_visible()
    # Clearing it again is one checkbox.
    form = open_settings(party.owner)
    form.get_by_test_id("settings-remove-password").check()
    form.get_by_test_id("settings-save").click()
    party.friend.get_by_test_id("chat-log").get_by_text("password removed").wait_for()


def test_guests_write_once_the_owner_lets_them(party: Party, artifacts: Path) -> None:
    guest = party.guest
    note = guest.get_by_test_id("guest-register")
    if not note.is_visible():
        guest.get_by_test_id("tab-chat").click()
    note.wait_for()
    # "Create an account to write" brings the guest back to this very room.
    assert f"next=%2Fr%2F{party.code}" in (note.get_attribute("href") or "")
    assert guest.get_by_test_id("chat-input").count() == 0
    form = open_settings(party.owner)
    form.get_by_test_id("settings-guest-chat").check()
    form.get_by_test_id("settings-save").click()
    guest.get_by_test_id("chat-input").wait_for(timeout=10_000)
    guest.get_by_test_id("chat-input").fill("hello from the sofa")
    guest.get_by_test_id("chat-send").click()
    party.owner.get_by_test_id("chat-log").get_by_text("hello from the sofa").wait_for()
    guest.screenshot(path=artifacts / "room-settings-guest-chat-390x844.png")


def test_my_rooms_lists_the_room_with_its_live_count_and_takes_the_owner_back_in(
    party: Party, artifacts: Path
) -> None:
    owner = party.owner
    owner.goto(f"{party.base_url}/")
    entry = owner.locator(f'[data-testid=my-room][data-code="{party.code}"]')
    entry.wait_for(timeout=10_000)
    assert "Friday film" in entry.inner_text()
    # The friend and the guest are still in the room (the owner just left it).
    entry.get_by_test_id("my-room-count").filter(has_text="2 watching").wait_for(timeout=20_000)
    owner.screenshot(path=artifacts / "my-rooms-1280x800.png")
    # The friend lists it among the rooms they joined.
    party.friend.goto(f"{party.base_url}/")
    party.friend.locator(
        f'[data-testid=my-rooms-recent] [data-testid=my-room][data-code="{party.code}"]'
    ).wait_for(timeout=10_000)
    entry.click()
    owner.wait_for_url(f"**/r/{party.code}")
    owner.get_by_test_id("room-title").filter(has_text="Friday film").wait_for()
