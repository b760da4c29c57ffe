"""Following one of the fabric's capped feeds (`Fabric.read_feed`) for ever.

Two readers use it: sign-outs (`auth.revocation`) and what crosses instances
(`fabric.crossing`). A fabric failure never ends the reader: the cursor is kept
and reading resumes where it stopped, so what was published while Redis was
away from this instance is still acted on (as long as the feed keeps it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NoReturn

import trio

from syncwatch.fabric import Fabric
from syncwatch.observability.logs import get_logger

log = get_logger("syncwatch.fabric.feeds")


async def follow_feed(
    fabric: Fabric,
    feed: str,
    apply: Callable[[bytes], Awaitable[None]],
    *,
    poll_s: float,
    retry_s: float,
    unreachable: str,
) -> NoReturn:
    """Hand every event of `feed` to `apply`, in order, reading every `poll_s`; while
    the fabric fails, log `unreachable` and try again every `retry_s`."""
    cursor: str | None = None
    while True:
        try:
            events, cursor = await fabric.read_feed(feed, cursor)
        except Exception:
            log.warning(unreachable, feed=feed)
            await trio.sleep(retry_s)
            continue
        for raw in events:
            await apply(raw)
        await trio.sleep(poll_s)
