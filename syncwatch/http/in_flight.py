"""HTTP requests in progress, counted so a graceful shutdown can wait for them.

Quart-Trio keeps a kept-alive HTTP/1.1 connection's request task waiting for
the client to disconnect, so Hypercorn sees every idle browser connection as
work in progress and would hold each shutdown for its whole graceful timeout.
The server therefore waits for the requests itself (a request counts from its
first `before_request` to its teardown) and gives Hypercorn only a short grace
for the connections left. WebSockets are not counted: rooms close them (1012).
"""

from __future__ import annotations

import trio
from quart import Quart, g


class InFlightRequests:
    def __init__(self) -> None:
        self.count = 0
        self._idle = trio.Event()
        self._idle.set()

    def install(self, app: Quart) -> None:
        """Count `app`'s requests (call after the app's own before_request hooks)."""
        app.before_request(self._started)
        app.teardown_request(self._finished)

    async def _started(self) -> None:
        g.syncwatch_in_flight = True
        if self.count == 0:
            self._idle = trio.Event()
        self.count += 1

    async def _finished(self, error: BaseException | None) -> None:
        # A request refused by an earlier hook never started counting.
        if not g.pop("syncwatch_in_flight", False):
            return
        self.count -= 1
        if self.count == 0:
            self._idle.set()

    async def wait_until_idle(self) -> None:
        await self._idle.wait()
