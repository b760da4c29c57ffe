from __future__ import annotations

import pytest

from syncwatch.rooms.core.sync_math import PlaybackState, lead_ms

T = 1_000_000


def playing(rate: float = 1.0) -> PlaybackState:
    return PlaybackState(
        room_id="r",
        source_type="upload",
        source_id="v",
        is_playing=True,
        playback_rate=rate,
        anchor_server_time_ms=T,
        anchor_media_time_ms=5_000.0,
    )


def test_position_advances_with_server_time_times_rate_while_playing() -> None:
    assert playing().position_at(T + 2_000) == 7_000.0
    assert playing(rate=1.5).position_at(T + 2_000) == 8_000.0


def test_position_is_constant_while_paused() -> None:
    paused = playing().paused(T + 1_000)
    assert paused.position_at(T + 1_000) == 6_000.0
    assert paused.position_at(T + 60_000) == 6_000.0


def test_position_holds_at_the_anchor_before_a_scheduled_command_takes_effect() -> None:
    assert playing().position_at(T - 150) == 5_000.0


def test_rate_change_keeps_the_position_continuous_at_the_switch() -> None:
    before = playing(rate=1.0)
    after = before.with_rate(T + 4_000, 2.0)
    assert after.position_at(T + 4_000) == pytest.approx(before.position_at(T + 4_000))
    assert after.position_at(T + 5_000) == pytest.approx(9_000.0 + 2_000.0)


def test_play_after_pause_resumes_from_the_paused_position() -> None:
    resumed = playing().paused(T + 1_000).played(T + 30_000)
    assert resumed.position_at(T + 31_000) == 7_000.0


def test_seek_moves_the_anchor_to_the_target() -> None:
    sought = playing().sought(T + 500, 60_000.0)
    assert sought.position_at(T + 1_500) == 61_000.0


def test_a_command_issued_before_the_previous_took_effect_never_moves_the_anchor_back() -> None:
    scheduled = playing().paused(T + 300)
    assert scheduled.paused(T + 100).anchor_server_time_ms == T + 300


def test_new_source_starts_paused_at_zero_and_keeps_the_rate() -> None:
    changed = playing(rate=1.25).with_source(T + 10, "youtube", "dQw4w9WgXcQ")
    assert (changed.is_playing, changed.anchor_media_time_ms, changed.playback_rate) == (
        False,
        0.0,
        1.25,
    )


@pytest.mark.parametrize(
    ("rtts", "expected"),
    [
        ([], 150),  # nobody measured yet: one unknown RTT of 100 ms
        ([1.0, 2.0], 80),  # loopback: the floor
        ([40.0, 120.0], 170),  # the slowest member sets the pace
        ([None, 20.0], 150),  # unknown counts as 100 ms
        ([900.0], 400),  # the ceiling
    ],
)
def test_lead_follows_the_slowest_member_within_bounds(
    rtts: list[float | None], expected: int
) -> None:
    assert lead_ms(rtts) == expected
