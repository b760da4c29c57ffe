"""What a client sends after the app has finished is dropped, never waited on.

Hypercorn hands a socket's frames to the app through a bounded queue that nobody
closed when the app ended: a client that had sent faster than the app read could
leave Hypercorn's reader waiting for ever to put one more frame in, so it never
read the client's answer to our close and the connection never ended (seen as
lanes that never finished in the 100,000-frame socket fuzzing).
"""

from __future__ import annotations

from typing import Any

import trio
import trio.testing
from hypercorn.config import Config
from hypercorn.trio.task_group import TaskGroup

import syncwatch.server  # noqa: F401  (installs the server's Hypercorn fixes)


async def test_frames_for_an_app_that_has_finished_never_block_the_reader() -> None:
    config = Config()
    config.max_app_queue_size = 2
    sent: list[Any] = []

    async def app(*_: Any) -> None:
        return  # closes and ends without reading another frame

    async def send(message: Any) -> None:
        sent.append(message)

    async with TaskGroup() as group:
        put = await group.spawn_app(app, config, {"type": "websocket"}, send)  # type: ignore[arg-type]
        await trio.testing.wait_all_tasks_blocked()
        with trio.fail_after(5):
            for _ in range(10):
                await put({"type": "websocket.receive", "text": "more"})
    assert sent == [None]  # the app ended (Hypercorn's own end-of-app message)
