"""The instance serving a room dies (`kill -9`) while two people watch; both pages are
back in step on its other instance without a click (issue 15 §2).

Two `syncwatch serve` processes share PostgreSQL (a throwaway database), a Redis of
the test's own, the secret key and the media storage, behind Debian's nginx with
the shipped configuration (rooms routed by a consistent hash of their code), over
HTTPS with a self-signed certificate. Two signed-in pages play an HLS clip in one
room; the instance running the room is killed. nginx sends the pages' reconnects
to the other instance, which takes the room over once the dead one stops beating
(ADR 0015, about 3 s) from the snapshot, and the pages resume on their own.

In step means what tests/e2e/test_room_in_chromium.py means: over the last second
of presented frames, each page's median media time within IN_STEP_MS of the room's
timeline and the median spread between the pages within IN_STEP_SPREAD_MS.
"""

from __future__ import annotations

import secrets
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tasks import browser_rig
from tasks.drift_analysis import frame_errors, percentile, spread_series
from tests.support.databases import throwaway_postgres_database
from tests.support.processes import free_port, syncwatch_process
from tests.support.proxy import nginx_in_front
from tests.support.redis_server import own_redis

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres]

IN_STEP_MS = 60
IN_STEP_SPREAD_MS = 40
SETTLE_TIMEOUT_S = 20
# From the kill to both pages back in step: the takeover (~3 s after the dead
# instance's last beat), the reconnect and the players finding their place again
# (3.1 s measured here). Waiting out the 10 s lease instead would not make it.
BACK_IN_STEP_S = 12
DESKTOP = {"width": 1280, "height": 800}


@dataclass
class Instance:
    url: str
    process: subprocess.Popen[bytes]


@dataclass
class Deployment:
    url: str  # nginx, https
    instances: list[Instance]


@dataclass
class Viewer:
    name: str
    context: Any
    page: Any
    frames: list[dict[str, Any]] = field(default_factory=list)
    states: list[dict[str, Any]] = field(default_factory=list)

    def collect(self) -> None:
        drained = self.page.evaluate("() => window.__rig.drain()")
        self.frames = [*self.frames, *drained["frames"]][-400:]
        self.states = drained["states"]


@pytest.fixture(scope="module")
def deployment(
    chromium_path: str, tmp_path_factory: pytest.TempPathFactory, postgres_server_url: str
) -> Iterator[Deployment]:
    browser_rig.ensure_web_build()
    work = tmp_path_factory.mktemp("failover")
    http_port, https_port = free_port(), free_port()
    public_url = f"https://localhost:{https_port}"
    with (
        own_redis() as redis_server,
        throwaway_postgres_database(postgres_server_url) as database_url,
        ExitStack() as stack,
    ):
        shared = {
            "public_url": public_url,
            "trust_proxy_headers": "true",
            "secret_key": secrets.token_urlsafe(48),
            "storage_url": f"file://{work / 'media'}",
            "database_url": database_url,
            "redis_url": redis_server.url,
            "register_limit_per_hour": "0",
            "log_level": "warning",
        }
        instances = [
            Instance(
                *stack.enter_context(syncwatch_process(work / name, work / f"{name}.log", **shared))
            )
            for name in ("one", "two")
        ]
        ports = tuple(int(i.url.rsplit(":", 1)[1]) for i in instances)
        with nginx_in_front(work, http_port=http_port, https_port=https_port, app_ports=ports):
            yield Deployment(public_url, instances)


def new_viewer(browser: Any, name: str, clip: Path) -> Viewer:
    # The certificate is the test's own: the page trusts it as a browser told to would.
    context = browser.new_context(viewport=DESKTOP, ignore_https_errors=True)
    browser_rig.install_probe(context)
    browser_rig.serve_directory(context, "e2e-media", clip.parent)
    return Viewer(name=name, context=context, page=context.new_page())


def local_now(page: Any) -> float:
    now: float = page.evaluate("() => performance.timeOrigin + performance.now()")
    return now


