"""The end of the video: the room learns the video's length and stops there.

Owns how the length becomes known (the upload's probe, read by the actor after a
`SET_SOURCE`; otherwise the first member whose player reports it with
`sync:duration`) and the PAUSE the room issues itself when the position reaches
it, so every page stands at the end, with the position equal to the length,
instead of running on past it. The arithmetic (clamping, the instant of the
end) is `sync_math`'s; the command's path is `commands`'.
"""

from __future__ import annotations

from syncwatch.errors import SequenceConflict
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core import commands
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Effect, SaveSnapshot, Send
from syncwatch.rooms.core.presence import Member


def learn_duration(
    room: RoomContext, now_ms: int, source_id: str, duration_ms: float
) -> list[Effect]:
    """The length of `source_id`, if it is still the room's video and its length is new.

    The first length known wins: a later report (another member's player rounding
    differently) changes nothing. A room already past the end stops at once.
    """
    playback = room.playback
    if playback.source_id != source_id or playback.duration_ms is not None or duration_ms <= 0:
        return []
    room.set_duration(float(duration_ms))
    data = out.DurationData(source_id=source_id, duration_ms=float(duration_ms))
    effects: list[Effect] = [
        SaveSnapshot(room.snapshot()),
        Send(room.everyone(), out.SyncDuration(data=data)),
    ]
    return effects + stop_at_end(room, now_ms)


def handle_duration_report(
    room: RoomContext, now_ms: int, member: Member, message: m.SyncDurationReport
) -> list[Effect]:
    """`sync:duration {sourceId, durationMs}`: the first report of the current video's
    length is taken (an upload's probe comes first when it has one). A report about
    another video (replaced meanwhile) is refused with `conflict`.

    The length decides when the room stops for everyone, so it is a playback
    decision: while someone who may control playback is present, only their players'
    reports count (their pages report as soon as they load the video). Otherwise a
    member without control could stop every video at once with a made-up length.
    With nobody in control present, any member's player may tell it.
    """
    if message.data.source_id != room.playback.source_id:
        raise SequenceConflict(room.sequence_number, "The room's video changed meanwhile.")
    if not may_tell_length(room, member):
        return room.ack(member, message, {"durationMs": room.playback.duration_ms})
    effects = learn_duration(room, now_ms, message.data.source_id, message.data.duration_ms)
    known = room.playback.duration_ms
    return effects + room.ack(member, message, {"durationMs": known})


def may_tell_length(room: RoomContext, member: Member) -> bool:
    if room.can_control(member.participant_id):
        return True
    return not any(room.can_control(other.participant_id) for other in room.membership.present())


def end_deadline_ms(room: RoomContext) -> int | None:
    """When the playing video reaches its end (the watchdog's deadline), if it will."""
    end = room.playback.end_server_time_ms()
    return None if end is None else int(-(-end // 1))


def stop_at_end(room: RoomContext, now_ms: int) -> list[Effect]:
    """The room's own PAUSE at the end, once the playing position has reached it."""
    end = room.playback.end_server_time_ms()
    if end is None or end > now_ms:
        return []
    return commands.issue_end_pause(room, now_ms)
