"""Sync commands: PLAY, PAUSE, SEEK, SET_RATE, SET_SOURCE, and the countdown before a PLAY.

Owns the path of a playback request through the room: idempotent replay,
playback policy, `expectedSeq`, value checks, then exactly one new sequence
number, the re-anchored state in force from `atServerTime = now + lead`, and the
effects (snapshot first, then the broadcast, the ack, audit and the system chat
line). A refused request raises before anything changes and consumes no number.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

from syncwatch.errors import Forbidden, SequenceConflict, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.vocabulary import CommandType
from syncwatch.rooms.core import idleness
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Audit, Effect, LookUpDuration, SaveSnapshot, Send
from syncwatch.rooms.core.mixed_content import refuse_mixed_content
from syncwatch.rooms.core.presence import Member
from syncwatch.rooms.core.snapshot import Phase
from syncwatch.rooms.core.subtitle_track import SubtitleTrack
from syncwatch.rooms.core.subtitles import checked_tracks, subtitles_to_all
from syncwatch.rooms.core.sync_math import MAX_RATE, MIN_RATE, PlaybackState

SYSTEM_ISSUER = "system"
"""`issuedBy` of the commands the room issues itself (the pause when the owner is away)."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one accepted request will do, before it is numbered."""

    kind: CommandType
    state: PlaybackState
    event: out.SystemEvent | None  # the system chat line; None: nothing worth a line
    audit: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    # A new source's subtitle tracks (None: the command keeps the current ones).
    subtitles: tuple[SubtitleTrack, ...] | None = None


def handle_sync_command(
    room: RoomContext, now_ms: int, member: Member, message: m.SyncCommandRequest
) -> list[Effect]:
    replay = _replay_or_check(room, now_ms, member, message)
    if replay is not None:
        return replay
    at = now_ms + room.lead_ms()
    plan = _plan(room, message, at)
    effects = _issue(room, now_ms, member, message, at, plan)
    if plan.kind == "SET_SOURCE" and plan.state.source_type == "upload":
        # The upload's probe knows its length; the actor reads it and tells the room.
        assert plan.state.source_id is not None
        effects.append(LookUpDuration(plan.state.source_id))
    return effects


def handle_countdown(
    room: RoomContext, now_ms: int, member: Member, message: m.StartCountdown
) -> list[Effect]:
    """`countdown:start {serverStartTime, durationMs}` to all, and the PLAY numbered now but
    scheduled at `serverStartTime + durationMs`: the countdown is only a display."""
    replay = _replay_or_check(room, now_ms, member, message)
    if replay is not None:
        return replay
    return start_countdown(room, now_ms, member, message.data.duration_ms, message)


def start_countdown(
    room: RoomContext,
    now_ms: int,
    member: Member | None,
    duration_ms: int,
    message: m.StartCountdown | None = None,
) -> list[Effect]:
    """The countdown and its PLAY, asked for by `member` (None: the room itself), whose
    right to play is already checked (a ready check's end comes here too)."""
    room.require_source()
    start = now_ms + room.lead_ms()
    play_at = start + duration_ms
    who = {"user_id": member.participant_id, "username": member.display_name} if member else {}
    plan = _Plan(
        "PLAY",
        room.playback.played(play_at),
        out.SystemEvent(kind="play", **who),
        audit="playback.started",
    )
    countdown = out.CountdownStartData(
        server_start_time=start,
        duration_ms=duration_ms,
        play_at_server_time=play_at,
        sequence_number=room.sequence_number + 1,
    )
    effects = _issue(
        room,
        now_ms,
        member,
        message,
        play_at,
        plan,
        before=[Send(room.everyone(), out.CountdownStart(data=countdown))],
        result={"serverStartTime": start},
    )
    # The room starts with a countdown: a resume after a wait for buffering gets one too.
    room.update_buffering(replace(room.buffering, uses_countdown=True))
    return effects


