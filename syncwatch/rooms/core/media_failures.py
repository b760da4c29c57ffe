"""`media:failed`: a member's player could not play the room's source.

Owns what the room does with such a report: it must be about the current
source (a report about a video someone has just replaced is `conflict`), each
member may send a few per minute (`rate_limited`), and the room is told once
per source and reason, as a system line everyone reads, so whoever set the
source (or anyone who may) can pick another. Every line is also audited. The
reason is the player's (`protocol.vocabulary.MediaFailure`); the words shown
for it are the browser's to choose. Pure.
"""

from __future__ import annotations

from syncwatch.errors import SequenceConflict
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Audit, Effect
from syncwatch.rooms.core.presence import Member


def handle_media_failed(
    room: RoomContext, now_ms: int, member: Member, message: m.MediaFailed
) -> list[Effect]:
    room.require_source()
    playback = room.playback
    if message.data.source_id != playback.source_id:
        raise SequenceConflict(
            room.sequence_number, "The video changed since; that report was about another one."
        )
    reason = message.data.reason
    if not room.admit_media_failure(member.participant_id, now_ms, reason):
        return room.ack(member, message, {"told": False})
    event = out.SystemEvent(
        kind="media_failed",
        user_id=member.participant_id,
        username=member.display_name,
        source_type=playback.source_type,
        reason=reason,
    )
    return [
        room.system_chat(now_ms, event),
        Audit(
            "playback.media_failed",
            member.participant_id,
            None,
            {"reason": reason, "sourceType": playback.source_type},
        ),
        *room.ack(member, message, {"told": True}),
    ]
