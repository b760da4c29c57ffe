"""`syncwatch serve` with a `LoopWatch` on its Trio loop, for tests that run it as a process.

    python -m tests.support.watched_server REPORT_FILE serve [serve options]

The real server, started by the same `main()` as the `syncwatch` command. The
watch counts only the steps between SIGUSR1 (sent once the server is ready; the
watch then writes REPORT_FILE.armed) and SIGUSR2 (sent before the stop; the
watch removes REPORT_FILE.armed), so
start-up (imports, migrations, Hypercorn binding) and shutdown are left out: they
hold the loop before anyone is served. When the server stops (SIGTERM), the
longest task steps go to REPORT_FILE as JSON.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import trio

from syncwatch import cli, server
from syncwatch.settings import Settings
from tests.support.loop_watch import LoopWatch


async def follow_signals(watch: LoopWatch, armed_marker: Path) -> None:
    with trio.open_signal_receiver(signal.SIGUSR1, signal.SIGUSR2) as received:
        async for signum in received:
            watch.armed = signum == signal.SIGUSR1
            if watch.armed:
                await trio.Path(armed_marker).touch()
            else:
                await trio.Path(armed_marker).unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    report, *serve = argv
    serve_forever = server.serve_forever
    watches: list[LoopWatch] = []

    async def watched(settings: Settings) -> None:
        watch = LoopWatch()  # made on the loop's thread: it reads that thread's stats
        watch.armed = False
        watches.append(watch)
        trio.lowlevel.add_instrument(watch)
        async with trio.open_nursery() as nursery:
            nursery.start_soon(follow_signals, watch, Path(f"{report}.armed"))
            await serve_forever(settings)
            nursery.cancel_scope.cancel()

    server.serve_forever = watched  # type: ignore[assignment]
    try:
        return cli.main(serve)
    finally:
        if watches:
            Path(report).write_text(json.dumps(watches[0].report()))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
