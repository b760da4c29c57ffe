"""Handover: who becomes owner on join and when the owner is away, and how a change is told.

Owns the rules `RoomState` applies on join and in its watchdog (see the
`state` module docstring for the reading of the contract), and the effects of
every change of owner, which the owner's own controls (`moderation`) reuse.
Ownership itself is the `Ownership` value; time is passed in.
"""

from __future__ import annotations

from syncwatch.protocol import server_messages as out
from syncwatch.protocol.vocabulary import OwnershipReason
from syncwatch.rooms.core import commands
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Audit, Effect, SaveSnapshot, Send


def announce_change(
    room: RoomContext, now_ms: int, previous: str | None, reason: OwnershipReason
) -> list[Effect]:
    """The effects of any change of owner (snapshot first)."""
    owner_id = room.ownership.owner_id
    assert owner_id is not None
    new_owner = room.membership.get(owner_id)
    changed = out.OwnerChanged(
        data=out.OwnerChangedData(
            new_owner_id=owner_id,
            previous_owner_id=previous,
            reason=reason,
        )
    )
    event = out.SystemEvent(
        kind="ownership",
        user_id=owner_id,
        username=new_owner.display_name if new_owner else None,
    )
    return [
        SaveSnapshot(room.snapshot()),
        Send(room.everyone(), changed),
        *room.moderation_to_owner(),
        Audit("ownership.transferred", previous, owner_id, {"reason": reason}),
        room.system_chat(now_ms, event),
    ]


def on_join(
    room: RoomContext, now_ms: int, participant_id: str
) -> tuple[list[Effect], out.OfferOwnership | None]:
    """Owner back, creator taking over an unheld room, or an offer to a recent owner."""
    ownership = room.ownership
    if ownership.is_owner(participant_id):
        room.update_ownership(ownership.taken_by(participant_id, now_ms))
        return [], None
    owner_present = ownership.owner_id is not None and ownership.owner_id in room.membership
    if participant_id == room.settings.creator_subject_id and not owner_present:
        room.update_ownership(ownership.passed_to(participant_id, now_ms))
        return announce_change(room, now_ms, ownership.owner_id, "creator_returned"), None
    expires_at = ownership.reclaim_expires_at(participant_id, now_ms)
    if expires_at is not None:
        offer = out.OfferOwnership(
            data=out.OfferOwnershipData(current_owner_id=ownership.owner_id, expires_at=expires_at)
        )
        return [], offer
    return [], None


def watch(room: RoomContext, now_ms: int) -> list[Effect]:
    """Owner failover: announce once, then hand over (or pause when handover is off)."""
    ownership = room.ownership
    owner_id = ownership.owner_id
    if (
        owner_id is None
        or not len(room.membership)
        or not ownership.is_away(room.membership, now_ms)
    ):
        return []
    effects: list[Effect] = []
    if not ownership.away_announced:
        room.update_ownership(ownership.announced_away())
        away = out.OwnerAway(data=out.OwnerAwayData(owner_id=owner_id))
        effects.append(Send(room.everyone(), away))
    if room.rules.auto_handover:
        candidates = room.membership.present(excluding=owner_id)
        if candidates:
            # The steadiest connection: fewest reconnects, lowest RTT variance lately.
            ranked = room.stability.ranked([c.participant_id for c in candidates], now_ms)
            room.update_ownership(room.ownership.handed_over_to(ranked[0], now_ms))
            effects += announce_change(room, now_ms, owner_id, "auto_handover")
            effects.append(room.participants_to_all())
    elif not room.ownership.auto_paused and room.playback.is_playing:
        room.update_ownership(room.ownership.paused_for_absence())
        effects += commands.issue_system_pause(room, now_ms)
    return effects
