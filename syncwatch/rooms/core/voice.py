"""The room's voice session: who is in the call, and signaling between them.

Owns `voice:join`, `voice:leave` and the relay of `voice:signal`. The media
flows peer to peer; the room only introduces peers and passes their SDP/ICE
messages, and only between two members of this room's voice session.
"""

from __future__ import annotations

from dataclasses import replace

from syncwatch.errors import Forbidden
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Effect, Send
from syncwatch.rooms.core.presence import Member


def handle_join(
    room: RoomContext, now_ms: int, member: Member, message: m.VoiceJoin
) -> list[Effect]:
    """The joiner gets `voice:peers` (whom to call); the others `voice:peer:joined`."""
    peers = room.membership.in_voice(excluding=member.participant_id)
    effects: list[Effect] = [
        Send(
            (member.conn_id,),
            out.VoicePeers(data=out.VoicePeersData(peers=[p.participant_id for p in peers])),
        )
    ]
    if not member.in_voice:
        room.update_member(replace(member, in_voice=True))
        if peers:
            joined = out.VoicePeerJoined(data=out.VoicePeerData(peer_id=member.participant_id))
            effects.append(Send(tuple(p.conn_id for p in peers), joined))
        effects.append(room.participants_to_all())
    return effects + room.ack(member, message)


def handle_leave(
    room: RoomContext, now_ms: int, member: Member, message: m.VoiceLeave
) -> list[Effect]:
    effects = room.end_voice(member)
    if member.in_voice:
        effects.append(room.participants_to_all())
    return effects + room.ack(member, message)


def handle_signal(
    room: RoomContext, now_ms: int, member: Member, message: m.VoiceSignal
) -> list[Effect]:
    target = room.membership.get(message.data.target_id)
    if (
        not member.in_voice
        or target is None
        or not target.in_voice
        or target.participant_id == member.participant_id
    ):
        raise Forbidden("Voice signals go only between members of this room's voice session.")
    relay = out.VoiceSignalRelay(
        data=out.VoiceSignalRelayData(from_id=member.participant_id, signal=message.data.signal)
    )
    return [Send((target.conn_id,), relay), *room.ack(member, message)]
