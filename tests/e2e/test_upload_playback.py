"""An uploaded file becomes the room's video: tus upload from the page, transcoding to
HLS on the server, and hls.js playing the result in two real Chromium pages.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tasks import browser_rig
from tasks.hls_clip import ffmpeg_executable

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRANSCODE_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def small_mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ffmpeg = ffmpeg_executable()
    if ffmpeg is None:
        pytest.fail("ffmpeg is needed to make the upload")
    target = tmp_path_factory.mktemp("upload") / "holiday.mp4"
    subprocess.run(
        [
            ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=426x240:rate=30:duration=8",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=8",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(target),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return target


@pytest.fixture(scope="module")
def pages(browser: Any, server_url: str) -> Iterator[tuple[Any, Any, str]]:
    suffix = str(time.time_ns())[-8:]
    owner_context = browser.new_context(viewport={"width": 1280, "height": 800})
    friend_context = browser.new_context(viewport={"width": 1280, "height": 800})
    owner = browser_rig.register_in_context(owner_context, server_url, f"uploader{suffix}")
    browser_rig.register_in_context(friend_context, server_url, f"viewer{suffix}")
    room = browser_rig.create_room_in_context(
        owner_context, server_url, owner["accessToken"], name="Home videos"
    )
    owner_page = owner_context.new_page()
    friend_page = friend_context.new_page()
    for page in (owner_page, friend_page):
        page.goto(f"{server_url}/r/{room['code']}")
        page.get_by_test_id("room-title").wait_for()
    yield owner_page, friend_page, room["code"]
    owner_context.close()
    friend_context.close()


def test_an_uploaded_file_is_transcoded_and_plays_for_everyone(
    pages: tuple[Any, Any, str], small_mp4: Path
) -> None:
    owner, friend, _code = pages
    refusals: list[str] = []
    owner.on(
        "response",
        lambda r: (
            refusals.append(f"{r.status} {r.request.method} {r.url}")
            if "/api/" in r.url and r.status >= 400
            else None
        ),
    )
    owner.get_by_test_id("upload-input").set_input_files(str(small_mp4))
    # The other member is told about the upload's processing, not only the uploader.
    friend.get_by_test_id("notice").filter(has_text="holiday.mp4 is ready to play").wait_for(
        timeout=TRANSCODE_TIMEOUT_MS
    )
    # The upload, the transcode and the switch of source happen by themselves.
    for page in (owner, friend):
        page.wait_for_function(
            "() => window.__syncwatch && window.__syncwatch.playerKind === 'hls'",
            timeout=TRANSCODE_TIMEOUT_MS,
        )
        assert page.evaluate("() => document.querySelector('video').src").startswith("blob:")
    owner.get_by_test_id("play-pause").click()
    for page in (owner, friend):
        page.wait_for_function(
            "() => { const v = document.querySelector('video');"
            " return v && !v.paused && v.currentTime > 1.5 && v.readyState >= 3; }",
            timeout=30_000,
        )
    positions = [
        page.evaluate("() => document.querySelector('video').currentTime")
        for page in (owner, friend)
    ]
    # Both pages play the same upload, close together (precision is the drift benchmark's job).
    assert abs(positions[0] - positions[1]) < 1.0
    assert owner.get_by_test_id("upload-error").count() == 0
    assert refusals == []
