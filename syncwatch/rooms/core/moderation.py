"""The owner's controls: kick, ban, grant and revoke playback control, hand over ownership,
room settings; and a former owner's reclaim.

Owns the checks (owner only; the owner can never be kicked or banned; the
target must be in the room where it matters) and the effects of each. Every
change to roles, grants or bans saves a snapshot first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncwatch.errors import Forbidden, NotFound, NotOwner
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core import ownership
from syncwatch.rooms.core.effects import (
    CLOSE_KICKED,
    Audit,
    Close,
    Effect,
    PersistBan,
    SaveSnapshot,
    Send,
)
from syncwatch.rooms.core.presence import RECLAIM_WINDOW_MS, Member

if TYPE_CHECKING:
    from syncwatch.rooms.core.state import RoomState

OwnerControl = (
    m.Kick
    | m.Ban
    | m.GrantControl
    | m.RevokeControl
    | m.TransferOwnership
    | m.ReclaimOwnership
    | m.ChangeSettings
)


def handle(room: RoomState, now_ms: int, member: Member, message: m.RoomMessage) -> list[Effect]:
    if isinstance(message, m.ReclaimOwnership):
        return _reclaim(room, now_ms, member, message)
    if member.participant_id != room.owner_id:
        raise NotOwner()
    match message:
        case m.Kick():
            return _kick(room, now_ms, member, message)
        case m.Ban():
            return _ban(room, now_ms, member, message)
        case m.GrantControl() | m.RevokeControl():
            return _control(room, member, message)
        case m.TransferOwnership():
            return _transfer(room, now_ms, member, message)
        case m.ChangeSettings():
            return _settings(room, member, message)
    raise AssertionError(f"unhandled message type {message.type}")


def _present(room: RoomState, participant_id: str) -> Member:
    target = room._members.get(participant_id)
    if target is None:
        raise NotFound("No such participant in this room.")
    return target


def _never_the_owner(room: RoomState, participant_id: str) -> None:
    if participant_id == room.owner_id:
        raise Forbidden("The owner cannot be removed from the room.")


def _kick(room: RoomState, now_ms: int, owner: Member, message: m.Kick) -> list[Effect]:
    _never_the_owner(room, message.data.participant_id)
    target = _present(room, message.data.participant_id)
    effects: list[Effect] = [Close(target.conn_id, CLOSE_KICKED, "kicked")]
    effects += room._remove(now_ms, target)
    effects.append(room._participants_to_all())
    effects.append(Audit("participant.kicked", owner.participant_id, target.participant_id, {}))
    event = out.SystemEvent(
        kind="kick", user_id=target.participant_id, username=target.display_name
    )
    effects.append(room._system_chat(now_ms, event))
    return effects + room._ack(owner, message)


def _ban(room: RoomState, now_ms: int, owner: Member, message: m.Ban) -> list[Effect]:
    """Bans the subject (present or not): it can no longer join this room."""
    banned_id = message.data.participant_id
    _never_the_owner(room, banned_id)
    target = room._members.get(banned_id)
    room._bans.add(banned_id)
    room._controllers.discard(banned_id)
    effects: list[Effect] = [
        PersistBan(room.settings.id, banned_id, owner.participant_id, now_ms),
        SaveSnapshot(room.snapshot()),
    ]
    if target is not None:
        effects.append(Close(target.conn_id, CLOSE_KICKED, "banned"))
        effects += room._remove(now_ms, target)
        effects.append(room._participants_to_all())
    effects.append(Audit("participant.banned", owner.participant_id, banned_id, {}))
    event = out.SystemEvent(
        kind="ban", user_id=banned_id, username=target.display_name if target else None
    )
    effects.append(room._system_chat(now_ms, event))
    return effects + room._ack(owner, message)


def _control(
    room: RoomState, owner: Member, message: m.GrantControl | m.RevokeControl
) -> list[Effect]:
    """Grants matter under `selected`; they are kept if the mode changes and changes back."""
    participant_id = message.data.participant_id
    if isinstance(message, m.GrantControl):
        _present(room, participant_id)
        room._controllers.add(participant_id)
        event_type = "permission.granted"
    else:
        room._controllers.discard(participant_id)
        event_type = "permission.revoked"
    return [
        SaveSnapshot(room.snapshot()),
        room._participants_to_all(),
        Audit(event_type, owner.participant_id, participant_id, {"permission": "playback"}),
        *room._ack(owner, message),
    ]


def _transfer(
    room: RoomState, now_ms: int, owner: Member, message: m.TransferOwnership
) -> list[Effect]:
    """A voluntary handover: the previous owner keeps no right to reclaim."""
    target = _present(room, message.data.participant_id)
    if target.participant_id == owner.participant_id:
        return room._ack(owner, message)
    room._set_owner(now_ms, target.participant_id)
    room._former_owner = None
    effects = ownership.announce_change(room, now_ms, owner.participant_id, "transfer")
    return [*effects, room._participants_to_all(), *room._ack(owner, message)]


def _reclaim(
    room: RoomState, now_ms: int, member: Member, message: m.ReclaimOwnership
) -> list[Effect]:
    former = room._former_owner
    if (
        former is None
        or former.participant_id != member.participant_id
        or now_ms - former.since_ms > RECLAIM_WINDOW_MS
    ):
        raise Forbidden("There is no ownership for you to reclaim.")
    previous = room.owner_id
    room._set_owner(now_ms, member.participant_id)
    effects = ownership.announce_change(room, now_ms, previous, "reclaim")
    return [*effects, room._participants_to_all(), *room._ack(member, message)]


def _settings(room: RoomState, owner: Member, message: m.ChangeSettings) -> list[Effect]:
    if message.data.playback_control is not None:
        room._playback_control = message.data.playback_control
    if message.data.auto_handover is not None:
        room._auto_handover = message.data.auto_handover
    if message.data.voice_relay_only is not None:
        room._voice_relay_only = message.data.voice_relay_only
    changed = out.SettingsChanged(
        data=out.SettingsChangedData(
            playback_control=room._playback_control,
            auto_handover=room._auto_handover,
            voice_relay_only=room._voice_relay_only,
        )
    )
    return [
        SaveSnapshot(room.snapshot()),
        Send(room._everyone(), changed),
        room._participants_to_all(),
        *room._ack(owner, message),
    ]
