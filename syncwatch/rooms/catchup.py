"""The last 256 sync commands, so a reconnecting client can replay what it missed.

Owns the ring buffer and the rule deciding between replaying commands and
sending a snapshot. The buffer lives only in memory: after a restart or a
failover it is empty and every rejoin gets a snapshot (the state alone is
enough to be correct; replay only lets a client tell its user what happened).
"""

from __future__ import annotations

from collections import deque

from syncwatch.rooms.server_messages import SyncCommandData

COMMAND_LOG_SIZE = 256


class CommandLog:
    def __init__(self) -> None:
        self._commands: deque[SyncCommandData] = deque(maxlen=COMMAND_LOG_SIZE)

    def append(self, command: SyncCommandData) -> None:
        self._commands.append(command)

    def missed_since(self, last_seq: int, current_seq: int) -> list[SyncCommandData] | None:
        """The commands after `last_seq`, in order, or None when they are not all here."""
        if last_seq == current_seq:
            return []
        if last_seq > current_seq or not self._commands:
            return None
        oldest = self._commands[0].sequence_number
        if last_seq + 1 < oldest:
            return None
        return [c for c in self._commands if c.sequence_number > last_seq]
