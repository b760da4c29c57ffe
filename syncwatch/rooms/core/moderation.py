"""The owner's controls: kick, ban, grant and revoke playback control, hand over ownership,
room settings; and a former owner's reclaim.

Owns the checks of each (the owner can never be kicked or banned; the target
must be in the room where it matters) and its effects. Every change to roles,
grants or bans saves a snapshot first. That only the owner may use these
(reclaim aside) is said once, where they are dispatched (`dispatch.owner_only`).
"""

from __future__ import annotations

from dataclasses import replace

from syncwatch.close_codes import CloseCode
from syncwatch.errors import Banned, Forbidden, Kicked, NotFound
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core import handover, room_details
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import (
    Audit,
    Close,
    Effect,
    PersistBan,
    SaveSnapshot,
    Send,
    StoreRoomAccess,
)
from syncwatch.rooms.core.presence import Member


def _present(room: RoomContext, participant_id: str) -> Member:
    target = room.membership.get(participant_id)
    if target is None:
        raise NotFound("No such participant in this room.")
    return target


def _never_the_owner(room: RoomContext, participant_id: str) -> None:
    if room.ownership.is_owner(participant_id):
        raise Forbidden("The owner cannot be removed from the room.")


def kick(room: RoomContext, now_ms: int, owner: Member, message: m.Kick) -> list[Effect]:
    _never_the_owner(room, message.data.participant_id)
    target = _present(room, message.data.participant_id)
    effects: list[Effect] = [
        # Told before the close: a client can tell being removed from a network failure.
        Send((target.conn_id,), out.error_frame(Kicked("The owner removed you from the room."))),
        Close(target.conn_id, CloseCode.FORBIDDEN, "kicked"),
    ]
    room.note(target, now_ms, "kicked")
    # Coming back after a kick takes the password again.
    if room.admissions.remembers(target.participant_id):
        room.update_admissions(room.admissions.revoking(target.participant_id))
        effects.append(SaveSnapshot(room.snapshot()))
    effects += room.unseat(now_ms, target)
    effects.append(room.participants_to_all())
    effects.append(Audit("participant.kicked", owner.participant_id, target.participant_id, {}))
    event = out.SystemEvent(
        kind="kick", user_id=target.participant_id, username=target.display_name
    )
    effects.append(room.system_chat(now_ms, event))
    return effects + room.ack(owner, message)


def ban(room: RoomContext, now_ms: int, owner: Member, message: m.Ban) -> list[Effect]:
    """Bans the subject (present or not): it can no longer join this room."""
    banned_id = message.data.participant_id
    _never_the_owner(room, banned_id)
    target = room.membership.get(banned_id)
    room.update_rules(room.rules.banning(banned_id))
    room.update_admissions(room.admissions.revoking(banned_id))
    effects: list[Effect] = [
        PersistBan(
            room.settings.id,
            banned_id,
            owner.participant_id,
            now_ms,
            device_id=target.device_id if target else None,
            # Guests are anyone's for the asking: their address is held too, for a while.
            address=target.address if target and target.is_guest else None,
        ),
        SaveSnapshot(room.snapshot()),
    ]
    if target is not None:
        room.note(target, now_ms, "banned")
        effects.append(
            Send((target.conn_id,), out.error_frame(Banned("You are banned from this room.")))
        )
        effects.append(Close(target.conn_id, CloseCode.FORBIDDEN, "banned"))
        effects += room.unseat(now_ms, target)
        effects.append(room.participants_to_all())
    effects.append(Audit("participant.banned", owner.participant_id, banned_id, {}))
    event = out.SystemEvent(
        kind="ban", user_id=banned_id, username=target.display_name if target else None
    )
    effects.append(room.system_chat(now_ms, event))
    return effects + room.ack(owner, message)


def control(
    room: RoomContext, now_ms: int, owner: Member, message: m.GrantControl | m.RevokeControl
) -> list[Effect]:
    """Grants matter under `selected`; they are kept if the mode changes and changes back."""
    participant_id = message.data.participant_id
    if isinstance(message, m.GrantControl):
        _present(room, participant_id)
        room.update_rules(room.rules.granting(participant_id))
        event_type = "permission.granted"
    else:
        room.update_rules(room.rules.revoking(participant_id))
        event_type = "permission.revoked"
    return [
        SaveSnapshot(room.snapshot()),
        room.participants_to_all(),
        Audit(event_type, owner.participant_id, participant_id, {"permission": "playback"}),
        *room.ack(owner, message),
    ]


