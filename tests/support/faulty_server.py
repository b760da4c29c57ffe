"""`syncwatch serve` with one fault armed, for tests that run it as a process.

    python -m tests.support.faulty_server SERVICE TRIGGER_FILE serve [serve options]

Everything is the real server, started by the same `main()` as the `syncwatch`
command; only the core service SERVICE (`rooms`, `audit` or `janitor`) raises,
as a bug would, once TRIGGER_FILE exists. `media-janitor` arms nothing: it only
makes the media janitor sweep every 0.2 s, so that a real storage failure
reaches it at once rather than after ten minutes.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import Any

import trio

from syncwatch import cli
from syncwatch.audit import AuditLog
from syncwatch.janitor import Janitor
from syncwatch.media import service as media_service
from syncwatch.rooms.registry import RoomRegistry

SERVICES: dict[str, Any] = {"rooms": RoomRegistry, "audit": AuditLog, "janitor": Janitor}


def arm(cls: Any, trigger: Path) -> None:
    original = cls.run

    async def run(self: Any, *, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        async with trio.open_nursery() as nursery:
            await nursery.start(partial(original, self))
            task_status.started()
            while not await trio.Path(trigger).exists():
                await trio.sleep(0.05)
            raise RuntimeError(f"injected failure in {cls.__name__}")

    cls.run = run


def main(argv: list[str]) -> int:
    service, trigger, *serve = argv
    if service == "media-janitor":
        media_service.JANITOR_INTERVAL_S = 0.2
    else:
        arm(SERVICES[service], Path(trigger))
    return cli.main(serve)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
