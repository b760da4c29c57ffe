"""Request bodies with back-pressure, so a streaming upload never piles up in memory.

Quart buffers every body chunk the server hands it until the handler reads
it; nothing slows the client down. An upload handler that writes to disk or
throttles a user's bandwidth reads slower than a fast client sends, so the
buffer would grow without bound. Here the connection stops asking the server
for more body while `HIGH_WATER_BYTES` are unread; Hypercorn's bounded app
queue then stops reading the socket and TCP pushes back on the client.

Handlers that await the whole body (`await request.get_json()`) switch the
limit off for their request: they need everything at once, and Quart's
`MAX_CONTENT_LENGTH` bounds them as before.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import trio
from hypercorn.typing import ASGIReceiveCallable
from quart.wrappers import Request
from quart_trio.asgi import TrioASGIHTTPConnection
from quart_trio.wrappers.request import TrioBody, TrioRequest

HIGH_WATER_BYTES = 256 * 1024


class FlowControlledBody(TrioBody):
    def __init__(self, expected_content_length: int | None, max_content_length: int | None) -> None:
        super().__init__(expected_content_length, max_content_length)
        self._wants_whole = False
        self._room = trio.Event()
        self._room.set()

    def has_room(self) -> bool:
        return self._wants_whole or len(self._data) < HIGH_WATER_BYTES

    async def wait_for_room(self) -> None:
        while not self.has_room():
            self._room = trio.Event()
            await self._room.wait()

    async def __anext__(self) -> bytes:
        chunk = await super().__anext__()
        self._room.set()  # the buffer was just emptied
        return chunk

    def __await__(self) -> Generator[Any, None, Any]:
        self._wants_whole = True
        self._room.set()
        return super().__await__()


TUS_UPLOAD_PATH = "/api/v1/videos/uploads/"


class FlowControlledRequest(TrioRequest):
    body_class = FlowControlledBody

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.method == "PATCH" and self.path.startswith(TUS_UPLOAD_PATH):
            # A tus PATCH streams to storage under back-pressure and is bounded by the
            # upload's declared Upload-Length (8 GiB at most), not by the 1 MiB JSON
            # limit: tus clients send the whole file in one PATCH by default.
            self.body = self.body_class(self.content_length, None)


class FlowControlledHTTPConnection(TrioASGIHTTPConnection):
    async def handle_messages(  # type: ignore[override]
        self, nursery: trio.Nursery, request: Request, receive: ASGIReceiveCallable
    ) -> None:
        body = request.body
        while True:
            if isinstance(body, FlowControlledBody):
                await body.wait_for_room()
            message = await receive()
            if message["type"] == "http.request":
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body.set_complete()
            elif message["type"] == "http.disconnect":
                break
        nursery.cancel_scope.cancel()
