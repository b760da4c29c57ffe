"""Temporary hosts: the owner lends playback control for N minutes or until revoked.

Owns `room:host` (the owner's grant, guarded in `dispatch`), `room:host_end`
(the owner revokes, or the host gives it back) and the watchdog's end of a
grant whose time is up. A host drives playback whatever the room's control
policy (`RoomContext.can_control`). Everyone sees hosts in `room:participants`
(`host`, `hostUntil`) and a line in the chat; every change saves a snapshot
first. The grants themselves are the `TemporaryHosts` value.
"""

from __future__ import annotations

from syncwatch.errors import Forbidden, NotFound
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Audit, Effect, SaveSnapshot
from syncwatch.rooms.core.presence import Member


def grant(room: RoomContext, now_ms: int, owner: Member, message: m.GrantHost) -> list[Effect]:
    target = room.membership.get(message.data.participant_id)
    if target is None:
        raise NotFound("No such participant in this room.")
    if room.ownership.is_owner(target.participant_id):
        raise Forbidden("The owner already controls playback.")
    duration = message.data.duration_ms
    until = None if duration is None else now_ms + duration
    room.update_hosts(room.temporary_hosts.granting(target.participant_id, until))
    metadata = {"untilMs": until}
    event = out.SystemEvent(
        kind="host", user_id=target.participant_id, username=target.display_name
    )
    return [
        SaveSnapshot(room.snapshot()),
        room.participants_to_all(),
        Audit("permission.granted", owner.participant_id, target.participant_id, metadata),
        room.system_chat(now_ms, event),
        *room.ack(owner, message, {"hostUntil": until}),
    ]


def end(room: RoomContext, now_ms: int, member: Member, message: m.EndHost) -> list[Effect]:
    """The owner revokes a grant, or a host gives theirs back."""
    host_id = message.data.participant_id
    if not room.ownership.is_owner(member.participant_id) and member.participant_id != host_id:
        raise Forbidden("Only the owner or the host can end a temporary host.")
    if host_id not in room.temporary_hosts:
        return room.ack(member, message)
    return _ended(room, now_ms, [host_id], member.participant_id) + room.ack(member, message)


def lift_ended(room: RoomContext, now_ms: int) -> list[Effect]:
    """Grants whose time is up end by themselves."""
    ended = room.temporary_hosts.ended_by(now_ms)
    return _ended(room, now_ms, ended, None) if ended else []


def _ended(room: RoomContext, now_ms: int, host_ids: list[str], by: str | None) -> list[Effect]:
    hosts = room.temporary_hosts
    for host_id in host_ids:
        hosts = hosts.ending(host_id)
    room.update_hosts(hosts)
    effects: list[Effect] = [SaveSnapshot(room.snapshot()), room.participants_to_all()]
    for host_id in host_ids:
        effects.append(Audit("permission.revoked", by, host_id, {"permission": "host"}))
        member = room.membership.get(host_id)
        event = out.SystemEvent(
            kind="host_ended", user_id=host_id, username=member.display_name if member else None
        )
        effects.append(room.system_chat(now_ms, event))
    return effects
