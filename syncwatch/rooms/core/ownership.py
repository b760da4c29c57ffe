"""Ownership: who owns the room, failover when the owner is away, and the way back.

Owns the rules `RoomState` applies on join and in its watchdog (see the
`state` module docstring for the reading of the contract). Works on
`RoomState`'s internals as part of the room core; time is passed in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncwatch.protocol import server_messages as out
from syncwatch.protocol.vocabulary import OwnershipReason
from syncwatch.rooms.core import commands
from syncwatch.rooms.core.effects import Audit, Effect, SaveSnapshot, Send
from syncwatch.rooms.core.presence import AWAY_AFTER_MS, RECLAIM_WINDOW_MS
from syncwatch.rooms.core.snapshot import FormerOwner

if TYPE_CHECKING:
    from syncwatch.rooms.core.state import RoomState


def announce_change(
    room: RoomState, now_ms: int, previous: str | None, reason: OwnershipReason
) -> list[Effect]:
    """The effects of any change of owner (snapshot first)."""
    assert room._owner_id is not None
    new_owner = room._members.get(room._owner_id)
    changed = out.OwnerChanged(
        data=out.OwnerChangedData(
            new_owner_id=room._owner_id,
            previous_owner_id=previous,
            reason=reason,
        )
    )
    event = out.SystemEvent(
        kind="ownership",
        user_id=room._owner_id,
        username=new_owner.display_name if new_owner else None,
    )
    return [
        SaveSnapshot(room.snapshot()),
        Send(room._everyone(), changed),
        Audit("ownership.transferred", previous, room._owner_id, {"reason": reason}),
        room._system_chat(now_ms, event),
    ]


def on_join(
    room: RoomState, now_ms: int, participant_id: str
) -> tuple[list[Effect], out.OfferOwnership | None]:
    """Owner back, creator taking over an unheld room, or an offer to a recent owner."""
    if participant_id == room._owner_id:
        room._set_owner(now_ms, participant_id)
        return [], None
    owner_present = room._owner_id is not None and room._owner_id in room._members
    if participant_id == room.settings.creator_subject_id and not owner_present:
        previous = room._owner_id
        room._set_owner(now_ms, participant_id)
        room._former_owner = None
        return announce_change(room, now_ms, previous, "creator_returned"), None
    former = room._former_owner
    if (
        former is not None
        and former.participant_id == participant_id
        and now_ms - former.since_ms <= RECLAIM_WINDOW_MS
    ):
        offer = out.OfferOwnership(
            data=out.OfferOwnershipData(
                current_owner_id=room._owner_id,
                expires_at=former.since_ms + RECLAIM_WINDOW_MS,
            )
        )
        return [], offer
    return [], None


def owner_is_away(room: RoomState, now_ms: int) -> bool:
    if room._owner_id is None:
        return False
    owner = room._members.get(room._owner_id)
    if owner is not None:
        return owner.away or owner.silent_for(now_ms) >= AWAY_AFTER_MS
    last_seen = room._owner_last_seen_ms
    return last_seen is not None and now_ms - last_seen >= AWAY_AFTER_MS


def watch(room: RoomState, now_ms: int) -> list[Effect]:
    """Owner failover: announce once, then hand over (or pause when handover is off)."""
    if room._owner_id is None or not room._members or not owner_is_away(room, now_ms):
        return []
    effects: list[Effect] = []
    if not room._owner_away_announced:
        room._owner_away_announced = True
        away = out.OwnerAway(data=out.OwnerAwayData(owner_id=room._owner_id))
        effects.append(Send(room._everyone(), away))
    if room._auto_handover:
        candidates = [
            member
            for member in room.members
            if not member.away and member.participant_id != room._owner_id
        ]
        if candidates:
            previous = room._owner_id
            since = room._owner_last_seen_ms
            room._set_owner(now_ms, candidates[0].participant_id)
            room._former_owner = FormerOwner(previous, since if since is not None else now_ms)
            effects += announce_change(room, now_ms, previous, "auto_handover")
            effects.append(room._participants_to_all())
    elif not room._auto_paused and room._playback.is_playing:
        room._auto_paused = True
        effects += commands.issue_system_pause(room, now_ms)
    return effects