def issue_system_command(
    room: RoomContext,
    now_ms: int,
    kind: CommandType,
    *,
    lead_without: Collection[str] = (),
    waiting_for: Collection[str] = (),
) -> list[Effect]:
    """A PLAY or PAUSE the room issues itself (a vote carried); nothing if it is already so.

    Members in `lead_without` do not set its lead: a pause to wait for a stalled
    member need not wait for that member's link (their player is stopped anyway,
    and it lands on the paused position whenever the command arrives). A pause to
    wait names the members it waits for (`waiting_for`) in its system line."""
    at = now_ms + room.lead_ms(excluding=lead_without)
    if kind == "PAUSE" and room.playback.is_playing:
        event = out.SystemEvent(kind="pause", waiting_for=list(waiting_for) or None)
        return _issue(
            room,
            now_ms,
            None,
            None,
            at,
            _Plan("PAUSE", room.playback.paused(at), event, "playback.paused"),
        )
    if kind == "PLAY" and not room.playback.is_playing and room.playback.source_type is not None:
        event = out.SystemEvent(kind="play")
        return _issue(
            room,
            now_ms,
            None,
            None,
            at,
            _Plan("PLAY", room.playback.played(at), event, "playback.started"),
        )
    return []


def issue_system_pause(room: RoomContext, now_ms: int) -> list[Effect]:
    """The PAUSE the room issues itself when the owner is away and handover is off."""
    at = now_ms + room.lead_ms()
    plan = _Plan(
        "PAUSE", room.playback.paused(at), out.SystemEvent(kind="pause"), "playback.paused"
    )
    return _issue(room, now_ms, None, None, at, plan)


def issue_end_pause(room: RoomContext, now_ms: int) -> list[Effect]:
    """The PAUSE the room issues itself when the video reaches its end: paused with the
    position equal to the length. It takes effect now, without a lead: every member's
    position already stopped at the end, so nobody has anything to catch up."""
    at = max(now_ms, room.playback.anchor_server_time_ms)
    state = room.playback.ended(at)
    plan = _Plan(
        "PAUSE",
        state,
        out.SystemEvent(kind="ended", position=state.anchor_media_time_ms),
        "playback.ended",
        fields={"reason": "ended"},
    )
    return _issue(room, now_ms, None, None, at, plan)


def _replay_or_check(
    room: RoomContext,
    now_ms: int,
    member: Member,
    message: m.SyncCommandRequest | m.StartCountdown,
) -> list[Effect] | None:
    """The first result again for a known idempotency key; else refuse or let through.

    The key is looked up first: a retry of a command that succeeded must get its
    result back even though its `expectedSeq` is stale by now.
    """
    key = message.data.idempotency_key
    if key is not None:
        remembered = room.remembered(member.participant_id, key, now_ms)
        if remembered is not None:
            return room.ack(member, message, remembered.result)
    if not room.can_control(member.participant_id):
        raise Forbidden("The room's playback control policy does not let you do this.")
    expected = message.data.expected_seq
    if expected is not None and expected != room.sequence_number:
        raise SequenceConflict(room.sequence_number)
    return None


def _plan(room: RoomContext, message: m.SyncCommandRequest, at: int) -> _Plan:
    current = room.playback
    match message:
        case m.SyncPlay():
            room.require_source()
            state = current.played(at)
            return _Plan(
                "PLAY",
                state,
                out.SystemEvent(kind="play"),
                "playback.started",
            )
        case m.SyncPause():
            state = current.paused(at)
            event = out.SystemEvent(kind="pause", position=state.anchor_media_time_ms)
            return _Plan("PAUSE", state, event, "playback.paused")
        case m.SyncSeek():
            absolute = message.data.target_media_time_ms
            if absolute is not None and absolute < 0:
                raise ValidationFailed(
                    [{"field": "targetMediaTimeMs", "message": "must be at least 0"}]
                )
            room.require_source()
            # A relative seek starts from where the latest command has the room at the
            # instant this one takes effect, so rapid presses add up.
            delta = message.data.delta_ms or 0.0
            state = current.sought(
                at, current.position_at(at) + delta if absolute is None else absolute
            )
            target = state.anchor_media_time_ms  # clamped to [0, duration]
            # A seek that leaves a paused room where it was (+5 s at the end, -5 s at 0:00)
            # is still a command (success is a `sync:command` for every client), but it
            # posts no "jumped to" line: nothing moved for anyone to read about.
            moved = current.is_playing or target != current.position_at(at)
            seek_event = out.SystemEvent(kind="seek", position=target) if moved else None
            return _Plan("SEEK", state, seek_event, fields={"target_media_time_ms": target})
        case m.SyncRate():
            rate = message.data.rate
            if not MIN_RATE <= rate <= MAX_RATE:
                raise ValidationFailed(
                    [{"field": "rate", "message": f"must be between {MIN_RATE} and {MAX_RATE}"}]
                )
            room.require_source()
            event = out.SystemEvent(kind="rate", rate=rate)
            return _Plan("SET_RATE", current.with_rate(at, rate), event, fields={"rate": rate})
        case m.SyncSource():
            source_type = message.data.source_type
            source_id = message.data.resolved_source_id()
            assert source_id is not None  # guaranteed by SourceData's validator
            https_only = room.settings.https_only
            if source_type == "url":
                refuse_mixed_content(source_id, https_only=https_only, field="url")
            tracks = checked_tracks(
                source_type, source_id, message.data.subtitles, https_only=https_only
            )
            event = out.SystemEvent(kind="source", source_type=source_type)
            return _Plan(
                "SET_SOURCE",
                current.with_source(at, source_type, source_id),
                event,
                "playback.video_changed",
                fields={"source_type": source_type, "source_id": source_id},
                subtitles=tracks,
            )
    raise AssertionError(f"not a sync command: {message.type}")


