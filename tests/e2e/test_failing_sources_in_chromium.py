"""Sources that fail, in real headless Chromium: each kind of bad link is explained in
plain words with a suggestion on every page (never Chromium's raw
"MEDIA_ELEMENT_ERROR: Format error"), and the room reads one line saying who could
not play it and why, so the owner can pick another video.

The links come from a real local web server on another origin than the app
(another port): a 404 and a 403 (with CORS headers, as CDNs send them), a port
nobody listens on, a text file named .mp4, an HLS playlist served without CORS
headers, and an MPEG-4 Part 2 video generated with ffmpeg (Chromium has no
decoder for it). One more plays but cannot be sought in: an H.264 file from a
server that ignores range requests, as simple file servers do.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tasks import browser_rig
from tasks.hls_clip import ffmpeg_executable

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 800}
PLAYLIST = (
    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg0.ts\n#EXT-X-ENDLIST\n"
)


class FailingMedia(BaseHTTPRequestHandler):
    """`/cors/...` answers with `Access-Control-Allow-Origin: *`, `/nocors/...` without."""

    directory: Path

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        cors = path.startswith("/cors/")
        name = path.rsplit("/", 1)[-1]
        if name == "missing.mp4":
            self._answer(404, "text/html", b"<h1>Not Found</h1>", cors)
        elif name == "private.mp4":
            self._answer(403, "text/html", b"<h1>Forbidden</h1>", cors)
        elif name == "notes.mp4":
            self._answer(200, "text/plain; charset=utf-8", b"just some notes\n", cors)
        elif name == "stream.m3u8":
            self._answer(200, "application/vnd.apple.mpegurl", PLAYLIST.encode(), cors)
        elif name in ("mpeg4.mp4", "norange.mp4"):
            # Always the whole file with 200: a `Range` header is ignored.
            self._answer(200, "video/mp4", (self.directory / name).read_bytes(), cors)
        else:
            self._answer(404, "text/plain", b"no such file", cors)

    def _answer(self, status: int, content_type: str, body: bytes, cors: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def media_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("failing-media")
    ffmpeg = ffmpeg_executable()
    if ffmpeg is None:
        pytest.fail("ffmpeg is needed to make a video in a codec Chromium cannot play")
    subprocess.run(
        [
            ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
            "-c:v", "mpeg4", str(directory / "mpeg4.mp4"),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    subprocess.run(
        [
            ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=6",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
            str(directory / "norange.mp4"),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    handler = type("Handler", (FailingMedia,), {"directory": directory})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@dataclass
class Pages:
    owner: Any
    friend: Any


@pytest.fixture(scope="module")
def pages(browser: Any, server_url: str) -> Iterator[Pages]:
    suffix = str(time.time_ns())[-8:]
    owner = browser.new_context(viewport=DESKTOP).new_page()
    friend = browser.new_context(viewport=DESKTOP).new_page()
    signed_up = browser_rig.register_in_context(owner.context, server_url, f"fo{suffix}")
    browser_rig.register_in_context(friend.context, server_url, f"ff{suffix}")
    room = browser_rig.create_room_in_context(
        owner.context, server_url, signed_up["accessToken"], name="Bad links"
    )
    for page in (owner, friend):
        page.goto(f"{server_url}/r/{room['code']}")
        page.get_by_test_id("room-title").wait_for()
    yield Pages(owner, friend)
    for page in (owner, friend):
        page.context.close()


def set_source(page: Any, url: str) -> None:
    if not page.get_by_test_id("source-input").is_visible():
        page.get_by_test_id("change-video").click()
    page.get_by_test_id("source-input").fill(url)
    page.get_by_test_id("source-submit").click()


CASES = [
    ("/cors/missing.mp4", "not_found", "dead", "the link is dead (not found)"),
    ("/cors/private.mp4", "forbidden", "private", "the site refuses access"),
    ("/cors/notes.mp4", "not_a_video", "not to a video", "the link is not a video file"),
    ("/nocors/stream.m3u8", "hls_cors", "CORS", "doesn't allow other sites (CORS)"),
    ("/cors/mpeg4.mp4", "unsupported_codec", "codec", "the browser can't play its format"),
]


@pytest.mark.parametrize(("path", "reason", "words", "line"), CASES)
def test_a_failing_link_is_explained_on_every_page_and_told_to_the_room(
    pages: Pages,
    media_server: str,
    artifacts: Path,
    path: str,
    reason: str,
    words: str,
    line: str,
) -> None:
    check_failure(pages, f"{media_server}{path}", reason, words, line, artifacts)


def test_a_server_nobody_answers_on_is_unreachable(pages: Pages, artifacts: Path) -> None:
    closed = f"http://127.0.0.1:{browser_rig.free_port()}/clip.mp4"
    check_failure(
        pages, closed, "unreachable", "could not be reached", "can't be reached", artifacts
    )


def check_failure(
    pages: Pages, url: str, reason: str, words: str, line: str, artifacts: Path
) -> None:
    set_source(pages.owner, url)
    for page, who in ((pages.owner, "owner"), (pages.friend, "friend")):
        shown = page.locator(f"[data-testid=player-error][data-reason={reason}]")
        shown.wait_for(timeout=20_000)
        text = shown.inner_text()
        assert words in text, text
        assert "MEDIA_ELEMENT_ERROR" not in text
        assert "Format error" not in text
        if who == "owner":
            # Whoever picks the video is told what to do instead.
            assert any(hint in text.lower() for hint in ("upload", "another", "link")), text
            page.screenshot(path=artifacts / f"failing-source-{reason}.png")
    # One line in the room, whoever's report came first, on both pages.
    for page in (pages.owner, pages.friend):
        page.get_by_test_id("chat-log").get_by_text(line).first.wait_for(timeout=10_000)
        assert page.get_by_test_id("chat-log").get_by_text("can't play this video").count() >= 1
    lines = pages.friend.get_by_test_id("chat-log").get_by_text(line).count()
    assert lines == 1, f"{lines} lines for one failing source"


def test_a_file_whose_server_ignores_ranges_plays_and_everyone_is_told_it_cannot_jump(
    pages: Pages, media_server: str, artifacts: Path
) -> None:
    set_source(pages.owner, f"{media_server}/cors/norange.mp4")
    for page in (pages.owner, pages.friend):
        page.wait_for_function(
            "() => window.__syncwatch && window.__syncwatch.playerKind === 'html5'"
            " && document.querySelector('video').readyState >= 1",
            timeout=20_000,
        )
        notice = page.get_by_test_id("notice").filter(has_text="range requests")
        notice.wait_for(timeout=10_000)
        assert "Upload the file" in notice.inner_text()
        # It still plays: no failure is shown over the picture.
        assert page.get_by_test_id("player-error").count() == 0
    pages.owner.screenshot(path=artifacts / "failing-source-not-seekable.png")
    line = "can play this video only from the start"
    for page in (pages.owner, pages.friend):
        page.get_by_test_id("chat-log").get_by_text(line).first.wait_for(timeout=10_000)
    assert pages.friend.get_by_test_id("chat-log").get_by_text(line).count() == 1