def in_step(viewers: list[Viewer]) -> tuple[bool, str]:
    """Whether every page plays on the room's timeline and with the others now."""
    for viewer in viewers:
        viewer.collect()
    now = local_now(viewers[0].page)
    window = (now - 1000, now)
    errors = {}
    for viewer in viewers:
        recent = [f for f in viewer.frames if window[0] <= f["at"] <= window[1]]
        errors[viewer.name] = [e for _, e in frame_errors(recent, viewer.states)]
    if any(len(values) < 15 for values in errors.values()):
        return False, f"frames in the last second: { {k: len(v) for k, v in errors.items()} }"
    spreads = [s for _, s in spread_series([v.frames for v in viewers], *window)]
    worst = max(abs(percentile(values, 0.5)) for values in errors.values())
    spread = percentile(spreads, 0.5) if spreads else float("inf")
    return worst <= IN_STEP_MS and spread <= IN_STEP_SPREAD_MS, (
        f"worst page error {worst:.1f} ms, spread {spread:.1f} ms"
    )


def wait_in_step(viewers: list[Viewer], timeout_s: float) -> float:
    """Seconds until every page is in step (fails the test after `timeout_s`)."""
    started = time.monotonic()
    last = ""
    while time.monotonic() - started < timeout_s:
        time.sleep(0.25)
        done, last = in_step(viewers)
        if done:
            return time.monotonic() - started
    pytest.fail(f"pages not in step within {timeout_s:.1f} s: {last}")


def serving(deployment: Deployment, code: str, token: str) -> Instance:
    """The instance the room runs on, asked of each live one directly: exactly one has
    members."""
    live = [
        instance
        for instance in deployment.instances
        if instance.process.poll() is None
        and httpx.get(
            f"{instance.url}/api/v1/rooms/{code}", headers={"Authorization": f"Bearer {token}"}
        ).json().get("participantCount", 0) > 0
    ]  # fmt: skip
    assert len(live) == 1, f"the room runs on {len(live)} instances"
    return live[0]


def test_both_pages_are_back_in_step_after_the_rooms_instance_is_killed(
    browser: Any, deployment: Deployment, hls_clip: Path
) -> None:
    suffix = str(time.time_ns())[-8:]
    owner = new_viewer(browser, "owner", hls_clip)
    friend = new_viewer(browser, "friend", hls_clip)
    viewers = [owner, friend]
    try:
        signed_up = browser_rig.register_in_context(owner.context, deployment.url, f"own{suffix}")
        browser_rig.register_in_context(friend.context, deployment.url, f"fri{suffix}")
        room = browser_rig.create_room_in_context(
            owner.context, deployment.url, signed_up["accessToken"], name="Failover"
        )
        for viewer in viewers:
            viewer.page.goto(f"{deployment.url}/r/{room['code']}")
            viewer.page.get_by_test_id("room-title").wait_for()
        owner.page.get_by_test_id("source-input").fill(f"{deployment.url}/e2e-media/clip.m3u8")
        owner.page.get_by_test_id("source-submit").click()
        for viewer in viewers:
            viewer.page.wait_for_function("() => window.__syncwatch?.playerKind === 'hls'")
        owner.page.get_by_test_id("play-pause").click()
        wait_in_step(viewers, SETTLE_TIMEOUT_S)
        seq_before = owner.page.evaluate("() => window.__syncwatch.lastAppliedSeq")

        doomed = serving(deployment, room["code"], signed_up["accessToken"])
        doomed.process.kill()  # SIGKILL: nothing saved, no socket closed properly
        doomed.process.wait()
        killed_at = time.monotonic()
        for viewer in viewers:  # both saw their socket drop
            viewer.page.wait_for_function(
                "() => window.__syncwatch.socketState !== 'open'", timeout=5_000
            )
        for viewer in viewers:
            left_s = BACK_IN_STEP_S - (time.monotonic() - killed_at)
            viewer.page.wait_for_function(
                "() => window.__syncwatch.socketState === 'open'", timeout=max(1, left_s) * 1000
            )
        wait_in_step(viewers, BACK_IN_STEP_S - (time.monotonic() - killed_at))
        print(f"both pages back in step {time.monotonic() - killed_at:.1f} s after the kill")
        for viewer in viewers:
            seen = viewer.page.evaluate(
                "() => ({seq: window.__syncwatch.lastAppliedSeq,"
                " playing: window.__syncwatch.isPlaying,"
                " paused: document.querySelector('video').paused})"
            )
            # The same state as before the kill, playing, on every page: nothing lost,
            # nothing replayed, and no "reconnect" or "rejoin" button was pressed.
            assert seen == {"seq": seq_before, "playing": True, "paused": False}, viewer.name
            assert viewer.page.get_by_test_id("disconnected-banner").count() == 0
        serving(deployment, room["code"], signed_up["accessToken"])  # one copy of the room
    finally:
        for viewer in viewers:
            viewer.context.close()
