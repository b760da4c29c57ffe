"""Voice join time: `nox -s bench -- voice` (or `python tasks/bench_voice.py`).

Three people in one room on loopback, real server, real Chromium. Two are in
the call; the third joins, and we time from its `voice:join` to the moment
every new pair is connected on both ends (each page stamps `connected` with
the epoch clock they share). Ten joins, direct and relay-only through a real
coturn started here with the deployment's config. Goals: direct p50 ≤ 400 ms
and max ≤ 1 s; relay-only max ≤ 1.5 s.

    python tasks/bench_voice.py [--joins 10] [--check]

`--check` exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import trio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from syncwatch.components import open_components  # noqa: E402
from syncwatch.observability.logs import configure_logging  # noqa: E402
from syncwatch.server import run_server  # noqa: E402
from syncwatch.settings import load_settings  # noqa: E402
from tests.support.environment import TEST_ENVIRONMENT  # noqa: E402
from tests.support.voice import VoicePage, browser, coturn, free_port, wait_until  # noqa: E402
from tests.support.ws import create_room, guest, register  # noqa: E402

GOALS = {"direct": {"p50": 400.0, "max": 1000.0}, "relay-only": {"max": 1500.0}}


def join_times(
    base_url: str, code: str, tokens: list[str], joins: int, relay_only: bool
) -> list[float]:
    options: dict[str, Any] = {"relayOnly": relay_only}
    with browser() as chromium:
        pages = [VoicePage(chromium, base_url) for _ in tokens]
        first, second, joiner = pages
        first.start(code, tokens[0], **options)
        second.start(code, tokens[1], **options)
        wait_until(lambda: _connected(first, {second.participant_id}), 15, "the first pair")
        times: list[float] = []
        # One warm-up join: the first WebRTC use in a browser loads codecs.
        for round_ in range(joins + 1):
            joiner.start(code, tokens[2], **options)
            _wait_for_full_mesh(pages)
            elapsed = _join_to_all_connected_ms(joiner, [first, second])
            if round_ > 0:
                times.append(elapsed)
                if elapsed > 1000:
                    reports = joiner.call("reports")
                    print(f"  slow join ({elapsed} ms): {reports[-1] if reports else None}")
            joiner.call("leave")
            wait_until(
                lambda: all(joiner.participant_id not in p.stats() for p in (first, second)),
                5,
                "the others to drop the joiner",
            )
        return times


def _wait_for_full_mesh(pages: list[VoicePage]) -> None:
    ids = {page.participant_id for page in pages}
    wait_until(
        lambda: all(_connected(p, ids - {p.participant_id}) for p in pages), 15, "every pair"
    )


def _join_to_all_connected_ms(joiner: VoicePage, others: list[VoicePage]) -> float:
    """From the joiner's `voice:join` to the last of its new pairs connected, on either end."""
    timeline = joiner.call("timeline")
    stamps = [timeline["connectedAt"][other.participant_id] for other in others]
    stamps += [other.call("timeline")["connectedAt"][joiner.participant_id] for other in others]
    return float(max(stamps) - timeline["joinSentAt"])


def _connected(page: VoicePage, peers: set[str]) -> bool:
    stats = page.stats()
    return set(stats) == peers and all(stats[p]["state"] == "connected" for p in peers)


async def run(joins: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="bench-voice-") as directory,
        coturn(Path(directory) / "coturn") as turn,
    ):
        port = free_port()
        settings = load_settings(
            environ=TEST_ENVIRONMENT,
            data_dir=Path(directory) / "data",
            port=port,
            public_url=f"http://127.0.0.1:{port}",
            register_limit_per_hour=0,
            api_limit_per_minute=0,
            turn_urls=turn.urls,
            turn_secret=turn.secret,
        )
        async with open_components(settings) as components, trio.open_nursery() as nursery:
            stop = trio.Event()
            base_url = (await nursery.start(partial(run_server, components, stop=stop)))[0]
            async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
                owner = await register(http, "bench_owner")
                tokens = [owner, await guest(http, "Bo"), await guest(http, "Cy")]
                for name, relay_only in (("direct", False), ("relay-only", True)):
                    room = await create_room(http, owner)
                    results[name] = await trio.to_thread.run_sync(
                        partial(join_times, base_url, room["code"], tokens, joins, relay_only)
                    )
            stop.set()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--joins", type=int, default=10)
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    configure_logging("warning", "console")
    results = trio.run(run, args.joins)
    missed = []
    print(f"voice join → all pairs connected, 3-person mesh, {args.joins} joins (ms)")
    for name, times in results.items():
        p50, worst = statistics.median(times), max(times)
        goals = GOALS[name]
        verdict = []
        for figure, value in (("p50", p50), ("max", worst)):
            if figure in goals:
                ok = value <= goals[figure]
                verdict.append(f"{figure} ≤ {goals[figure]:.0f}: {'ok' if ok else 'MISSED'}")
                if not ok:
                    missed.append(f"{name} {figure}")
        print(
            f"  {name:<10} p50 {p50:7.1f}  max {worst:7.1f}  min {min(times):7.1f}   "
            + "; ".join(verdict)
        )
        print(f"  {'':<10} all: {', '.join(f'{t:.0f}' for t in times)}")
    if missed and args.check:
        print("missed: " + ", ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
