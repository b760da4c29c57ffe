"""Generated abuse of the room socket (issue 12 §6): no server error, no crash, every
refusal a documented code, and a well-behaved member beside it keeps its commands.

A short run here (a few thousand frames); `nox -s fuzz` runs 100,000
(SYNCWATCH_FUZZ_FRAMES) and prints the same report.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import httpx
import pytest

from syncwatch.settings import Settings
from tests.support.socket_fuzz import fuzz_sockets

FRAMES = int(os.environ.get("SYNCWATCH_FUZZ_FRAMES", "2500"))
SIDE_ROOMS = int(os.environ.get("SYNCWATCH_FUZZ_SIDE_ROOMS", "3"))
SEED = int(os.environ.get("SYNCWATCH_FUZZ_SEED", "12"))
DATABASES = os.environ.get("SYNCWATCH_FUZZ_WS_DATABASES", "sqlite,postgresql").split(",")


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    # The fuzzing lanes reconnect all the time: the per-user limits on sign-ups, rooms
    # and joins are tested elsewhere and would only stop the fuzzing here.
    return settings_factory(
        log_level=os.environ.get("SYNCWATCH_FUZZ_LOG_LEVEL", "info"),
        register_limit_per_hour=0,
        room_create_limit_per_hour=0,
        room_join_limit_per_minute=0,
        api_limit_per_minute=0,
    )


@pytest.mark.parametrize("database_url", DATABASES, indirect=True)
async def test_generated_frames_get_documented_refusals_and_spare_the_room(
    live_server: str, http: httpx.AsyncClient
) -> None:
    report = await fuzz_sockets(live_server, frames=FRAMES, side_rooms=SIDE_ROOMS, seed=SEED)
    print("\n" + report.summary())

    assert report.frames >= FRAMES
    assert report.server_errors == []
    assert sorted(set(report.undocumented)) == []
    assert (await http.get("/health/live")).status_code == 200
    # Everything the fuzzing is made of was sent.
    assert {"deep", "binary", "huge_number", "oversized", "invalid_utf8"} <= set(report.kinds)
    # The member beside it: never cut off, every command delivered, none very late.
    assert report.member_closed == []
    assert report.commands_sent >= 10
    assert report.commands_missed == 0
    assert max(report.command_delays_ms) < 2000
