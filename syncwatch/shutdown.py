"""`Shutdown`: the process is stopping, and the open sockets to tell when it does.

A graceful stop closes every WebSocket with 1012 (reconnect). Each socket used
to run a task of its own that only waited for this moment: one more task, cancel
scope and coroutine per connection, for something that happens once per process
life. Here the sockets attach themselves instead, and `set` tells each one at once.
It never waits: what a socket does when told (queue its close) must not block.
"""

from __future__ import annotations

from typing import Protocol

import trio


class StoppingConnection(Protocol):
    def server_stopping(self) -> None:
        """The server is shutting down: close with 1012; never waits."""


class Shutdown:
    def __init__(self) -> None:
        self._event = trio.Event()
        # A dict as an ordered set: connections are told in the order they attached.
        self._attached: dict[StoppingConnection, None] = {}

    def is_set(self) -> bool:
        return self._event.is_set()

    async def wait(self) -> None:
        await self._event.wait()

    def set(self) -> None:
        """Start the shutdown: every attached connection is told now, once."""
        if self._event.is_set():
            return
        self._event.set()
        attached, self._attached = self._attached, {}
        for connection in attached:
            connection.server_stopping()

    def attach(self, connection: StoppingConnection) -> None:
        """Tell `connection` when the server stops (at once when it already is)."""
        if self._event.is_set():
            connection.server_stopping()
            return
        self._attached[connection] = None

    def detach(self, connection: StoppingConnection) -> None:
        self._attached.pop(connection, None)
