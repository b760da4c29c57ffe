"""What one person joining a room costs the server: `./dev -s bench -- joins`.

    python tasks/bench_joins.py [--rooms R] [--repeat N] [--at-once K]
                                [--database-url URL] [--nice N]

R rooms are set up over HTTP as in the rooms benchmark (an owner, two
registered members and two guests each), then their 5 R members join, K at a
time (default 16), each holding its socket open once welcomed; nothing else
runs. Printed per run and as medians: the joins' wall time, the server's CPU
per join (all its threads) and the CPU per join of its event loop's thread,
which serves every room. In a join storm (`rooms --arrivals`) the latency of the
rooms already running is set by the seconds in which newcomers' joins hold that
thread (docs/benchmarks.md, "The load generator's own cost"): this is the
figure to bring down for issue 15's "1,000 offered" goal.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import trio
from trio_websocket import open_websocket_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tasks"))
sys.path.insert(0, str(ROOT))

from bench_rooms import MEMBERS_PER_ROOM, PROTOCOL, RoomPlan, _setup_rooms, _ws_url  # noqa: E402
from benchkit import (  # noqa: E402
    ServerProcess,
    cpu_seconds,
    median,
    throwaway_postgres_database,
)

SETTLE_S = 1.5  # after the setup, before measuring: the server's own start-up work ends


async def _join_all(base_url: str, plans: list[RoomPlan], at_once: int) -> int:
    """Every member joins (at most `at_once` waiting for their welcome); returns how
    many were welcomed. Sockets stay open until all have joined."""
    slots = trio.Semaphore(at_once)
    welcomed = 0
    everyone_in = trio.Event()
    expected = len(plans) * MEMBERS_PER_ROOM

    async def member(plan: RoomPlan, index: int) -> None:
        nonlocal welcomed
        await slots.acquire()
        holding = True  # a slot is held only until the welcome arrives
        try:
            async with open_websocket_url(
                _ws_url(base_url, plan.code), message_queue_size=64
            ) as ws:
                hello = {"protocolVersion": PROTOCOL, "token": plan.tokens[index]}
                await ws.send_message(json.dumps({"type": "hello", "data": hello}))
                while '"welcome"' not in await ws.get_message():
                    pass
                slots.release()
                holding = False
                welcomed += 1
                if welcomed == expected:
                    everyone_in.set()
                await everyone_in.wait()
        finally:
            if holding:
                slots.release()

    async with trio.open_nursery() as nursery:
        for plan in plans:
            for index in range(MEMBERS_PER_ROOM):  # the owner first: the room is theirs
                nursery.start_soon(member, plan, index)
    return welcomed


def run_once(rooms: int, at_once: int, database_url: str | None, nice: int) -> dict[str, float]:
    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sw-joins-")))
        if database_url:
            database_url = stack.enter_context(throwaway_postgres_database(database_url))
        server = stack.enter_context(ServerProcess(data_dir, database_url=database_url, nice=nice))

        async def measure() -> dict[str, float]:
            plans = await _setup_rooms(server.base_url, rooms)
            await trio.sleep(SETTLE_S)
            cpu0, loop0 = cpu_seconds(server.pid), cpu_seconds(server.pid, server.pid)
            start = time.perf_counter()
            joins = await _join_all(server.base_url, plans, at_once)
            wall = time.perf_counter() - start
            cpu1, loop1 = cpu_seconds(server.pid), cpu_seconds(server.pid, server.pid)
            return {
                "joins": joins,
                "wall_s": wall,
                "cpu_ms": (cpu1 - cpu0) / joins * 1000,
                "loop_ms": (loop1 - loop0) / joins * 1000,
            }

        return trio.run(measure)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--at-once", type=int, default=16, help="joins waiting for a welcome")
    parser.add_argument("--database-url", help="a PostgreSQL server (a throwaway database)")
    parser.add_argument("--nice", type=int, default=0, help="niceness of the server (root: < 0)")
    args = parser.parse_args(argv)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"joins benchmark: {args.rooms} rooms of {MEMBERS_PER_ROOM}, every member joins, "
        f"{args.at_once} at a time; {engine}; {args.repeat} run(s)",
        flush=True,
    )
    runs = []
    for n in range(args.repeat):
        run = run_once(args.rooms, args.at_once, args.database_url, args.nice)
        runs.append(run)
        print(
            f"  run {n + 1}: {run['joins']:.0f} joins in {run['wall_s']:.2f} s; server CPU "
            f"{run['cpu_ms']:.2f} ms a join, of which its event loop's thread "
            f"{run['loop_ms']:.2f} ms",
            flush=True,
        )
    print(
        f"median: server CPU {median([r['cpu_ms'] for r in runs]):.2f} ms a join, event loop "
        f"{median([r['loop_ms'] for r in runs]):.2f} ms a join, "
        f"{median([r['joins'] / r['wall_s'] for r in runs]):.0f} joins a second"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
