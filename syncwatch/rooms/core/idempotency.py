"""Remembered results of sync commands by idempotency key, so a retry changes nothing.

Owns the bounded, time-limited memory of (participant, key) → first result.
Keys are scoped per participant so two members cannot collide by accident.
Time is passed in; nothing here reads a clock.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

IDEMPOTENCY_TTL_MS = 60 * 60 * 1000
MAX_REMEMBERED_KEYS = 1024


@dataclass(frozen=True, slots=True)
class RememberedResult:
    participant_id: str
    key: str
    stored_at_ms: int
    result: Mapping[str, Any]
    """The first ack's data, returned unchanged to every repeat."""


class IdempotencyLedger:
    def __init__(self, entries: Iterable[RememberedResult] = ()) -> None:
        self._entries: OrderedDict[tuple[str, str], RememberedResult] = OrderedDict()
        for entry in entries:
            self._entries[(entry.participant_id, entry.key)] = entry

    def lookup(self, participant_id: str, key: str, now_ms: int) -> RememberedResult | None:
        entry = self._entries.get((participant_id, key))
        if entry is None or now_ms - entry.stored_at_ms >= IDEMPOTENCY_TTL_MS:
            return None
        return entry

    def remember(
        self, participant_id: str, key: str, now_ms: int, result: Mapping[str, Any]
    ) -> None:
        self._forget_expired(now_ms)
        self._entries[(participant_id, key)] = RememberedResult(
            participant_id, key, now_ms, dict(result)
        )
        while len(self._entries) > MAX_REMEMBERED_KEYS:
            self._entries.popitem(last=False)  # the oldest goes first

    def entries(self) -> list[RememberedResult]:
        """What a snapshot keeps (expired entries are pruned on write, ignored on lookup)."""
        return list(self._entries.values())

    def _forget_expired(self, now_ms: int) -> None:
        # Entries are in insertion (= time) order: stop at the first one still alive.
        while self._entries:
            oldest = next(iter(self._entries.values()))
            if now_ms - oldest.stored_at_ms < IDEMPOTENCY_TTL_MS:
                return
            self._entries.popitem(last=False)
