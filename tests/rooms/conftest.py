"""Fixtures of the room tests (the pure core's kit is `roomkit.py`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.room_actors import World, open_world


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """A running room registry on a SQLite file (see `tests/support/room_actors.py`)."""
    async with open_world(tmp_path) as found:
        yield found