def _issue(
    room: RoomContext,
    now_ms: int,
    member: Member | None,
    message: m.SyncCommandRequest | m.StartCountdown | None,
    at: int,
    plan: _Plan,
    *,
    before: list[Effect] | None = None,
    result: dict[str, Any] | None = None,
) -> list[Effect]:
    issued_by = member.participant_id if member else SYSTEM_ISSUER
    sequence_number = room.sequence_number + 1
    state = plan.state.numbered(sequence_number)
    command = out.SyncCommandData(
        type=plan.kind,
        sequence_number=sequence_number,
        at_server_time=at,
        issued_by=issued_by,
        state=out.PlaybackStateModel.of(state),
        **plan.fields,
    )
    room.record_command(state, _phase_after(plan.kind, state, room.phase), command)
    if plan.subtitles is not None:
        room.set_subtitles(plan.subtitles)
    ack_data = {"sequenceNumber": sequence_number, **(result or {})}
    if member is not None and message is not None and message.data.idempotency_key is not None:
        room.remember(member.participant_id, message.data.idempotency_key, now_ms, ack_data)
    event = plan.event
    if member is not None and event is not None:
        event = event.model_copy(
            update={"user_id": member.participant_id, "username": member.display_name}
        )
    effects: list[Effect] = [SaveSnapshot(room.snapshot()), *(before or [])]
    effects += idleness.note_activity(room, now_ms)
    if member is not None:
        effects += _end_buffering_wait(room, now_ms, plan.kind)
    effects.append(Send(room.everyone(), out.SyncCommand(data=command)))
    if plan.subtitles is not None:
        effects.append(subtitles_to_all(room))
    if member is not None and message is not None:
        effects += room.ack(member, message, ack_data)
    if plan.audit is not None:
        metadata = {"sequenceNumber": sequence_number, "atServerTime": at}
        effects.append(Audit(plan.audit, issued_by, room.settings.id, metadata))
    if event is not None:
        effects.append(room.system_chat(now_ms, event))
    return effects


def _end_buffering_wait(room: RoomContext, now_ms: int, kind: CommandType) -> list[Effect]:
    """Someone drove playback: the room stops waiting for buffering members (they decided)."""
    wait = room.buffering
    if kind == "PLAY":
        wait = replace(wait, uses_countdown=False)
    if not (wait.paused_by_wait or wait.waiting_for):
        room.update_buffering(wait)
        return []
    room.update_buffering(wait.ended())
    return [Send(room.everyone(), out.Waiting(data=room.buffering.view(now_ms)))]


def _phase_after(kind: CommandType, state: PlaybackState, phase: Phase) -> Phase:
    """PLAY plays, a PAUSE of a loaded video pauses, a new source waits; the rest keep."""
    if kind == "PLAY":
        return "PLAYING"
    if kind == "PAUSE" and state.source_type is not None:
        return "PAUSED"
    if kind == "SET_SOURCE":
        return "WAITING"
    return phase
