"""`ReadyCheck`: the owner's open "Ready?" question, as a value.

Owns who was asked, who confirmed, when the question lapses and the wire view
of it. The handlers that change it are in `ready_check`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from syncwatch.protocol import server_messages as out

CheckStatus = Literal["open", "all_ready", "started_anyway", "cancelled", "timed_out"]


@dataclass(frozen=True, slots=True)
class ReadyCheck:
    check_id: str
    asked_by: str
    ends_at_ms: int
    countdown_ms: int
    asked: tuple[str, ...]
    """Who must confirm, earliest joiner first (someone arriving later joins by answering)."""
    ready: frozenset[str] = frozenset()

    def waiting_for(self) -> list[str]:
        return [pid for pid in self.asked if pid not in self.ready]

    def answered(self, participant_id: str, ready: bool) -> ReadyCheck:
        asked = self.asked if participant_id in self.asked else (*self.asked, participant_id)
        confirmed = self.ready | {participant_id} if ready else self.ready - {participant_id}
        return replace(self, asked=asked, ready=confirmed)

    def without(self, participant_id: str) -> ReadyCheck:
        return replace(
            self,
            asked=tuple(pid for pid in self.asked if pid != participant_id),
            ready=self.ready - {participant_id},
        )

    def view(self, status: CheckStatus = "open") -> out.ReadyCheckView:
        return out.ReadyCheckView(
            check_id=self.check_id,
            status=status,
            asked_by=self.asked_by,
            ends_at=self.ends_at_ms,
            ready=[pid for pid in self.asked if pid in self.ready],
            waiting_for=self.waiting_for(),
        )
