"""Votes to pause or resume: any member asks, the members present decide.

Owns `room:vote_start` and `room:vote`, the tally, the watchdog's end of a vote
after `VOTE_MS`, and what a member leaving changes. One vote at a time. The
majority is of the members present now (not away): a vote passes once more
than half of them said yes, fails once that can no longer happen, and expires
otherwise. A passed vote is carried out by the room itself (`issuedBy:
"system"`). Everyone sees each change and the result (`room:vote`). The vote
itself is the `ballot.PlaybackVote` value; time is passed in.
"""

from __future__ import annotations

from syncwatch.errors import Conflict, NotFound
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.vocabulary import CommandType
from syncwatch.rooms.core import commands
from syncwatch.rooms.core.ballot import PlaybackVote
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Effect, Send
from syncwatch.rooms.core.presence import Member


def start(room: RoomContext, now_ms: int, member: Member, message: m.StartVote) -> list[Effect]:
    if room.vote is not None:
        raise Conflict("A vote is already open; wait for its result.")
    action = message.data.action
    room.require_source()
    if action == "pause" and not room.playback.is_playing:
        raise Conflict("The video is already paused.")
    if action == "resume" and room.playback.is_playing:
        raise Conflict("The video is already playing.")
    vote = PlaybackVote(
        vote_id=room.new_id(),
        action=action,
        started_by=member.participant_id,
        ends_at_ms=now_ms + m.VOTE_MS,
    ).cast(member.participant_id, True)
    return _settle(room, now_ms, vote) + room.ack(member, message, {"voteId": vote.vote_id})


def cast(room: RoomContext, now_ms: int, member: Member, message: m.CastVote) -> list[Effect]:
    vote = room.vote
    if vote is None or vote.vote_id != message.data.vote_id:
        raise NotFound("That vote has ended.")
    updated = vote.cast(member.participant_id, message.data.yes)
    return _settle(room, now_ms, updated) + room.ack(member, message)


def recount(room: RoomContext, now_ms: int) -> list[Effect]:
    """Someone left or went away: the majority is of fewer people now."""
    vote = room.vote
    return _settle(room, now_ms, vote) if vote else []


def expire(room: RoomContext, now_ms: int) -> list[Effect]:
    vote = room.vote
    if vote is None or now_ms < vote.ends_at_ms:
        return []
    room.update_vote(None)
    view = vote.view(vote.tally(_present(room)), "expired")
    return [Send(room.everyone(), out.Vote(data=view))]


def open_view(room: RoomContext) -> out.VoteView | None:
    """The open vote as a (re)joining member sees it."""
    vote = room.vote
    return vote.view(vote.tally(_present(room)), "open") if vote else None


def next_deadline_ms(room: RoomContext) -> int | None:
    vote = room.vote
    return vote.ends_at_ms if vote else None


def _present(room: RoomContext) -> frozenset[str]:
    return frozenset(member.participant_id for member in room.membership.present())


def _settle(room: RoomContext, now_ms: int, vote: PlaybackVote) -> list[Effect]:
    tally = vote.tally(_present(room))
    status = tally.status
    if status == "open":
        room.update_vote(vote)
        return [Send(room.everyone(), out.Vote(data=vote.view(tally, status)))]
    room.update_vote(None)
    effects: list[Effect] = [Send(room.everyone(), out.Vote(data=vote.view(tally, status)))]
    if status == "passed":
        kind: CommandType = "PAUSE" if vote.action == "pause" else "PLAY"
        effects += commands.issue_system_command(room, now_ms, kind)
    return effects
