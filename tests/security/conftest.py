"""Hostile-input tests run on SQLite: they test the edge, not the store, whose
behaviour on both engines has its own suite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from syncwatch.settings import Settings


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'syncwatch.db'}"


@pytest.fixture
def settings(settings_factory: Any) -> Settings:
    # Many accounts and requests from one loopback IP: the limits that would get in
    # the way are tested where they are the subject.
    settings: Settings = settings_factory(register_limit_per_hour=0, api_limit_per_minute=0)
    return settings
