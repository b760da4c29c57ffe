"""`MemberLog`: what happened to each member of a room lately, kept for reports.

Owns a short, bounded memory per participant (joins, departures, mutes,
automod actions, kicks) with the name they had. A report about a member
carries their recent events as evidence; it also lets someone report a member
who has just left. Memory only: a restarted room starts a fresh log. Time is
passed in.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

EVENTS_PER_MEMBER = 20
MEMBERS_REMEMBERED = 64


@dataclass(frozen=True, slots=True)
class MemberEvent:
    at_ms: int
    kind: str
    detail: tuple[tuple[str, Any], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"at": self.at_ms, "kind": self.kind, **dict(self.detail)}


class MemberLog:
    def __init__(self) -> None:
        # Least recently noted member first, so the oldest is forgotten first.
        self._members: OrderedDict[str, tuple[str, deque[MemberEvent]]] = OrderedDict()

    def note(self, participant_id: str, name: str, at_ms: int, kind: str, **detail: Any) -> None:
        _, events = self._members.pop(participant_id, (name, deque(maxlen=EVENTS_PER_MEMBER)))
        events.append(MemberEvent(at_ms, kind, tuple(sorted(detail.items()))))
        self._members[participant_id] = (name, events)
        while len(self._members) > MEMBERS_REMEMBERED:
            self._members.popitem(last=False)

    def name_of(self, participant_id: str) -> str | None:
        found = self._members.get(participant_id)
        return None if found is None else found[0]

    def recent(self, participant_id: str) -> list[dict[str, Any]]:
        found = self._members.get(participant_id)
        return [] if found is None else [event.as_json() for event in found[1]]
