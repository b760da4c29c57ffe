"""Emoji reactions: one of the quick set, stamped with the room's media time, for everyone.

Owns `reaction:send`: the emoji must be one of `QUICK_REACTIONS`, the room must
have a source, and a member sends at most `REACTIONS_PER_WINDOW` in
`REACTION_WINDOW_MS` (`rate_limited` with `retryAfter` beyond). The reaction
is stored with the position the room's timeline has at that instant (so the
timeline under the seek bar can show it and a later pass can replay it),
then sent to everyone (`reaction:new`) and acked with its id and media time.
"""

from __future__ import annotations

from syncwatch.errors import ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Effect, Send, StoreReaction
from syncwatch.rooms.core.presence import Member

WELCOME_REACTIONS = 500
"""How many of the current source's latest reactions a joining member receives."""


def react(room: RoomContext, now_ms: int, member: Member, message: m.SendReaction) -> list[Effect]:
    emoji = message.data.emoji
    if emoji not in m.QUICK_REACTIONS:
        allowed = " ".join(m.QUICK_REACTIONS)
        raise ValidationFailed([{"field": "emoji", "message": f"must be one of {allowed}"}])
    room.require_source()
    room.admit_reaction(member.participant_id, now_ms)
    playback = room.playback
    assert playback.source_id is not None
    reaction = out.ReactionView(
        id=room.new_id(),
        participant_id=member.participant_id,
        username=member.display_name,
        emoji=emoji,
        media_time_ms=max(0, round(playback.position_at(now_ms))),
        source_id=playback.source_id,
        created_at=now_ms,
    )
    ack = room.ack(
        member, message, {"reactionId": reaction.id, "mediaTimeMs": reaction.media_time_ms}
    )
    then: tuple[Effect, ...] = (Send(room.everyone(), out.ReactionNew(data=reaction)), *ack)
    return [StoreReaction(room.settings.id, reaction, then=then)]
