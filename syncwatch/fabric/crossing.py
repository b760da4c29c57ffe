"""What one instance tells the sockets another instance holds (ADR 0016).

A user's `/ws/me` sockets and a room's members may be connected to any
instance, so an event for them (a friend's presence, an invitation, a
notification, a room's media progress, a room closed by its owner) is
delivered twice over: at once to the sockets this instance holds, and through
one shared feed (`crossing`, a capped Redis stream) to every other instance,
which delivers it to its own. An instance skips what it published itself.

Without Redis there is one instance and `send` does nothing: the caller has
already delivered locally, exactly as before. With Redis down, `send` logs and
returns (fail open): local delivery never waits on Redis, and the instances
elsewhere miss what was sent meanwhile (the feed is a notification, never the
truth: what matters is stored and shown again on reload).

Polling, not blocking reads: the fabric's Redis client runs in worker threads
with a 250 ms socket deadline so that a frozen Redis never stalls a request; a
blocking `XREAD` would need a thread and a connection of its own per instance,
with another deadline. Reading four times a second costs one round trip per
instance however many sockets it holds, and keeps presence within ~2 s.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable, Iterable
from typing import Literal

import trio

from syncwatch.clock import Clock
from syncwatch.fabric import Fabric
from syncwatch.fabric.feeds import follow_feed
from syncwatch.observability.logs import get_logger

log = get_logger("syncwatch.fabric.crossing")

FEED = "crossing"
POLL_S = 0.25
RETRY_S = 2.0
KEEP_S = 60.0
"""A reader away longer than this (Redis out) misses what was sent meanwhile."""
CLOCK_SLACK_MS = 2_000
"""Instances' clocks differ a little: events stamped this much before a reader started
still count (duplicates are harmless: only sockets open here get them)."""

Kind = Literal["user", "room", "room-closed"]
"""`user`: a text frame for users' `/ws/me` sockets; `room`: a notice for a live room's
members; `room-closed`: the room was deleted, its members are closed (4004)."""

Handler = Callable[[str, str], Awaitable[None]]


class Crossing:
    def __init__(self, fabric: Fabric, clock: Clock, *, instance: str | None = None) -> None:
        self._fabric = fabric
        self._clock = clock
        # Unique per process start, so a restarted instance reads its previous life's events.
        self.instance = instance or secrets.token_hex(8)
        self._handlers: dict[str, Handler] = {}

    @property
    def shared(self) -> bool:
        """Whether other instances may exist (Redis configured)."""
        return self._fabric.kind == "redis"

    def on(self, kind: Kind, handler: Handler) -> None:
        """Deliver events of `kind` to this instance's sockets: `handler(target, payload)`."""
        self._handlers[kind] = handler

    async def send(self, kind: Kind, targets: Iterable[str], payload: str = "") -> None:
        """Tell every other instance; the caller has delivered to this one's sockets."""
        to = sorted(set(targets))
        if not self.shared or not to:
            return
        event = {"i": self.instance, "at": self._clock.now_ms(), "k": kind, "to": to, "p": payload}
        try:
            await self._fabric.publish(FEED, json.dumps(event).encode(), keep_s=KEEP_S)
        except Exception:
            log.warning("not delivered to other instances: the fabric is unreachable", kind=kind)

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Read the feed for ever and hand what other instances sent to the handlers."""
        task_status.started()
        if not self.shared:
            await trio.sleep_forever()
        started_ms = self._clock.now_ms() - CLOCK_SLACK_MS

        async def apply(raw: bytes) -> None:
            await self._apply(raw, started_ms)

        await follow_feed(
            self._fabric,
            FEED,
            apply,
            poll_s=POLL_S,
            retry_s=RETRY_S,
            unreachable="crossing feed unreachable; other instances' events wait",
        )

    async def _apply(self, raw: bytes, started_ms: int) -> None:
        try:
            event = json.loads(raw)
            if event["i"] == self.instance or int(event["at"]) < started_ms:
                return
            handler = self._handlers.get(event["k"])
            targets, payload = list(event["to"]), str(event["p"])
        except (ValueError, KeyError, TypeError):
            log.warning("crossing event ignored: unreadable")
            return
        if handler is None:
            return
        for target in targets:
            try:
                await handler(str(target), payload)
            except Exception:
                # One bad delivery never stops the reader (it would stop every other).
                log.exception("crossing event not delivered", kind=event["k"], target=target)
