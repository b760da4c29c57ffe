"""ffmpeg's `-progress` output becomes percentages of the probed duration."""

from __future__ import annotations

import pytest

from syncwatch.media.progress import ProgressParser

BLOCK = (
    b"frame=50\nfps=25.0\nbitrate=N/A\ntotal_size=1024\nout_time_us={us}\n"
    b"out_time_ms={us}\nout_time=00:00:02.000000\ndup_frames=0\ndrop_frames=0\n"
    b"speed={speed}\nprogress={state}\n"
)


def _block(us: int | str, speed: str = "2.5x", state: str = "continue") -> bytes:
    return (
        BLOCK.replace(b"{us}", str(us).encode())
        .replace(b"{speed}", speed.encode())
        .replace(b"{state}", state.encode())
    )


def test_each_block_becomes_one_event_with_percent_and_speed() -> None:
    parser = ProgressParser(duration_s=4.0)

    events = parser.feed(_block(1_000_000) + _block(3_000_000, "3.1x"))

    assert [e.percent for e in events] == [25.0, 75.0]
    assert [e.speed for e in events] == [2.5, 3.1]
    assert events[0].frame == 50
    assert not any(e.finished for e in events)


def test_blocks_split_anywhere_across_reads_are_reassembled() -> None:
    parser = ProgressParser(duration_s=10.0)
    data = _block(5_000_000)

    events = [event for i in range(len(data)) for event in parser.feed(data[i : i + 1])]

    assert len(events) == 1
    assert events[0].out_time_s == pytest.approx(5.0)


def test_only_the_final_block_reports_100_percent() -> None:
    parser = ProgressParser(duration_s=2.0)

    overshoot, end = parser.feed(_block(2_500_000) + _block(2_500_000, state="end"))

    assert overshoot.percent == pytest.approx(99.9)
    assert not overshoot.finished
    assert end.percent == 100.0
    assert end.finished


def test_unknown_values_at_the_start_are_zero_not_errors() -> None:
    parser = ProgressParser(duration_s=0.0)

    (event,) = parser.feed(_block("N/A", speed="N/A"))

    assert event.percent == 0.0
    assert event.speed is None
