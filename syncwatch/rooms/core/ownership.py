"""`Ownership`: who owns the room, who may take it back, and how alive the owner is.

Owns the value and every question asked of it; the rules that change it on
join, in the watchdog and on the owner's commands are in `handover`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from syncwatch.rooms.core.membership import Membership
from syncwatch.rooms.core.presence import AWAY_AFTER_MS, RECLAIM_WINDOW_MS
from syncwatch.rooms.core.snapshot import FormerOwner


@dataclass(frozen=True, slots=True)
class Ownership:
    """A value: every change returns a new `Ownership`.

    `last_seen_ms` is the baseline of the owner's liveness: None until the first
    connection (a restored room starts afresh: everyone reconnects after a failover).
    `away_announced` and `auto_paused` make the watchdog act once per absence.
    """

    owner_id: str | None
    former_owner: FormerOwner | None = None
    last_seen_ms: int | None = None
    away_announced: bool = False
    auto_paused: bool = False

    # --- questions -----------------------------------------------------------------

    def is_owner(self, participant_id: str) -> bool:
        return participant_id == self.owner_id

    def is_away(self, membership: Membership, now_ms: int) -> bool:
        """Silent in the room, or gone from it, for `AWAY_AFTER_MS`."""
        if self.owner_id is None:
            return False
        owner = membership.get(self.owner_id)
        if owner is not None:
            return owner.away or owner.silent_for(now_ms) >= AWAY_AFTER_MS
        return self.last_seen_ms is not None and now_ms - self.last_seen_ms >= AWAY_AFTER_MS

    def away_deadline_ms(self, membership: Membership) -> int | None:
        """When an absent owner is to be announced away (None: nothing to wait for)."""
        absent = self.owner_id is not None and self.owner_id not in membership
        if absent and len(membership) and not self.away_announced and self.last_seen_ms is not None:
            return self.last_seen_ms + AWAY_AFTER_MS
        return None

    def reclaim_expires_at(self, participant_id: str, now_ms: int) -> int | None:
        """Until when `participant_id` may take ownership back; None if they may not."""
        former = self.former_owner
        if (
            former is None
            or former.participant_id != participant_id
            or now_ms - former.since_ms > RECLAIM_WINDOW_MS
        ):
            return None
        return former.since_ms + RECLAIM_WINDOW_MS

    # --- changes -------------------------------------------------------------------

    def taken_by(self, participant_id: str, now_ms: int) -> Ownership:
        """`participant_id` owns the room from now on, present and not yet away."""
        former = self.former_owner
        if former is not None and former.participant_id == participant_id:
            former = None
        return Ownership(participant_id, former, now_ms)

    def passed_to(self, participant_id: str, now_ms: int) -> Ownership:
        """A voluntary transfer (or the creator's return): nobody may reclaim."""
        return replace(self.taken_by(participant_id, now_ms), former_owner=None)

    def handed_over_to(self, participant_id: str, now_ms: int) -> Ownership:
        """Failover: the owner who was away may reclaim for `RECLAIM_WINDOW_MS`."""
        assert self.owner_id is not None
        since = self.last_seen_ms if self.last_seen_ms is not None else now_ms
        return replace(
            self.taken_by(participant_id, now_ms),
            former_owner=FormerOwner(self.owner_id, since),
        )

    def seen(self, now_ms: int) -> Ownership:
        """The owner showed a sign of life."""
        return replace(self, last_seen_ms=now_ms, away_announced=False, auto_paused=False)

    def left(self, now_ms: int) -> Ownership:
        """The owner's connection ended: their absence counts from now."""
        return replace(self, last_seen_ms=now_ms)

    def watched_from(self, now_ms: int) -> Ownership:
        """The first connection to this instance starts the owner's liveness clock."""
        return self if self.last_seen_ms is not None else replace(self, last_seen_ms=now_ms)

    def announced_away(self) -> Ownership:
        return replace(self, away_announced=True)

    def paused_for_absence(self) -> Ownership:
        return replace(self, auto_paused=True)
