"""`Membership`: who holds a seat in a room, as a value.

Owns the seats (one `Member` per participant id) and every question asked of
them: who is behind a connection, who is in the voice call, who went silent,
in which order people joined. Every change returns a new `Membership`; the
room keeps the one in force.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from syncwatch.rooms.core.presence import AWAY_AFTER_MS, Member


def _no_seats() -> Mapping[str, Member]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Membership:
    seats: Mapping[str, Member] = field(default_factory=_no_seats)
    """By participant id, in the order the seats were first taken."""

    # --- questions -----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.seats)

    def __contains__(self, participant_id: object) -> bool:
        return participant_id in self.seats

    def __iter__(self) -> Iterator[Member]:
        return iter(self.seats.values())

    def get(self, participant_id: str) -> Member | None:
        return self.seats.get(participant_id)

    def for_conn(self, conn_id: str) -> Member | None:
        """The member whose current connection is `conn_id` (a replaced one has none)."""
        return next((member for member in self.seats.values() if member.conn_id == conn_id), None)

    def ordered(self) -> tuple[Member, ...]:
        """Earliest joiner first: the order of lists, broadcasts and handover candidates."""
        return tuple(sorted(self.seats.values(), key=lambda member: member.joined_at_ms))

    def conn_ids(self) -> tuple[str, ...]:
        return tuple(member.conn_id for member in self.ordered())

    def in_voice(self, *, excluding: str | None = None) -> list[Member]:
        return [
            member
            for member in self.ordered()
            if member.in_voice and member.participant_id != excluding
        ]

    def present(self, *, excluding: str | None = None) -> list[Member]:
        """Members not away, earliest joiner first."""
        return [
            member
            for member in self.ordered()
            if not member.away and member.participant_id != excluding
        ]

    def newly_silent(self, now_ms: int) -> list[Member]:
        """Members not yet away who sent no heartbeat for `AWAY_AFTER_MS`."""
        return [
            member
            for member in self.seats.values()
            if not member.away and member.silent_for(now_ms) >= AWAY_AFTER_MS
        ]

    def away_deadlines_ms(self) -> list[int]:
        """When each member not yet away will be, barring a heartbeat."""
        return [
            member.last_heartbeat_ms + AWAY_AFTER_MS
            for member in self.seats.values()
            if not member.away
        ]

    def rtts_ms(self, *, excluding: Collection[str] = ()) -> list[float | None]:
        return [m.rtt_ms for pid, m in self.seats.items() if pid not in excluding]

    # --- changes -------------------------------------------------------------------

    def seated(self, member: Member) -> Membership:
        """With `member` in its seat (a member already seated keeps its place in order)."""
        return Membership(MappingProxyType({**self.seats, member.participant_id: member}))

    def without(self, participant_id: str) -> Membership:
        return Membership(
            MappingProxyType({pid: m for pid, m in self.seats.items() if pid != participant_id})
        )
