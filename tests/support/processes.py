"""Real processes for the operations tests: `syncwatch serve` and Debian's nginx,
each started on free loopback ports and always stopped by the test that started it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.databases import service_missing
from tests.support.environment import TEST_ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def syncwatch_environment(**settings: str) -> dict[str, str]:
    """This process's environment without SYNCWATCH_* settings, plus the tests' and `settings`."""
    keep = {key: value for key, value in os.environ.items() if not key.startswith("SYNCWATCH_")}
    named = {f"SYNCWATCH_{key.upper()}": value for key, value in settings.items()}
    return {
        **keep,
        **TEST_ENVIRONMENT,
        "SYNCWATCH_TRANSCODE_PRESET": "ultrafast",
        "SYNCWATCH_UPLOAD_BANDWIDTH_MBIT": "0",
        **named,
    }


def wait_until_ready(url: str, process: subprocess.Popen[bytes], timeout_s: float = 30) -> float:
    """Poll `url` until it answers 200; returns the seconds it took."""
    started = time.monotonic()
    while True:
        try:
            if httpx.get(url, timeout=1, verify=False).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise AssertionError(f"the process exited with {process.returncode} before {url}")
        if time.monotonic() - started > timeout_s:
            raise AssertionError(f"{url} did not answer 200 within {timeout_s} s")
        time.sleep(0.05)


def stop(process: subprocess.Popen[bytes], timeout_s: float = 15) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return int(process.returncode)


@contextmanager
def syncwatch_process(
    data_dir: Path, log: Path, **settings: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`python -m syncwatch serve` on a free port; yields its base URL and process once
    ready, and stops the process afterwards if the test did not."""
    port = free_port()
    environment = syncwatch_environment(data_dir=str(data_dir), port=str(port), **settings)
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "syncwatch", "serve"],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_ready(f"{base_url}/health/ready", process)
        yield base_url, process
    finally:
        stop(process)


@contextmanager
def syncwatch_server(data_dir: Path, log: Path, **settings: str) -> Iterator[str]:
    """`python -m syncwatch serve` on a free port; yields its base URL once ready."""
    with syncwatch_process(data_dir, log, **settings) as (base_url, _):
        yield base_url


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        service_missing("nginx is not installed (Debian package nginx)")
    assert found is not None
    return found


@contextmanager
def nginx(prefix: Path, config: Path) -> Iterator[None]:
    """Debian's nginx in the foreground with `config`; its pid file and logs under `prefix`."""
    directives = f"daemon off; pid {prefix / 'nginx.pid'}; error_log {prefix / 'error.log'};"
    if os.geteuid() == 0:
        # Workers write the proxy cache and temporary files under the test's directory.
        directives += " user root root;"
    check = subprocess.run(
        [nginx_binary(), "-t", "-p", str(prefix), "-c", str(config), "-g", directives],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [nginx_binary(), "-p", str(prefix), "-c", str(config), "-g", directives],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        stop(process)
