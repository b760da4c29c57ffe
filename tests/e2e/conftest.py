"""Browser end-to-end fixtures: a real server process, a generated HLS clip and
the system's headless Chromium, shared by the tests of a module (the server
and the browser end with the module, before any other test file's event loop runs).

The browser part uses Playwright's sync API in plain (non-async) tests: pytest
runs Trio, and Playwright's async API would need asyncio.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tasks import browser_rig
from tasks.hls_clip import ffmpeg_executable, make_hls_clip

IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"


def _require(found: object, what: str) -> None:
    if found:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = browser_rig.chromium_executable()
    _require(path, "chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _require(None, "the playwright package")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def hls_clip(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 30 s, 640x360, 30 fps H.264 + AAC clip in 2 s segments, made once per run."""
    _require(ffmpeg_executable(), "ffmpeg")
    return make_hls_clip(tmp_path_factory.mktemp("e2e-media"), seconds=30)


@pytest.fixture(scope="module")
def server_url(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    browser_rig.ensure_web_build()
    with browser_rig.syncwatch_server(tmp_path_factory.mktemp("e2e-server")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = browser_rig.launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
