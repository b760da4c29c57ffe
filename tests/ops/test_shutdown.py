"""A graceful stop is quick and loses nothing: requests in progress finish, idle
keep-alive connections (every browser holds some) do not hold the process up."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.support.instance import bearer
from tests.support.processes import syncwatch_process

TUS = {"Tus-Resumable": "1.0.0"}
# Well under the 10 s a stop may take: without the fix an idle connection made it 10 s.
QUICK_STOP_S = 6.0


def exit_time(process: object, started: float) -> float:
    process.wait(timeout=30)  # type: ignore[attr-defined]
    return time.monotonic() - started


def test_an_idle_keep_alive_connection_does_not_hold_up_a_stop(tmp_path: Path) -> None:
    with (
        syncwatch_process(tmp_path / "data", tmp_path / "log") as (url, process),
        httpx.Client(base_url=url) as browser,
    ):
        assert browser.get("/health/live").status_code == 200  # the connection stays open
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        elapsed = exit_time(process, started)
    assert process.returncode == 0
    assert elapsed < QUICK_STOP_S, f"stopping took {elapsed:.1f} s"


def slow_body(
    data: bytes, chunks: int, pause_s: float, started: threading.Event
) -> Iterator[bytes]:
    size = -(-len(data) // chunks)
    for index in range(chunks):
        if index == 1:
            started.set()
        yield data[index * size : (index + 1) * size]
        time.sleep(pause_s)


def test_an_upload_in_progress_finishes_before_the_process_stops(
    tmp_path: Path, clip: bytes
) -> None:
    with (
        syncwatch_process(tmp_path / "data", tmp_path / "log") as (url, process),
        httpx.Client(base_url=url, timeout=30) as http,
    ):
        registered = http.post(
            "/api/v1/auth/register",
            json={"email": "up@example.org", "username": "uploader", "password": "long enough"},
        )
        token = registered.json()["accessToken"]
        created = http.post(
            "/api/v1/videos/uploads",
            headers={**bearer(token), **TUS, "Upload-Length": str(len(clip))},
        )
        assert created.status_code == 201, created.text
        streaming = threading.Event()
        outcome: dict[str, object] = {}

        def patch() -> None:
            response = http.patch(
                created.headers["Location"],
                content=slow_body(clip, 12, 0.25, streaming),
                headers={
                    **bearer(token),
                    **TUS,
                    "Content-Type": "application/offset+octet-stream",
                    "Upload-Offset": "0",
                },
            )
            outcome["status"] = response.status_code
            outcome["offset"] = response.headers.get("Upload-Offset")

        uploader = threading.Thread(target=patch)
        uploader.start()
        assert streaming.wait(10)
        process.send_signal(signal.SIGTERM)  # about 2.5 s of the body still to come
        uploader.join(30)
        process.wait(timeout=30)
    # Read to its end and answered, not cut off by the stop.
    assert outcome.get("status") == 204, outcome
    assert outcome.get("offset") == str(len(clip))
    assert process.returncode == 0
