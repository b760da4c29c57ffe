"""Real-browser voice tests: headless Chromium through Playwright, and coturn.

Playwright's sync API blocks its thread, while the server under test runs on
the test's Trio loop; scenarios therefore run whole in a worker thread
(`trio.to_thread.run_sync`), each with its own browser.

The page is the app's own origin (its CSP admits only same-origin scripts):
the voice harness, bundled from `web/src/voice` with the bundler Vite ships,
is served at `/voice-harness.js` through `page.route` and loaded with a
`<script src>`. The harness keeps ICE on the loopback interface, so nothing
leaves this machine.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "tests" / "voice" / "browser" / "harness.ts"
BUNDLER = ROOT / "web" / "node_modules" / ".bin" / "rolldown"
COTURN_CONFIG = ROOT / "deploy" / "coturn" / "turnserver.conf"
HARNESS_PATH = "/voice-harness.js"
# The TURN REST secret of the voice suite's settings (tests/voice/conftest.py).
TURN_SECRET = "test-turn-secret-for-the-voice-suite"

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
    # Host candidates on 127.0.0.1: the harness offers peers nothing else.
    "--allow-loopback-in-peer-connection",
]


class BrowserUnavailable(RuntimeError):
    pass


def missing_tools() -> list[str]:
    missing = []
    if shutil.which("chromium") is None:
        missing.append("chromium (apt-get install chromium)")
    if shutil.which("turnserver") is None:
        missing.append("coturn (apt-get install coturn)")
    if not BUNDLER.exists():
        missing.append(f"{BUNDLER.relative_to(ROOT)} (npm ci in web/)")
    return missing


@cache
def harness_bundle() -> bytes:
    """`tests/voice/browser/harness.ts` plus `web/src/voice`, as one classic script."""
    if not BUNDLER.exists():
        raise BrowserUnavailable(f"{BUNDLER} is missing: run `npm ci` in web/ (nox -s web does)")
    with tempfile.TemporaryDirectory(prefix="voice-harness-") as directory:
        out = Path(directory) / "harness.js"
        command = [str(BUNDLER), str(HARNESS), "--format", "iife", "--platform", "browser"]
        command += ["-o", str(out)]
        subprocess.run(command, cwd=ROOT / "web", check=True, capture_output=True, timeout=60)
        return out.read_bytes()


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        raise BrowserUnavailable("chromium is not installed (apt-get install chromium)")
    return path


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
        try:
            yield found
        finally:
            found.close()


class VoicePage:
    """One person: a browser context on the app's origin with the harness loaded."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        bundle = harness_bundle()
        self.page.route(
            f"{base_url}{HARNESS_PATH}",
            lambda route: route.fulfill(
                status=200, body=bundle, content_type="text/javascript; charset=utf-8"
            ),
        )
        self.page.goto(f"{base_url}/voice-lab")
        self.page.add_script_tag(url=HARNESS_PATH)
        self.page.wait_for_function("() => window.voiceHarness !== undefined")
        self.participant_id = ""

    def start(self, code: str, token: str, **options: Any) -> str:
        self.participant_id = self.page.evaluate(
            "(options) => window.voiceHarness.start(options)",
            {"code": code, "token": token, **options},
        )
        return self.participant_id

    def stats(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = self.page.evaluate("() => window.voiceHarness.stats()")
        return found

    def call(self, name: str) -> Any:
        return self.page.evaluate(f"() => window.voiceHarness.{name}()")

    def close(self) -> None:
        self.context.close()


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.05
) -> float:
    """Poll `condition` (a browser query, so no event to wait on); return the seconds taken."""
    start = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def all_connected(page: VoicePage, peers: set[str]) -> bool:
    stats = page.stats()
    return set(stats) == peers and all(stats[p]["state"] == "connected" for p in peers)


def join_all(pages: list[VoicePage], code: str, tokens: list[str], **options: Any) -> None:
    for page, token in zip(pages, tokens, strict=True):
        page.start(code, token, **options)


def mesh_connected(pages: list[VoicePage], timeout: float = 15) -> float:
    ids = {page.participant_id for page in pages}
    return wait_until(
        lambda: all(all_connected(page, ids - {page.participant_id}) for page in pages),
        timeout,
        "every pair connected",
    )


def audio_flows_from_everyone(pages: list[VoicePage], timeout: float = 10) -> None:
    """Each page's inbound audio grows from every one of its peers."""
    before = {id(page): page.stats() for page in pages}

    def grown() -> bool:
        for page in pages:
            now = page.stats()
            then = before[id(page)]
            for peer, figures in now.items():
                if figures["bytesReceived"] <= then.get(peer, {}).get("bytesReceived", 0) + 1000:
                    return False
        return True

    wait_until(grown, timeout, "audio bytes from every peer")


def browser_settings(settings_factory: Callable[..., Any], **overrides: Any) -> Any:
    """Settings for a server that browsers reach: a fixed port, so the page's
    origin is the public one the WebSocket origin check admits."""
    port = free_port()
    values: dict[str, Any] = {
        "register_limit_per_hour": 0,
        "api_limit_per_minute": 0,
        "port": port,
        "public_url": f"http://127.0.0.1:{port}",
        "stun_urls": (),
        "turn_urls": (),
        "turn_secret": None,
    }
    return settings_factory(**(values | overrides))


# --- coturn ----------------------------------------------------------------------


def free_port() -> int:
    """A port free for both TCP and UDP on 127.0.0.1."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free port")


class TurnServer:
    """Debian's turnserver with the deployment's config plus loopback-only test overrides."""

    def __init__(self, workdir: Path, secret: str | None = None) -> None:
        binary = shutil.which("turnserver")
        if binary is None:
            raise BrowserUnavailable("coturn is not installed (apt-get install coturn)")
        self.secret = secret or secrets.token_urlsafe(24)
        self.port = free_port()
        relay_low = 20000 + secrets.randbelow(400) * 100
        workdir.mkdir(parents=True, exist_ok=True)
        self.command = [
            binary,
            "-c", str(COTURN_CONFIG),
            f"--static-auth-secret={self.secret}",
            "--listening-ip=127.0.0.1",
            "--relay-ip=127.0.0.1",
            f"--listening-port={self.port}",
            f"--min-port={relay_low}",
            f"--max-port={relay_low + 99}",
            # Test only: the peers and the relay all live on loopback.
            "--allow-loopback-peers",
            "--allowed-peer-ip=127.0.0.1",
            "--no-tls",
            "--no-dtls",
            # The benchmark rejoins one person a dozen times in seconds; the allocations
            # Chromium leaves behind would hit the production per-credential quota.
            "--user-quota=0",
            f"--pidfile={workdir / 'turnserver.pid'}",
            f"--userdb={workdir / 'turndb'}",
            f"--log-file={workdir / 'turn.log'}",
        ]  # fmt: skip
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def urls(self) -> tuple[str, ...]:
        return (
            f"turn:127.0.0.1:{self.port}?transport=udp",
            f"turn:127.0.0.1:{self.port}?transport=tcp",
        )

    def start(self) -> None:
        quiet = subprocess.DEVNULL
        process = subprocess.Popen(self.command, stdout=quiet, stderr=quiet, start_new_session=True)
        self.process = process
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"turnserver exited with {process.returncode}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError("turnserver did not start listening")
            time.sleep(0.05)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


@contextlib.contextmanager
def coturn(workdir: Path, secret: str | None = None) -> Iterator[TurnServer]:
    server = TurnServer(workdir, secret)
    try:
        server.start()
        yield server
    finally:
        server.stop()
