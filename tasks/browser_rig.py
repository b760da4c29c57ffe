"""A real SyncWatch server and headless Chromium, for the browser end-to-end
tests and the drift benchmark.

- `syncwatch_server()` runs `python -m syncwatch serve` in a subprocess on a free
  loopback port (a separate process, as in production, so the browser talks to
  the real thing and pytest's event loop plays no part);
- `launch_chromium()` starts the system Chromium: nothing here ever downloads a
  browser;
- `serve_directory()` answers a path prefix of the server's origin from a local
  directory inside the browser (Playwright routing), so test media is
  same-origin without the server knowing about it;
- `install_probe()` adds tasks/browser_probe.js to every page of a context.

Sync Playwright API only: pytest runs Trio, Playwright's async API is asyncio.
"""

from __future__ import annotations

import json
import mimetypes
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
PROBE_SCRIPT = Path(__file__).with_name("browser_probe.js")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    # Unmuted playback without a click: every page plays with its audio track,
    # as people do (audio changes how Chromium's media clock reacts to rate changes).
    "--autoplay-policy=no-user-gesture-required",
]

SERVER_ENVIRONMENT = {
    # Many accounts and rooms from one loopback address; cheap password hashing.
    "SYNCWATCH_REGISTER_LIMIT_PER_HOUR": "0",
    "SYNCWATCH_API_LIMIT_PER_MINUTE": "0",
    "SYNCWATCH_LOGIN_LIMIT_PER_MINUTE": "0",
    "SYNCWATCH_ROOM_CREATE_LIMIT_PER_HOUR": "0",
    "SYNCWATCH_ARGON2_TIME_COST": "1",
    "SYNCWATCH_ARGON2_MEMORY_KIB": "1024",
    "SYNCWATCH_ARGON2_PARALLELISM": "1",
    "SYNCWATCH_LOG_FORMAT": "json",
    "SYNCWATCH_LOG_LEVEL": "warning",
}

SERVE_COMMAND = (sys.executable, "-m", "syncwatch", "serve")

MEDIA_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".js": "text/javascript; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}


def chromium_executable() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def ensure_web_build() -> None:
    """Build web/dist when it is missing (`npm ci` only without node_modules)."""
    if (WEB / "dist" / "index.html").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("web/dist is missing and npm is not installed to build it")
    if not (WEB / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True)
    subprocess.run([npm, "run", "build"], cwd=WEB, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def syncwatch_server(
    data_dir: Path, *, environment: Mapping[str, str] | None = None, start_timeout: float = 30
) -> Iterator[str]:
    """Run the server until the block ends; yields its base URL."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SYNCWATCH_")},
        **SERVER_ENVIRONMENT,
        "SYNCWATCH_PUBLIC_URL": base_url,
        **(environment or {}),
    }
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*SERVE_COMMAND, "--port", str(port), "--data-dir", str(data_dir)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_live(base_url, process, log_path, start_timeout)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_live(
    base_url: str, process: subprocess.Popen[bytes], log_path: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/health/live", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    log_tail = log_path.read_text()[-3000:]
    raise RuntimeError(f"the server did not come up in {timeout} s:\n{log_tail}")


def launch_chromium(playwright: Any, *, extra_args: tuple[str, ...] = ()) -> Any:
    executable = chromium_executable()
    if executable is None:
        raise RuntimeError("chromium is not installed")
    return playwright.chromium.launch(
        executable_path=executable, args=[*CHROMIUM_ARGS, *extra_args]
    )


def serve_directory(context: Any, prefix: str, directory: Path) -> None:
    """Answer `<any origin>/<prefix>/<name>` from `directory` inside the browser."""

    def handle(route: Any) -> None:
        name = route.request.url.split(f"/{prefix}/", 1)[1].split("?", 1)[0]
        path = (directory / name).resolve()
        if path.parent != directory.resolve() or not path.is_file():
            route.fulfill(status=404, body="not found")
            return
        content_type = MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        route.fulfill(
            status=200,
            body=path.read_bytes(),
            headers={"Content-Type": content_type or "application/octet-stream"},
        )

    context.route(f"**/{prefix}/**", handle)


def install_probe(context: Any, *, proxy_port: int | None = None) -> None:
    """Record sockets, playback states, frames and media events in every page (`window.__rig`)."""
    context.add_init_script(script=f"window.__rigConfig = {json.dumps({'proxyPort': proxy_port})};")
    context.add_init_script(path=str(PROBE_SCRIPT))


# --- the HTTP API, through a browser context so cookies land where the app looks ----


def register_in_context(context: Any, base_url: str, username: str) -> dict[str, Any]:
    """Sign a new user up from inside `context`: its refresh cookie signs the pages in."""
    response = context.request.post(
        f"{base_url}/api/v1/auth/register",
        data={
            "email": f"{username}@example.org",
            "username": username,
            "password": "correct horse battery",
        },
    )
    if response.status != 201:
        raise RuntimeError(f"sign-up failed: {response.status} {response.text()}")
    body: dict[str, Any] = response.json()
    return body


def create_room_in_context(context: Any, base_url: str, token: str, **body: Any) -> dict[str, Any]:
    payload = {"maxParticipants": 5, "playbackControl": "owner_only", **body}
    response = context.request.post(
        f"{base_url}/api/v1/rooms", data=payload, headers={"Authorization": f"Bearer {token}"}
    )
    if response.status != 201:
        raise RuntimeError(f"room creation failed: {response.status} {response.text()}")
    room: dict[str, Any] = response.json()
    return room
