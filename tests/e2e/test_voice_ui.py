"""Voice chat through the room page itself, in real Chromium on the real server.

Two people open the room (the owner signs in, a guest joins from the invite
gate), both press "Join voice", and each sees the other's speaking ring light
up when Chromium's fake microphone beeps. Screenshots of the room with the
voice panel at desktop and phone sizes go to `artifacts/`.

The app is the built one (`web/dist`, served by the server). As in the voice
mesh tests, peers learn only loopback candidates: an init script filters the
`voice:signal` frames the page sends, so no traffic leaves this machine.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import trio

from syncwatch.settings import Settings
from tests.support.databases import service_missing
from tests.support.voice import BROWSER_ARGS, browser_settings
from tests.support.ws import create_room, register

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WEB_DIST = ROOT / "web" / "dist" / "index.html"
ARTIFACTS = ROOT / "artifacts"
OWNER_PASSWORD = "correct horse"

# Same rule as tests/voice/browser/harness.ts, applied to what the app sends.
LOOPBACK_ONLY = r"""
(() => {
  const onLoopback = (line) => {
    const address = line.replace(/^a=/, "").split(" ")[4] || "";
    return address.startsWith("127.") || address === "::1";
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === "string" && data.includes('"voice:signal"')) {
      const frame = JSON.parse(data);
      const signal = frame.type === "voice:signal" && frame.data ? frame.data.signal : null;
      if (signal && signal.candidate) {
        const line = signal.candidate.candidate || "";
        if (line !== "" && !onLoopback(line)) return;
      }
      if (signal && signal.description && signal.description.sdp) {
        signal.description.sdp = signal.description.sdp
          .split("\r\n")
          .filter((line) => !line.startsWith("a=candidate:") || onLoopback(line))
          .join("\r\n");
        data = JSON.stringify(frame);
      }
    }
    return send.call(this, data);
  };
})();
"""


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'syncwatch.db'}"


@pytest.fixture
def settings(settings_factory: Any) -> Settings:
    # Host candidates only: no STUN or TURN server is contacted.
    found: Settings = browser_settings(settings_factory)
    return found


@pytest.fixture(autouse=True)
def _tools() -> None:
    missing = []
    if shutil.which("chromium") is None:
        missing.append("chromium (apt-get install chromium)")
    if not WEB_DIST.exists():
        missing.append("web/dist (npm run build in web/)")
    if missing:
        service_missing("the voice UI test needs " + ", ".join(missing))


@contextmanager
def chromium(args: list[str] = BROWSER_ARGS) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = shutil.which("chromium")
        found = playwright.chromium.launch(executable_path=path, args=args)
        try:
            yield found
        finally:
            found.close()


def open_person(browser: Any, **context: Any) -> Any:
    page = browser.new_context(**context).new_page()
    page.add_init_script(LOOPBACK_ONLY)
    page.set_default_timeout(15_000)
    return page


def speaking(name: str) -> str:
    return (
        f'li[data-testid="participant"]:has-text("{name}") '
        '[data-testid="voice-speaking"][data-speaking="true"]'
    )


def show_voice_settings(page: Any) -> None:
    """The voice settings: the Voice tab on a phone, the voice bar's popover on a wide screen."""
    if page.get_by_test_id("room-view").get_attribute("data-layout") == "narrow":
        page.get_by_test_id("tab-voice").click()
    elif page.get_by_test_id("voice-settings").count() == 0:
        page.get_by_test_id("voice-settings-toggle").click()
    page.get_by_test_id("voice-settings").wait_for()


def show_people(page: Any) -> None:
    if page.get_by_test_id("room-view").get_attribute("data-layout") == "narrow":
        page.get_by_test_id("tab-people").click()


