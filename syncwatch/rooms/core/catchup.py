"""The last 256 sync commands, so a reconnecting client can replay what it missed.

Owns the ring buffer and the rule deciding between replaying commands and
sending a snapshot. The buffer lives only in memory: after a restart or a
failover it is empty and every rejoin gets a snapshot (the state alone is
enough to be correct; replay only lets a client tell its user what happened).
"""

from __future__ import annotations

from collections import deque

from syncwatch.protocol.server_messages import SyncCommandData

COMMAND_LOG_SIZE = 256


class CommandLog:
    """Entries are kept as compact JSON (~450 bytes) rather than as pydantic models
    (~2.2 kB each): a full log of models cost 113 KiB per member of a room of five,
    measured by the rooms benchmark. Replays are rare, so they pay for parsing."""

    def __init__(self) -> None:
        self._commands: deque[tuple[int, str]] = deque(maxlen=COMMAND_LOG_SIZE)

    def append(self, command: SyncCommandData) -> None:
        self._commands.append((command.sequence_number, command.model_dump_json(by_alias=True)))

    def missed_since(self, last_seq: int, current_seq: int) -> list[SyncCommandData] | None:
        """The commands after `last_seq`, in order, or None when they are not all here."""
        if last_seq == current_seq:
            return []
        if last_seq > current_seq or not self._commands:
            return None
        oldest = self._commands[0][0]
        if last_seq + 1 < oldest:
            return None
        return [
            SyncCommandData.model_validate_json(text)
            for sequence_number, text in self._commands
            if sequence_number > last_seq
        ]
