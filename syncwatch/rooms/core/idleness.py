"""Idle rooms close with a warning: nothing played and nobody spoke for a while.

Owns `room:still_here` (anyone answers the warning), the watchdog's warning
after `idle_ms` without activity (`room:idle {closesAt}` to everyone) and the
close `IDLE_GRACE_MS` later unless someone answered, chatted or played. The
owner sets the time with `room:settings {idleCloseMinutes}` (0: never). A
playing room is never idle. Activity is noted by the handlers that see it
(`note_activity`). The clock itself is the `idle_time.Idleness` value.
"""

from __future__ import annotations

from dataclasses import replace

from syncwatch.close_codes import CloseCode
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Close, DeleteRoom, Effect, SaveSnapshot, Send
from syncwatch.rooms.core.idle_time import IDLE_GRACE_MS
from syncwatch.rooms.core.presence import Member


def note_activity(room: RoomContext, now_ms: int) -> list[Effect]:
    """Someone chatted, played or answered: the room is not idle; a warning is lifted."""
    idle = room.idleness
    room.update_idleness(idle.active(now_ms))
    if idle.closes_at_ms is None:
        return []
    return [Send(room.everyone(), out.Idle(data=out.IdleData(closes_at=None)))]


def still_here(
    room: RoomContext, now_ms: int, member: Member, message: m.StillHere
) -> list[Effect]:
    return note_activity(room, now_ms) + room.ack(member, message)


def watch(room: RoomContext, now_ms: int) -> list[Effect]:
    """Warn once the room has been idle for its time; close it when nobody answered."""
    idle = room.idleness
    playing = room.playback.is_playing
    if playing and idle.last_activity_ms is not None:
        # While it plays the room is busy: its idle time counts from when it stops.
        room.update_idleness(idle.active(now_ms))
        return []
    deadline = idle.deadline_ms(playing)
    if deadline is None or now_ms < deadline or not len(room.membership):
        return []
    if idle.closes_at_ms is None:
        closes_at = now_ms + IDLE_GRACE_MS
        room.update_idleness(replace(idle, closes_at_ms=closes_at))
        return [Send(room.everyone(), out.Idle(data=out.IdleData(closes_at=closes_at)))]
    effects: list[Effect] = [
        Close(member.conn_id, CloseCode.NOT_FOUND, "closed: idle") for member in room.membership
    ]
    room.close()
    # Deleted before anyone is told: nobody rejoins a room that said it closed.
    return [SaveSnapshot(room.snapshot()), DeleteRoom(room.settings.id, now_ms), *effects]


def next_deadline_ms(room: RoomContext) -> int | None:
    if not len(room.membership):
        return None
    return room.idleness.deadline_ms(room.playback.is_playing)