def two_people_talk(base_url: str, code: str) -> None:
    with chromium() as browser:
        owner = open_person(browser, viewport={"width": 1440, "height": 1000})
        owner.goto(f"{base_url}/login?next=/r/{code}")
        owner.get_by_test_id("login-name").fill("ann")
        owner.get_by_test_id("login-password").fill(OWNER_PASSWORD)
        owner.get_by_test_id("login-submit").click()

        guest = open_person(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
        guest.goto(f"{base_url}/r/{code}")
        guest.get_by_test_id("gate-nickname").fill("Bo")
        guest.get_by_test_id("gate-guest").click()

        for page in (owner, guest):
            page.get_by_test_id("room-title").wait_for()
            show_voice_settings(page)
            # Push-to-talk sends the fake microphone's beeps whole while the key is
            # held; voice activity would only open after each short beep began.
            page.locator("label", has_text="Push to talk").click()
            assert page.get_by_test_id("voice-mode-push_to_talk").is_checked()
            page.get_by_test_id("voice-join").click()
            page.get_by_test_id("voice-leave").wait_for()
            show_voice_settings(page)
            assert page.get_by_test_id("voice-ptt-binding").inner_text() == "V"
        # The owner alone has the room-wide privacy switch.
        assert owner.get_by_test_id("voice-room-relay-only").count() == 1
        assert guest.get_by_test_id("voice-room-relay-only").count() == 0
        for page in (owner, guest):
            show_people(page)
            page.keyboard.down("v")

        # Chromium's fake microphone beeps every second: each hears the other.
        owner.wait_for_selector(speaking("Bo"))
        guest.wait_for_selector(speaking("ann"))
        # Loopback is as good as a network gets.
        owner.wait_for_selector('[data-testid="voice-quality"][data-quality="excellent"]')
        assert owner.get_by_test_id("voice-problem").count() == 0
        assert guest.get_by_test_id("voice-problem").count() == 0

        ARTIFACTS.mkdir(exist_ok=True)
        owner.screenshot(path=str(ARTIFACTS / "voice-room-desktop.png"), full_page=True)
        guest.screenshot(path=str(ARTIFACTS / "voice-room-phone.png"), full_page=True)
        for page in (owner, guest):
            page.keyboard.up("v")

        # Leaving voice takes the person out of the other's call.
        show_voice_settings(guest)
        guest.get_by_test_id("voice-leave").click()
        owner.wait_for_selector(
            'li[data-testid="participant"]:has-text("Bo") [data-testid="voice-quality"]',
            state="detached",
        )

        # The owner makes the room relay-only, but this server has no TURN relay:
        # rather than keep direct connections the room forbids, voice stops and says why.
        # The switch follows the room, so it flips once the server broadcast the change.
        show_voice_settings(owner)
        owner.get_by_test_id("voice-room-relay-only").click()
        problem = owner.get_by_test_id("voice-problem")
        problem.wait_for()
        assert problem.get_attribute("data-code") == "relay_unavailable"
        assert "relay" in problem.inner_text().lower()
        owner.get_by_test_id("voice-join").wait_for()
        # Everyone's own relay-only switch now shows the room's choice, locked on.
        guest_switch = guest.get_by_test_id("voice-relay-only")
        guest_switch.wait_for()
        guest.wait_for_function(
            "() => document.querySelector('[data-testid=voice-relay-only]').checked"
        )
        assert guest_switch.is_disabled()


async def test_two_people_join_voice_from_the_room_and_see_each_other_speak(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner_token = await register(http, "ann")
    room = await create_room(http, owner_token)
    await trio.to_thread.run_sync(partial(two_people_talk, live_server, room["code"]))


WITHOUT_MICROPHONE = [a for a in BROWSER_ARGS if a != "--use-fake-device-for-media-stream"]
MICROPHONE_REFUSED = [a for a in BROWSER_ARGS if a != "--use-fake-ui-for-media-stream"]


def microphone_problems(base_url: str, code: str) -> dict[str, str]:
    """What "Join voice" says when the microphone is refused, and when there is none."""
    found: dict[str, str] = {}
    for case, args in (("refused", MICROPHONE_REFUSED), ("missing", WITHOUT_MICROPHONE)):
        with chromium(args) as browser:
            page = open_person(browser)
            page.goto(f"{base_url}/r/{code}")
            page.get_by_test_id("gate-guest").click()
            page.get_by_test_id("voice-join").click()
            problem = page.get_by_test_id("voice-problem")
            problem.wait_for()
            found[case] = f"{problem.get_attribute('data-code')}: {problem.inner_text()}"
            # Still out of the call, free to try again.
            assert page.get_by_test_id("voice-join").is_enabled()
    return found


async def test_join_voice_explains_a_refused_or_missing_microphone(
    http: httpx.AsyncClient, live_server: str
) -> None:
    room = await create_room(http, await register(http, "ann"))
    found = await trio.to_thread.run_sync(partial(microphone_problems, live_server, room["code"]))
    assert found["refused"].startswith("microphone_denied: Microphone access was denied")
    assert found["missing"].startswith("no_microphone: No microphone was found")
