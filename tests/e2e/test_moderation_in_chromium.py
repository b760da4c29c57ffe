"""Moderation and privacy presets as people use them, in real headless Chromium.

The owner (1280x800) mutes a friend's chat from the people list; the friend (on a
390x844 phone) is told, sees why their message is refused, and everyone sees the
mute in the people list. The owner mutes every voice; the friend raises a hand
and is let speak. A guest reports the friend. Then the owner creates a private
room with the creation form's preset picker, and someone without an invitation
who opens its link is told it is private. In a password room, a kicked guest is
asked for the password again and a banned one stays out after a reload.
Screenshots go to artifacts/e2e/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tasks import browser_rig

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 10_000


@dataclass
class Person:
    context: Any
    page: Any


@dataclass
class Room:
    base_url: str
    code: str
    owner: Person
    friend: Person
    guest: Person
    suffix: str


def person(browser: Any, viewport: dict[str, int]) -> Person:
    context = browser.new_context(viewport=viewport)
    return Person(context, context.new_page())


def row_of(page: Any, name: str) -> Any:
    return page.get_by_test_id("participant").filter(has_text=name)


def open_people(page: Any) -> None:
    """On a phone the people list is a tab."""
    tab = page.get_by_test_id("tab-people")
    if tab.is_visible():
        tab.click()


@pytest.fixture(scope="module")
def room(browser: Any, server_url: str) -> Iterator[Room]:
    suffix = str(time.time_ns())[-7:]
    owner, friend, guest = (
        person(browser, DESKTOP),
        person(browser, PHONE),
        person(browser, DESKTOP),
    )
    signed_up = browser_rig.register_in_context(owner.context, server_url, f"ann{suffix}")
    browser_rig.register_in_context(friend.context, server_url, f"bob{suffix}")
    made = browser_rig.create_room_in_context(
        owner.context, server_url, signed_up["accessToken"], name="Moderated"
    )
    code = made["code"]
    for someone in (owner, friend):
        someone.page.goto(f"{server_url}/r/{code}")
        someone.page.get_by_test_id("room-title").wait_for()
    guest.page.goto(f"{server_url}/r/{code}")
    guest.page.get_by_test_id("gate-nickname").fill("Gus")
    guest.page.get_by_test_id("gate-guest").click()
    guest.page.get_by_test_id("room-title").wait_for()
    row_of(owner.page, "Gus").wait_for(timeout=WAIT_MS)
    yield Room(server_url, code, owner, friend, guest, suffix)
    for someone in (owner, friend, guest):
        someone.context.close()


def choose_preset(page: Any, test_id: str) -> None:
    # The radio itself is visually hidden (the card is its label): click what people click.
    page.locator("label").filter(has=page.get_by_test_id(test_id)).click()
    # Checked once the room has taken the change (the picker shows the room's preset).
    expect(page.get_by_test_id(test_id)).to_be_checked()


def test_the_owner_mutes_a_friends_chat_and_everyone_sees_it(room: Room, artifacts: Path) -> None:
    bob = f"bob{room.suffix}"
    owner = room.owner.page
    row_of(owner, bob).get_by_role("button", name=re.compile("Actions for")).click()
    owner.get_by_test_id("moderate-mute").click()
    owner.get_by_test_id("mute-scope-chat").click()
    owner.screenshot(path=str(artifacts / "moderation-mute-menu-1280.png"))
    owner.get_by_test_id("mute-for-300000").click()

    friend = room.friend.page
    # Told once, under the chat, for as long as the mute lasts (no toast over the composer).
    note = friend.get_by_test_id("chat-muted-note")
    note.wait_for(timeout=WAIT_MS)
    assert "muted your chat for 5 minutes" in note.inner_text()
    friend.get_by_test_id("chat-input").fill("can anyone hear me")
    friend.get_by_test_id("chat-send").click()
    refusal = friend.get_by_test_id("notice").filter(has_text="muted").first
    refusal.wait_for(timeout=WAIT_MS)
    # On a phone the composer is at the bottom of the screen: notices never cover it.
    notice_box, composer_box = (
        refusal.bounding_box(),
        friend.get_by_test_id("chat-input").bounding_box(),
    )
    assert notice_box is not None
    assert composer_box is not None
    assert (
        notice_box["y"] + notice_box["height"] <= composer_box["y"]
        or composer_box["y"] + composer_box["height"] <= notice_box["y"]
    ), (notice_box, composer_box)
    friend.screenshot(path=str(artifacts / "moderation-muted-member-390.png"))

    for page in (owner, room.guest.page):
        row_of(page, bob).get_by_test_id("chat-muted-badge").wait_for(timeout=WAIT_MS)
    open_people(friend)
    row_of(friend, bob).get_by_test_id("chat-muted-badge").wait_for(timeout=WAIT_MS)
    # The line was refused: nobody else got it.
    assert "can anyone hear me" not in room.guest.page.get_by_test_id("chat-log").inner_text()
    owner.screenshot(path=str(artifacts / "moderation-owner-1280.png"))


def test_every_voice_muted_a_hand_raised_and_the_owner_lets_them_speak(
    room: Room, artifacts: Path
) -> None:
    bob = f"bob{room.suffix}"
    owner, friend = room.owner.page, room.friend.page
    owner.get_by_test_id("voice-mute-all").click()
    open_people(friend)
    friend.get_by_test_id("raise-hand").click()
    row_of(owner, bob).get_by_test_id("hand-raised-badge").wait_for(timeout=WAIT_MS)
    row_of(room.guest.page, bob).get_by_test_id("hand-raised-badge").wait_for(timeout=WAIT_MS)
    row_of(owner, bob).get_by_role("button", name=re.compile("Actions for")).click()
    owner.get_by_test_id("allow-speaker").click()
    friend.get_by_test_id("may-speak").wait_for(timeout=WAIT_MS)
    row_of(owner, bob).get_by_test_id("hand-raised-badge").wait_for(state="detached")
    owner.get_by_test_id("voice-mute-all").click()
    friend.get_by_test_id("may-speak").wait_for(state="detached", timeout=WAIT_MS)
    # The owner's room menu: who may join, changed live, and the automod's rules.
    owner.get_by_test_id("room-menu").click()
    choose_preset(owner, "privacy-friends_only")
    room.guest.page.get_by_test_id("room-title").wait_for()
    owner.screenshot(path=str(artifacts / "moderation-room-menu-1280.png"))
    choose_preset(owner, "privacy-public")
    owner.keyboard.press("Escape")


def test_a_guest_reports_a_member_and_only_the_guest_hears_of_it(room: Room) -> None:
    bob = f"bob{room.suffix}"
    guest = room.guest.page
    row_of(guest, bob).get_by_role("button", name=re.compile("Actions for")).click()
    guest.get_by_test_id("report").click()
    guest.get_by_test_id("report-reason").select_option("spam")
    guest.get_by_test_id("report-details").fill("Posting the same link again and again")
    guest.get_by_test_id("report-send").click()
    guest.get_by_test_id("notice").filter(has_text="Your report").wait_for(timeout=WAIT_MS)
    time.sleep(0.5)  # what the reported member would have been sent has arrived by now
    for text in room.friend.page.get_by_test_id("notice").all_inner_texts():
        assert "report" not in text.lower()


def test_a_private_room_made_with_the_preset_picker_turns_away_the_uninvited(
    browser: Any, room: Room, artifacts: Path
) -> None:
    owner = room.owner.page
    owner.goto(f"{room.base_url}/")
    owner.get_by_test_id("room-name").fill("Just us")
    choose_preset(owner, "privacy-private")
    assert owner.get_by_test_id("guests-allowed").is_disabled()
    owner.screenshot(path=str(artifacts / "moderation-create-private-1280.png"))
    owner.get_by_test_id("create-room").click()
    owner.get_by_test_id("enter-room").click()
    owner.get_by_test_id("room-title").wait_for()
    code = owner.url.rstrip("/").rsplit("/", 1)[-1]

    stranger = person(browser, PHONE)
    try:
        browser_rig.register_in_context(stranger.context, room.base_url, f"eve{room.suffix}")
        stranger.page.goto(f"{room.base_url}/r/{code}")
        ended = stranger.page.get_by_test_id("room-ended")
        ended.wait_for(timeout=WAIT_MS)
        assert ended.get_attribute("data-reason") == "invitation_required"
        assert "private" in stranger.page.content().lower()
        stranger.page.screenshot(path=str(artifacts / "moderation-private-refused-390.png"))
    finally:
        stranger.context.close()


def test_a_kicked_guest_needs_the_password_again_and_a_banned_one_stays_out(
    browser: Any, server_url: str
) -> None:
    # A room admits someone for its life (a reload needs no password) until they are
    # removed: a kick takes that back, so the password is asked again; a ban keeps
    # them out, reload or not. The owner is on a desktop, the guest on a phone.
    suffix = str(time.time_ns())[-7:]
    owner, guest = person(browser, DESKTOP), person(browser, PHONE)
    signed_up = browser_rig.register_in_context(owner.context, server_url, f"kay{suffix}")
    made = browser_rig.create_room_in_context(
        owner.context, server_url, signed_up["accessToken"], name="Door", password="secret12"
    )
    url = f"{server_url}/r/{made['code']}"
    owner.page.goto(url)
    owner.page.get_by_test_id("room-title").wait_for()

    def enter_with_password() -> None:
        guest.page.get_by_test_id("room-password-input").fill("secret12")
        guest.page.get_by_test_id("room-password-submit").click()
        guest.page.get_by_test_id("room-title").wait_for()

    guest.page.goto(url)
    guest.page.get_by_test_id("gate-nickname").fill("Gil")
    guest.page.get_by_test_id("gate-guest").click()
    enter_with_password()
    guest.page.reload()
    guest.page.get_by_test_id("room-title").wait_for()
    assert guest.page.get_by_test_id("room-password-input").count() == 0

    def remove(action: str) -> None:
        row = row_of(owner.page, "Gil")
        row.wait_for(timeout=WAIT_MS)
        owner.page.get_by_test_id(
            f"participant-actions-{row.get_attribute('data-participant-id')}"
        ).click()
        owner.page.get_by_test_id(action).click()
        if action == "ban":
            owner.page.get_by_test_id("ban-confirm").click()
        row.wait_for(state="detached", timeout=WAIT_MS)

    remove("kick")
    expect(guest.page.get_by_test_id("room-ended")).to_have_attribute("data-reason", "kicked")
    expect(guest.page.get_by_text("The owner removed you from this room.")).to_be_visible()
    guest.page.reload()
    guest.page.get_by_test_id("room-password-input").wait_for(timeout=WAIT_MS)
    enter_with_password()

    remove("ban")
    expect(guest.page.get_by_test_id("room-ended")).to_have_attribute("data-reason", "banned")
    expect(guest.page.get_by_text("The owner banned you from this room.")).to_be_visible()
    guest.page.reload()
    expect(guest.page.get_by_test_id("room-ended")).to_have_attribute("data-reason", "banned")
    expect(guest.page.get_by_role("heading", name="You can't join this room")).to_be_visible()
    assert guest.page.get_by_test_id("room-password-input").count() == 0
    for someone in (owner, guest):
        someone.context.close()
