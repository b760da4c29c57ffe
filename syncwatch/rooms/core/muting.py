"""Mutes, shadow mutes, the room-wide voice mute and raised hands: their handlers.

Owns `room:mute`, `room:unmute`, `room:shadow_mute`, `room:shadow_unmute`,
`room:voice_mute_all` and `room:allow_speaker` (the owner's, guarded in
`dispatch`), `room:raise_hand` (anyone's), and the watchdog's lifting of
mutes that ran out. A muted member is told (`moderation:muted`, then
`moderation:unmuted`) and everyone sees it in `room:participants`; a
shadow-muted member is never told and only the owner sees it
(`room:moderation`). Voice mutes are kept by every client: each one silences
a member the list says cannot speak. Every change saves a snapshot first and
leaves an audit row. The values themselves are `mutes.Mutes`.
"""

from __future__ import annotations

from syncwatch.errors import Forbidden, NotFound
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.vocabulary import MuteScope
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Audit, Effect, SaveSnapshot, Send
from syncwatch.rooms.core.mutes import Mute, MutedBy
from syncwatch.rooms.core.presence import Member


def _member_not_owner(room: RoomContext, participant_id: str) -> Member:
    target = room.membership.get(participant_id)
    if target is None:
        raise NotFound("No such participant in this room.")
    if room.ownership.is_owner(participant_id):
        raise Forbidden("The owner cannot be muted.")
    return target


def mute_member(
    room: RoomContext,
    now_ms: int,
    target: Member,
    scope: MuteScope,
    until_ms: int | None,
    by: MutedBy,
) -> list[Effect]:
    """Mute `target` (also what automod uses); the snapshot is saved before anyone hears."""
    room.update_mutes(room.mutes.muting(target.participant_id, scope, Mute(until_ms, by)))
    room.note(target, now_ms, "muted", scope=scope, until=until_ms, by=by)
    told = out.Muted(data=out.MutedData(scope=scope, until=until_ms, by=by))
    actor = room.ownership.owner_id if by == "owner" else None
    return [
        SaveSnapshot(room.snapshot()),
        Send((target.conn_id,), told),
        room.participants_to_all(),
        Audit(
            "moderation.muted",
            actor,
            target.participant_id,
            {"scope": scope, "until": until_ms, "by": by},
        ),
    ]


def mute(room: RoomContext, now_ms: int, owner: Member, message: m.Mute) -> list[Effect]:
    target = _member_not_owner(room, message.data.participant_id)
    duration = message.data.duration_ms
    until = None if duration is None else now_ms + duration
    effects = mute_member(room, now_ms, target, message.data.scope, until, "owner")
    return effects + room.ack(owner, message)


def unmute(room: RoomContext, now_ms: int, owner: Member, message: m.Unmute) -> list[Effect]:
    participant_id = message.data.participant_id
    room.update_mutes(room.mutes.unmuting(participant_id, message.data.scope))
    effects: list[Effect] = [SaveSnapshot(room.snapshot())]
    target = room.membership.get(participant_id)
    if target is not None:
        room.note(target, now_ms, "unmuted", scope=message.data.scope)
        told = out.Unmuted(data=out.UnmutedData(scope=message.data.scope))
        effects += [Send((target.conn_id,), told), room.participants_to_all()]
    effects.append(
        Audit(
            "moderation.unmuted",
            owner.participant_id,
            participant_id,
            {"scope": message.data.scope},
        )
    )
    return effects + room.ack(owner, message)


def lift_ended(room: RoomContext, now_ms: int) -> list[Effect]:
    """The watchdog's part: mutes whose time is up end, and their members are told."""
    ended = room.mutes.ended(now_ms)
    if not ended:
        return []
    room.update_mutes(room.mutes.without_ended(now_ms))
    effects: list[Effect] = [SaveSnapshot(room.snapshot())]
    for participant_id, scope in ended:
        target = room.membership.get(participant_id)
        if target is not None:
            room.note(target, now_ms, "unmuted", scope=scope, expired=True)
            effects.append(Send((target.conn_id,), out.Unmuted(data=out.UnmutedData(scope=scope))))
        effects.append(Audit("moderation.mute_expired", None, participant_id, {"scope": scope}))
    effects.append(room.participants_to_all())
    return effects


def shadow(
    room: RoomContext, now_ms: int, owner: Member, message: m.ShadowMute | m.ShadowUnmute
) -> list[Effect]:
    """Only the owner hears of it: the member and everyone else see nothing change."""
    on = isinstance(message, m.ShadowMute)
    participant_id = message.data.participant_id
    if on:
        room.note(_member_not_owner(room, participant_id), now_ms, "shadow_muted")
    room.update_mutes(room.mutes.shadowing(participant_id, on))
    event_type = "moderation.shadow_muted" if on else "moderation.shadow_unmuted"
    return [
        SaveSnapshot(room.snapshot()),
        *room.moderation_to_owner(),
        Audit(event_type, owner.participant_id, participant_id, {}),
        *room.ack(owner, message),
    ]


def mute_all_voices(
    room: RoomContext, now_ms: int, owner: Member, message: m.VoiceMuteAll
) -> list[Effect]:
    """Room-wide voice mute: only the owner (and those let speak) may talk; members raise
    their hand to ask. Turning it off lets everyone speak and lowers every hand."""
    room.update_mutes(room.mutes.voice_muting_all(message.data.enabled))
    return [
        SaveSnapshot(room.snapshot()),
        Send(room.everyone(), room.settings_view()),
        room.participants_to_all(),
        Audit(
            "moderation.voice_muted_for_all",
            owner.participant_id,
            None,
            {"enabled": message.data.enabled},
        ),
        *room.ack(owner, message),
    ]


def raise_hand(
    room: RoomContext, now_ms: int, member: Member, message: m.RaiseHand
) -> list[Effect]:
    """Ask to speak under the room-wide voice mute (and take the question back)."""
    raised = message.data.raised
    if raised and room.mutes.may_speak(member.participant_id, room.ownership.owner_id, now_ms):
        raise Forbidden("You may already speak.")
    if raised and not room.mutes.voice_muted_for_all:
        raise Forbidden("Hands are raised only while the owner has muted every voice.")
    if room.mutes.hand_raised(member.participant_id) == raised:
        return room.ack(member, message)
    room.update_mutes(room.mutes.raising_hand(member.participant_id, raised, now_ms))
    return [SaveSnapshot(room.snapshot()), room.participants_to_all(), *room.ack(member, message)]


def allow_speaker(
    room: RoomContext, now_ms: int, owner: Member, message: m.AllowSpeaker
) -> list[Effect]:
    target = _member_not_owner(room, message.data.participant_id)
    allowed = message.data.allowed
    room.update_mutes(room.mutes.letting_speak(target.participant_id, allowed))
    event_type = "moderation.speaker_allowed" if allowed else "moderation.speaker_revoked"
    return [
        SaveSnapshot(room.snapshot()),
        room.participants_to_all(),
        Audit(event_type, owner.participant_id, target.participant_id, {}),
        *room.ack(owner, message),
    ]
