"""Graceful overload, the decision and the lag sampler: a process that lags or backs
up refuses newcomers for a while, and admits them again once it has caught up."""

from __future__ import annotations

import pytest
import trio
import trio.testing

from syncwatch.errors import Overloaded
from syncwatch.rooms.core.load import BACKLOG_READ_S, LoadGauge, LoadLimits
from syncwatch.rooms.overload import refuse_if_saturated, sample_lag

LIMITS = LoadLimits(max_lag_s=0.1, max_backlog=100, hold_s=5.0)


def gauge(backlog: int = 0, limits: LoadLimits = LIMITS) -> LoadGauge:
    return LoadGauge(limits, lambda: backlog)


def test_a_calm_process_admits_everyone() -> None:
    calm = gauge(backlog=10)
    for second in range(20):
        calm.observe_lag(0.005, second)
    assert calm.saturation(20.0) is None


def lag(gauge: LoadGauge, samples: list[float], start: float = 0.0) -> None:
    for tick, sample in enumerate(samples):
        gauge.observe_lag(sample, start + tick / 10)


def test_stalls_of_the_loop_now_and_then_are_not_a_saturation() -> None:
    stalling = gauge()
    lag(stalling, [2.0, 0.01, 0.01, 3.0, 0.02, 1.5, 0.01])  # garbage collections, say
    assert stalling.saturation(1.0) is None


def test_a_sustained_lag_saturates_and_says_why() -> None:
    lagging = gauge()
    lag(lagging, [0.25, 0.3])
    assert lagging.saturation(0.2) is None  # not yet every time of three
    lag(lagging, [0.25], start=0.2)
    reason = lagging.saturation(0.2)
    assert reason == "event loop lag 250 ms over 100 ms"


def test_a_saturation_holds_for_a_while_then_newcomers_are_admitted_again() -> None:
    lagging = gauge()
    lag(lagging, [1.0, 1.0, 1.0], start=10.0)  # the last at 10.2 s
    assert lagging.saturation(10.2) is not None
    assert lagging.retry_after_s(10.2) == pytest.approx(5.0)
    lag(lagging, [0.001] * 20, start=10.3)  # caught up
    assert lagging.lag_s < 0.01
    assert lagging.saturation(15.1) is not None  # held: no flapping at the limit
    assert lagging.retry_after_s(15.1) == 1.0  # never less than a second
    assert lagging.saturation(15.2) is None


def test_a_command_backlog_past_the_limit_saturates() -> None:
    assert gauge(backlog=100).saturation(0.0) is None
    reason = gauge(backlog=101).saturation(0.0)
    assert reason == "command backlog 101 over 100"


def test_the_backlog_is_read_once_for_a_burst_of_newcomers_and_again_soon_after() -> None:
    """Reading the backlog walks every room: a join storm asks once per moment, yet a
    backlog that builds up is seen within that moment."""
    depth = [10]
    reads: list[float] = []

    def backlog() -> int:
        reads.append(depth[0])
        return depth[0]

    storm = LoadGauge(LIMITS, backlog)
    for newcomer in range(200):
        assert storm.saturation(1.0 + newcomer * BACKLOG_READ_S / 400) is None
    assert len(reads) == 1
    depth[0] = 500
    assert storm.saturation(1.0 + BACKLOG_READ_S) == "command backlog 500 over 100"
    assert len(reads) == 2


def test_a_limit_of_zero_is_no_limit() -> None:
    unlimited = gauge(backlog=10**6, limits=LoadLimits(max_lag_s=0, max_backlog=0))
    lag(unlimited, [30.0, 30.0, 30.0])
    assert unlimited.saturation(0.0) is None


async def test_the_sampler_measures_how_late_the_loop_wakes_and_refusals_follow(
    mock_clock: trio.testing.MockClock,
) -> None:
    sampled = gauge()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(sample_lag, sampled, 0.1)
        await trio.testing.wait_all_tasks_blocked()
        mock_clock.jump(0.1)  # on time
        await trio.testing.wait_all_tasks_blocked()
        assert sampled.lag_s == 0
        refuse_if_saturated(sampled)  # admitted

        for _ in range(3):  # the loop is busy: the sampler wakes 0.6 s late each time
            mock_clock.jump(0.7)
            await trio.testing.wait_all_tasks_blocked()
        assert sampled.lag_s == pytest.approx(0.6)
        with pytest.raises(Overloaded) as refused:
            refuse_if_saturated(sampled)
        nursery.cancel_scope.cancel()

    assert refused.value.status == 503
    assert refused.value.close_code == 1013
    assert refused.value.retry_after == 5
    assert refused.value.extra == {"retryAfter": 5}
