"""The ready check (spec 15.1.1): the owner asks "Ready?", each member confirms, play starts.

Owns `room:ready_check` (the owner's: start, start anyway, cancel), `room:ready`
(anyone's answer), the watchdog's end of an unanswered check after
`READY_CHECK_MS`, and what a member leaving changes. Everyone sees the check
as it changes (`room:ready_check` with who is still `waitingFor`), so the owner
knows who isn't ready. When the last member confirms, or the owner starts
anyway, the PLAY comes with the room countdown, issued in the owner's name.
The check itself is the `readiness.ReadyCheck` value; time is passed in.
"""

from __future__ import annotations

from syncwatch.errors import Conflict
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core import commands
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Effect, Send
from syncwatch.rooms.core.presence import Member
from syncwatch.rooms.core.readiness import CheckStatus, ReadyCheck


def ask(room: RoomContext, now_ms: int, owner: Member, message: m.AskReady) -> list[Effect]:
    data = message.data
    check = room.ready_check
    if data.action == "cancel":
        effects = _finish(room, check, "cancelled") if check else []
        return effects + room.ack(owner, message)
    room.require_source()
    if room.playback.is_playing:
        raise Conflict("The video is already playing.")
    if data.action == "start_anyway":
        effects = _finish(room, check, "started_anyway") if check else []
        effects += commands.start_countdown(room, now_ms, owner, data.countdown_ms)
        return effects + room.ack(owner, message)
    present = [member.participant_id for member in room.membership.present()]
    if owner.participant_id not in present:
        present.insert(0, owner.participant_id)
    check = ReadyCheck(
        check_id=room.new_id(),
        asked_by=owner.participant_id,
        ends_at_ms=now_ms + m.READY_CHECK_MS,
        countdown_ms=data.countdown_ms,
        asked=tuple(present),
        # Asking is the owner's own yes.
        ready=frozenset({owner.participant_id}),
    )
    return _settle(room, now_ms, check) + room.ack(owner, message, {"checkId": check.check_id})


def answer(room: RoomContext, now_ms: int, member: Member, message: m.AnswerReady) -> list[Effect]:
    check = room.ready_check
    if check is None:
        raise Conflict("There is no ready check to answer.")
    updated = check.answered(member.participant_id, message.data.ready)
    return _settle(room, now_ms, updated) + room.ack(member, message)


def forget(room: RoomContext, now_ms: int, participant_id: str) -> list[Effect]:
    """Someone left: the check no longer waits for them (they may have been the last)."""
    check = room.ready_check
    if check is None or participant_id not in check.asked:
        return []
    return _settle(room, now_ms, check.without(participant_id))


def expire(room: RoomContext, now_ms: int) -> list[Effect]:
    """An unanswered check ends `timed_out`; the owner starts anyway or asks again."""
    check = room.ready_check
    if check is None or now_ms < check.ends_at_ms:
        return []
    return _finish(room, check, "timed_out")


def next_deadline_ms(room: RoomContext) -> int | None:
    check = room.ready_check
    return check.ends_at_ms if check else None


def _settle(room: RoomContext, now_ms: int, check: ReadyCheck) -> list[Effect]:
    """Keep the check open, or end it with the countdown once nobody is waited for."""
    if check.waiting_for():
        room.update_ready_check(check)
        return [Send(room.everyone(), out.ReadyCheck(data=check.view()))]
    effects = _finish(room, check, "all_ready")
    if room.playback.is_playing or room.playback.source_type is None:
        return effects
    asker = room.membership.get(check.asked_by)
    return effects + commands.start_countdown(room, now_ms, asker, check.countdown_ms)


def _finish(room: RoomContext, check: ReadyCheck, status: CheckStatus) -> list[Effect]:
    room.update_ready_check(None)
    return [Send(room.everyone(), out.ReadyCheck(data=check.view(status)))]
