"""Voice tests run on SQLite only: voice keeps nothing in the database, and the
storage layer is covered on both engines by its own suite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from syncwatch.settings import Settings
from tests.support.databases import service_missing
from tests.support.voice import TURN_SECRET


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'syncwatch.db'}"


@pytest.fixture
def settings(settings_factory: Any) -> Settings:
    # Many accounts from one loopback IP; the limits are tested elsewhere.
    settings: Settings = settings_factory(
        register_limit_per_hour=0,
        api_limit_per_minute=0,
        stun_urls=("stun:stun.example.org:3478",),
        turn_urls=(
            "turn:turn.example.org:3478?transport=udp",
            "turn:turn.example.org:3478?transport=tcp",
            "turns:turn.example.org:5349?transport=tcp",
        ),
        turn_secret=TURN_SECRET,
    )
    return settings


@pytest.fixture(autouse=True)
def _browser_tools(request: pytest.FixtureRequest) -> None:
    """Browser tests need Chromium, coturn and web/'s bundler: skipped without
    them locally, failed in CI (which installs them)."""
    if request.node.get_closest_marker("browser") is None:
        return
    from tests.support.voice import missing_tools

    missing = missing_tools()
    if missing:
        service_missing("voice browser tests need " + ", ".join(missing))
