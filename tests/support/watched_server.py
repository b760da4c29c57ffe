"""`syncwatch serve` with a `LoopWatch` on its Trio loop, for tests that run it as a process.

    python -m tests.support.watched_server REPORT_FILE serve [serve options]

The real server, started by the same `main()` as the `syncwatch` command; when
it stops (SIGTERM), the longest task steps go to REPORT_FILE as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import trio

from syncwatch import cli, server
from syncwatch.settings import Settings
from tests.support.loop_watch import LoopWatch


def main(argv: list[str]) -> int:
    report, *serve = argv
    serve_forever = server.serve_forever
    watches: list[LoopWatch] = []

    async def watched(settings: Settings) -> None:
        watches.append(LoopWatch())  # made on the loop's thread: it reads that thread's stats
        trio.lowlevel.add_instrument(watches[0])
        await serve_forever(settings)

    server.serve_forever = watched  # type: ignore[assignment]
    try:
        return cli.main(serve)
    finally:
        if watches:
            Path(report).write_text(json.dumps(watches[0].report()))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
