"""What reaches a room's loop: the items of its bounded inbox, and the connections it serves.

A connection is an `Outlet` to the room: frames are delivered to it without
waiting, and it may be asked to close. Everything that changes the room goes
through its inbox as one of the items below, handled one at a time; only
departures bypass it (see `Room.leave`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

import trio

from syncwatch.close_codes import CloseCode
from syncwatch.errors import SyncWatchError
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.presence import Joiner


class Outlet(Protocol):
    """A connection as the room sees it."""

    conn_id: str
    protocol_deprecated: bool

    def deliver(self, text: str) -> None:
        """Queue a frame without waiting; an overflowing queue closes the connection."""

    def close(self, code: CloseCode, reason: str) -> None:
        """Ask the connection to close with `code` (does not wait)."""


@dataclass(slots=True)
class Join:
    outlet: Outlet
    identity: Joiner
    last_seq: int | None
    last_message_id: str | None
    outcome: trio.MemorySendChannel[SyncWatchError | None]
    # Set by a join cancelled while queued: the loop then does not seat it.
    abandoned: bool = False


@dataclass(slots=True)
class MemberMessage:
    conn_id: str
    message: m.RoomMessage
    received: float = field(default_factory=time.perf_counter)


@dataclass(slots=True)
class RttSample:
    conn_id: str
    rtt_ms: float


@dataclass(slots=True)
class Announcement:
    text: str


@dataclass(slots=True)
class End:
    code: CloseCode
    reason: str


InboxItem = Join | MemberMessage | RttSample | Announcement | End
