"""Wait for buffering: a member whose player stalls pauses the room for everyone.

Owns `sync:buffering {stalled}` (each client reports its player stalling and
recovering), the watchdog's steps (a stall past the owner's threshold pauses
the room at one position with "waiting for Bob"; the last recovery resumes it,
after a short countdown in a room that uses one) and what a member leaving or
driving playback changes. Everyone sees whom the room waits for
(`room:waiting`); a member left out for stalling too often sees themselves in
`leftOut`. The rules of the wait itself are the `BufferingWait` value.
"""

from __future__ import annotations

from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.rooms.core import commands
from syncwatch.rooms.core.buffering_wait import RESUME_COUNTDOWN_MS, BufferingWait
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Effect, Send
from syncwatch.rooms.core.presence import Member


def report(
    room: RoomContext, now_ms: int, member: Member, message: m.BufferingReport
) -> list[Effect]:
    wait = room.buffering
    pid = member.participant_id
    before = wait
    if message.data.stalled:
        # A stall matters while the room plays (or while it waits, to keep waiting).
        counts = room.playback.is_playing or wait.paused_by_wait
        if counts and wait.enabled and not wait.is_left_out(pid, now_ms):
            wait = wait.stalled(pid, now_ms)
    else:
        wait = wait.recovered(pid, now_ms)
    room.update_buffering(wait)
    effects = _announce(room, now_ms) if _shown(before) != _shown(wait) else []
    return effects + room.ack(member, message)


def forget(room: RoomContext, now_ms: int, participant_id: str) -> list[Effect]:
    """Someone left: the room no longer waits for them."""
    wait = room.buffering
    if participant_id not in wait.stalled_since and participant_id not in wait.waiting_for:
        return []
    room.update_buffering(wait.recovered(participant_id, now_ms))
    return _announce(room, now_ms) if participant_id in wait.waiting_for else []


def watch(room: RoomContext, now_ms: int) -> list[Effect]:
    """Pause for members stalled past the threshold; resume when the wait is over."""
    wait = initial = room.buffering
    effects: list[Effect] = []
    newly_waited = False
    for pid in wait.overdue(now_ms):
        if not room.playback.is_playing and not wait.paused_by_wait:
            wait = wait.recovered(pid, now_ms)  # paused meanwhile: nothing to wait for
            continue
        wait, left_out = wait.counted_stall(pid, now_ms)
        newly_waited = newly_waited or not left_out
    if newly_waited and room.playback.is_playing:
        room.update_buffering(wait.paused())
        effects += commands.issue_system_command(
            room,
            now_ms,
            "PAUSE",
            lead_without=wait.waiting_for,
            waiting_for=_names(room, wait.waiting_for),
        )
        room.update_buffering(wait.paused())  # the PAUSE must not end the wait it starts
    else:
        room.update_buffering(wait)
    wait = room.buffering
    if wait.resume_at_ms is not None and now_ms >= wait.resume_at_ms:
        room.update_buffering(wait.ended())
        if not room.playback.is_playing and room.playback.source_type is not None:
            if wait.uses_countdown:
                effects += commands.start_countdown(room, now_ms, None, RESUME_COUNTDOWN_MS)
            else:
                effects += commands.issue_system_command(room, now_ms, "PLAY")
        room.update_buffering(room.buffering.ended())
    if effects or _shown(initial) != _shown(room.buffering):
        effects.append(_announce(room, now_ms)[0])
    return effects


def next_deadline_ms(room: RoomContext) -> int | None:
    return room.buffering.next_deadline_ms()


def _names(room: RoomContext, participant_ids: tuple[str, ...]) -> list[str]:
    seats = room.membership.seats
    return [seats[pid].display_name for pid in participant_ids if pid in seats]


def _shown(wait: BufferingWait) -> tuple[object, ...]:
    return (wait.waiting_for, wait.resume_at_ms, tuple(sorted(wait.left_out_until)))


def _announce(room: RoomContext, now_ms: int) -> list[Effect]:
    view = room.buffering.view(now_ms)
    return [Send(room.everyone(), out.Waiting(data=view))]
