"""Request bodies push back on the client instead of piling up in memory."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import trio
import trio.testing

from syncwatch.http.flow_control import (
    HIGH_WATER_BYTES,
    FlowControlledBody,
    FlowControlledHTTPConnection,
)

CHUNK = 64 * 1024


class Client:
    """An ASGI `receive` that always has more body to give, and counts the asks."""

    def __init__(self, messages: int | None = None) -> None:
        self.asked = 0
        self._messages = messages

    async def receive(self) -> dict[str, Any]:
        if self._messages is not None and self.asked >= self._messages:
            await trio.sleep_forever()  # a finished request: nothing until disconnect
        await trio.lowlevel.checkpoint()
        self.asked += 1
        more = self._messages is None or self.asked < self._messages
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": more}


def _connection() -> FlowControlledHTTPConnection:
    # handle_messages needs nothing from the constructor (app, scope).
    return FlowControlledHTTPConnection.__new__(FlowControlledHTTPConnection)


async def test_reading_stops_while_the_unread_body_is_full_and_resumes_when_read() -> None:
    body = FlowControlledBody(None, None)
    client = Client()

    async with trio.open_nursery() as nursery:
        request = SimpleNamespace(body=body)
        nursery.start_soon(_connection().handle_messages, nursery, request, client.receive)
        await trio.testing.wait_all_tasks_blocked()
        asked_while_unread = client.asked
        chunk = await body.__anext__()
        await trio.testing.wait_all_tasks_blocked()
        asked_after_one_read = client.asked
        nursery.cancel_scope.cancel()

    assert asked_while_unread == HIGH_WATER_BYTES // CHUNK
    assert len(chunk) == HIGH_WATER_BYTES
    assert asked_after_one_read == 2 * HIGH_WATER_BYTES // CHUNK


async def test_a_handler_awaiting_the_whole_body_still_gets_all_of_it() -> None:
    body = FlowControlledBody(None, None)
    client = Client(messages=10)

    async with trio.open_nursery() as nursery:
        request = SimpleNamespace(body=body)
        nursery.start_soon(_connection().handle_messages, nursery, request, client.receive)
        whole = await body
        nursery.cancel_scope.cancel()

    assert len(whole) == 10 * CHUNK