def transfer(
    room: RoomContext, now_ms: int, owner: Member, message: m.TransferOwnership
) -> list[Effect]:
    """A voluntary handover: the previous owner keeps no right to reclaim."""
    target = _present(room, message.data.participant_id)
    if target.participant_id == owner.participant_id:
        return room.ack(owner, message)
    room.update_ownership(room.ownership.passed_to(target.participant_id, now_ms))
    effects = handover.announce_change(room, now_ms, owner.participant_id, "transfer")
    return [*effects, room.participants_to_all(), *room.ack(owner, message)]


def reclaim(
    room: RoomContext, now_ms: int, member: Member, message: m.ReclaimOwnership
) -> list[Effect]:
    """A former owner who lost ownership by being away takes it back within the window."""
    ownership = room.ownership
    if ownership.reclaim_expires_at(member.participant_id, now_ms) is None:
        raise Forbidden("There is no ownership for you to reclaim.")
    room.update_ownership(ownership.taken_by(member.participant_id, now_ms))
    effects = handover.announce_change(room, now_ms, ownership.owner_id, "reclaim")
    return [*effects, room.participants_to_all(), *room.ack(member, message)]


def _stored_settings(room: RoomContext) -> tuple[object, ...]:
    """Everything `room:settings` can change, as stored (a relay-only choice an anonymous
    room hides still counts): equal before and after means the request changed nothing."""
    details = room.settings
    return (
        room.rules,
        details.name,
        details.max_participants,
        details.has_password,
        room.privacy,
        room.guests_allowed,
        room.automod_settings,
        room.buffering.threshold_ms,
        room.idleness.idle_minutes,
    )


def settings(
    room: RoomContext, now_ms: int, owner: Member, message: m.ChangeSettings
) -> list[Effect]:
    """Playback policy, handover, relay-only voice (always on in an anonymous room, whatever
    is stored), who may join (stored in the room's row before anyone hears: joins are
    checked against it; people already here stay), the automod rules, and the room's own
    details (`room_details`: name, seats, password, guest chat). Every change is a system
    line everyone reads and an audit row; neither ever holds a password. A request that
    changes nothing (the same choice made twice) is only acknowledged: a second line and
    audit row would report a change nobody made. A new password always counts as one."""
    data = message.data
    details = room_details.checked(room, data)  # refuses before anything changes
    before = room.settings_view().data.to_wire()
    stored_before = _stored_settings(room)
    had_password = room.settings.has_password
    rules = room.rules.changed(
        playback_control=data.playback_control,
        auto_handover=data.auto_handover,
        voice_relay_only=data.voice_relay_only,
        guests_may_chat=data.guests_may_chat,
    )
    room.update_rules(rules)
    effects: list[Effect] = []
    password = room_details.password_change(had_password, details)
    if details is not None and (
        password is not None
        or (details.name, details.max_participants)
        != (room.settings.name, room.settings.max_participants)
    ):
        has_password = details.has_password or (had_password and not details.remove_password)
        room.update_details(
            name=details.name, max_participants=details.max_participants, has_password=has_password
        )
        effects.append(details.store(room.settings.id))
    access = (
        data.privacy or room.privacy,
        room.guests_allowed if data.guests_allowed is None else data.guests_allowed,
    )
    if access != (room.privacy, room.guests_allowed):
        room.update_access(*access)
        effects.append(StoreRoomAccess(room.settings.id, *access))
    if data.automod is not None:
        room.update_automod(room.automod_settings.changed(**dict(data.automod)))
    if data.buffer_wait_ms not in (None, room.buffering.threshold_ms):
        room.update_buffering(room.buffering.with_threshold(data.buffer_wait_ms))
    if data.idle_close_minutes not in (None, room.idleness.idle_minutes):
        idle = replace(room.idleness, idle_minutes=data.idle_close_minutes)
        room.update_idleness(idle.active(now_ms))
    if password is None and _stored_settings(room) == stored_before:
        return room.ack(owner, message)
    changes = room_details.differences(before, room.settings_view().data.to_wire())
    if password is not None:
        changes["password"] = password
    requested = data.model_dump(exclude_none=True, by_alias=True)
    requested.pop("password", None)  # never in an audit row
    if password is not None:
        requested["password"] = password
    effects += [
        SaveSnapshot(room.snapshot()),
        Send(room.everyone(), room.settings_view()),
        room.participants_to_all(),
        Audit(
            "room.settings_changed",
            owner.participant_id,
            None,
            {"changed": requested, "changes": changes},
        ),
        *room.ack(owner, message),
    ]
    if changes:
        event = out.SystemEvent(
            kind="settings",
            user_id=owner.participant_id,
            username=owner.display_name,
            changes=changes,
        )
        effects.append(room.system_chat(now_ms, event))
    return effects
