"""The arithmetic behind the end-to-end checks and the drift benchmark."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from tasks.drift_analysis import (
    Summary,
    converged_at,
    corrections,
    expected_position,
    frame_errors,
    spread_series,
)


def state(seq: int, *, playing: bool, anchor_server: float, anchor_media: float, rate: float = 1):
    return {
        "sequenceNumber": seq,
        "sourceType": "url",
        "isPlaying": playing,
        "playbackRate": rate,
        "anchorServerTimeMs": anchor_server,
        "anchorMediaTimeMs": anchor_media,
    }


STATES = [
    {
        "effectiveAt": 0,
        "type": "SET_SOURCE",
        "state": state(1, playing=False, anchor_server=0, anchor_media=0),
    },
    {
        "effectiveAt": 1000,
        "type": "PLAY",
        "state": state(2, playing=True, anchor_server=1000, anchor_media=0),
    },
    {
        "effectiveAt": 5000,
        "type": "SET_RATE",
        "state": state(3, playing=True, anchor_server=5000, anchor_media=4000, rate=2),
    },
]


def test_the_expected_position_follows_the_state_in_force_at_that_server_time() -> None:
    assert expected_position(STATES, 500) == 0
    assert expected_position(STATES, 3000) == 2000
    assert expected_position(STATES, 6000) == 6000
    assert expected_position([], 6000) is None


def test_frame_errors_use_the_pages_clock_offset() -> None:
    frames = [{"at": 2990, "media": 2005, "rate": 1, "offset": 10}]
    assert frame_errors(frames, STATES) == [(2990.0, 5.0)]


def test_the_spread_is_the_widest_gap_between_pages_at_one_instant() -> None:
    ahead = [
        {"at": t, "media": t - 1000 + 12, "rate": 1, "offset": 0} for t in range(2000, 3000, 33)
    ]
    behind = [
        {"at": t, "media": t - 1000 - 3, "rate": 1, "offset": 0} for t in range(2010, 3000, 33)
    ]
    series = spread_series([ahead, behind], 2100, 2900)
    assert series
    assert all(spread == pytest.approx(15) for _, spread in series)


def test_instants_where_a_page_shows_no_moving_picture_are_left_out() -> None:
    playing = [{"at": t, "media": t, "rate": 1, "offset": 0} for t in range(0, 1000, 33)]
    stalled = [{"at": 0, "media": 0, "rate": 1, "offset": 0}]
    assert spread_series([playing, stalled], 500, 900) == []


def test_convergence_needs_the_spread_to_hold_for_a_while() -> None:
    series = [(float(t), 5.0 if t < 300 or t >= 600 else 50.0) for t in range(0, 3000, 20)]
    assert converged_at(series, after=0, within=20, hold=1000) == 600
    assert converged_at(series, after=0, within=1, hold=1000) is None


def test_corrections_count_seeks_and_switches_away_from_the_room_rate_outside_commands() -> None:
    events = [
        {"at": 100, "type": "seeking", "rate": 1},  # the command's own seek
        {"at": 9000, "type": "ratechange", "rate": 1.05},  # a correction
        {"at": 9500, "type": "ratechange", "rate": 1},  # back to the room rate: same correction
        {"at": 12000, "type": "seeking", "rate": 1},  # a correcting seek
    ]
    assert corrections(events, lambda _at: 1.0, [(0, 5000)]) == 2


def test_a_summary_of_nothing_is_not_a_number() -> None:
    assert math.isnan(Summary.of([]).p50)
    assert Summary.of([1, 2, 3, 4]).p95 == 4


def test_the_benchmark_times_recovery_from_the_end_of_each_disturbance() -> None:
    from tasks.bench_drift import measure

    play = [
        {
            "effectiveAt": 0,
            "type": "PLAY",
            "state": state(1, playing=True, anchor_server=0, anchor_media=0),
        }
    ]

    def page(offset_at: Callable[[int], float]) -> list[dict[str, Any]]:
        return [
            {"at": t, "media": t + offset_at(t), "rate": 1, "offset": 0}
            for t in range(0, 30_000, 16)
        ]

    on_time = page(lambda _t: 0)
    # Stalled until 10 s, then 40 ms behind until it is brought back at 10.5 s.
    disturbed = page(lambda t: -40 if 9_000 <= t < 10_500 else 0)
    stall = {"kind": "stall", "start": 9_000, "end": 10_000}
    measured = measure([on_time, on_time, disturbed], [[], [], []], [play] * 3, [stall])
    assert measured.recovery_ms["stall"][0] == pytest.approx(500, abs=20)
    # The disturbance and the 5 s after it are not the steady state.
    assert max(measured.drift) == 0
