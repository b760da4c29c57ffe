"""The socket fuzzing's own watchdog: a lane that never ends fails the run in bounded
time, saying where it waits, instead of holding the session up (a hang is a finding)."""

from __future__ import annotations

from typing import Any

import pytest
import trio

from tests.support.socket_fuzz import STALL_S, WATCH_EVERY_S, Fuzzer, watch_progress


async def test_a_lane_still_open_after_the_last_frame_fails_the_run_saying_where(
    autojump_clock: Any,
) -> None:
    fuzzer = Fuzzer("http://127.0.0.1:9", frames=0, seed=1)  # every frame already sent
    fuzzer.states["lane ABCD1234 x1y2z3"] = "waiting for the close"
    fuzzer.states["lane EFGH5678 a1b2c3"] = "done"
    started = trio.current_time()
    # A watchdog that never fires would fail here, at a deadline, not hang the test.
    with pytest.raises(AssertionError) as failed, trio.fail_after(10 * STALL_S):
        await watch_progress(fuzzer, trio.CancelScope())
    waited = trio.current_time() - started
    assert STALL_S <= waited <= STALL_S + 2 * WATCH_EVERY_S
    message = str(failed.value)
    assert f"lanes still open {STALL_S} s after the last frame" in message
    assert "lane ABCD1234 x1y2z3: waiting for the close" in message
    assert "well-behaved member" in message  # and what the run had seen


async def test_a_run_still_sending_is_never_taken_for_a_hang(autojump_clock: Any) -> None:
    fuzzer = Fuzzer("http://127.0.0.1:9", frames=10, seed=1)
    scope = trio.CancelScope()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(watch_progress, fuzzer, scope)
        await trio.sleep(10 * STALL_S)
        scope.cancel()
