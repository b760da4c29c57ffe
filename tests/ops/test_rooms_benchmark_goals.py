"""The rooms benchmark's verdict on issue 15's goals (`tasks/bench_rooms.py`): a run
that served fewer rooms than it was asked to never reads as met."""

from __future__ import annotations

from tasks.bench_rooms import _goal


def test_rooms_refused_fail_a_run_that_offered_them_all_at_once() -> None:
    assert _goal(500, 43.8, 32.0, 0, 0) == "met"
    assert _goal(500, 43.8, 32.0, 0, 251) == "not met (251 rooms refused)"
    assert _goal(200, 13.0, 60.0, 0, 1) == "not met (1 room refused)"


def test_rooms_offered_beyond_capacity_may_be_refused_but_the_admitted_keep_their_latency() -> None:
    assert _goal(1000, 90.0, 15.0, 0, 750, arriving=True) == "met"
    assert _goal(1000, 290.0, 15.0, 0, 750, arriving=True) == "not met (p99 > 100 ms)"
    assert _goal(1000, 90.0, 15.0, 3, 750, arriving=True) == "not met (3 lost)"
