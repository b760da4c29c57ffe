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
from math import inf
from typing import Any

import trio
from hypercorn.typing import ASGIReceiveCallable, ASGISendCallable
from quart.wrappers import Request, Response
from quart_trio.asgi import TrioASGIHTTPConnection
from quart_trio.wrappers.request import TrioBody, TrioRequest

HIGH_WATER_BYTES = 256 * 1024


class FlowControlledBody(TrioBody):
    def __init__(self, expected_content_length: int | None, max_content_length: int | None) -> None:
        super().__init__(expected_content_length, max_content_length)
        self._wants_whole = False
        self.received_all = False
        """The client sent its last byte (a refused body is "complete" long before)."""
        self.discarding = False
        self._room = trio.Event()
        self._room.set()

    def has_room(self) -> bool:
        return self._wants_whole or self.discarding or len(self._data) < HIGH_WATER_BYTES

    def discard_rest(self) -> None:
        """The answer is sent: whatever else of the body arrives is dropped unread."""
        self.discarding = True
        self._data.clear()
        self._room.set()

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
        if not self.content_length and "transfer-encoding" not in self.headers:
            # No body was announced: there is nothing left to arrive.
            self.body.received_all = True  # type: ignore[attr-defined]


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
                if not (isinstance(body, FlowControlledBody) and body.discarding):
                    body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    if isinstance(body, FlowControlledBody):
                        body.received_all = True
                    body.set_complete()
            elif message["type"] == "http.disconnect":
                break
        if isinstance(body, FlowControlledBody) and body.discarding:
            # The disconnect came while the answer's last bytes were being sent: let
            # that finish, it is what closes the connection (`handle_request`).
            return
        nursery.cancel_scope.cancel()

    async def handle_request(  # type: ignore[override]
        self, nursery: trio.Nursery, request: Request, send: ASGISendCallable
    ) -> None:
        """Quart-Trio's, except after answering a request whose body is still arriving.

        Quart-Trio stops reading messages once it has answered. Hypercorn's queue
        towards the app holds 10 messages: body chunks nobody reads fill it, and
        Hypercorn then waits forever to hand over the disconnect that would let it
        close the connection, so the next request on it hangs (a 413 on a large
        JSON body, or any refusal before the body was read). Here the rest is read
        and dropped until Hypercorn closes the connection, which it does because
        the request never ended (and the answer says `Connection: close`).
        """
        response = await self.app.handle_request(request)
        body = request.body
        unfinished = isinstance(body, FlowControlledBody) and not body.received_all
        if isinstance(body, FlowControlledBody) and unfinished:
            # Before answering: Hypercorn hands over the disconnect while the answer's
            # last bytes are being sent, and must find room in the queue for it.
            body.discard_rest()
        timeout = (
            response.timeout
            if isinstance(response, Response) and response.timeout != Ellipsis
            else self.app.config["RESPONSE_TIMEOUT"]
        )
        with trio.move_on_after(inf if timeout is None else timeout):
            await self._send_response(send, response)
        if not unfinished:
            nursery.cancel_scope.cancel()
        # Otherwise `handle_messages` ends this request at the disconnect.
