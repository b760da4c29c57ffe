"""Liveness: heartbeats, client reports and the members who went silent.

Owns `presence:heartbeat` (a member is present again, the owner's absence
ends), `sync:report` (RTT and drift telemetry) and the watchdog's marking of
members away after `AWAY_AFTER_MS` without a heartbeat. Time is passed in.
"""

from __future__ import annotations

from dataclasses import replace

from syncwatch.protocol import messages as m
from syncwatch.rooms.core import handover
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Effect, ReportDrift
from syncwatch.rooms.core.presence import Member


def handle_heartbeat(
    room: RoomContext, now_ms: int, member: Member, message: m.Heartbeat
) -> list[Effect]:
    room.update_member(replace(member, last_heartbeat_ms=now_ms, away=False))
    effects: list[Effect] = []
    if member.away:
        effects.append(room.participants_to_all())
    if room.ownership.is_owner(member.participant_id):
        room.update_ownership(room.ownership.seen(now_ms))
    # A member coming back may be the candidate a pending handover was waiting for.
    # Only then: whether the owner is away is the timer's to say (`tick`), never a
    # heartbeat's, which may be one of many applied late after the room was held up.
    if room.ownership.away_announced:
        effects += handover.watch(room, now_ms)
    return effects + room.ack(member, message)


def handle_report(
    room: RoomContext, now_ms: int, member: Member, message: m.SyncReport
) -> list[Effect]:
    if message.data.rtt_ms is not None:
        record_rtt(room, member, message.data.rtt_ms, now_ms)
    drift = ReportDrift(member.participant_id, message.data.drift_ms)
    return [drift, *room.ack(member, message)]


def record_rtt(room: RoomContext, member: Member, rtt_ms: float, now_ms: int) -> None:
    """The member's latest round-trip time, which sets the lead of the next command and
    counts towards how steady their connection is (handover prefers the steadiest)."""
    if rtt_ms >= 0:
        room.update_member(replace(member, rtt_ms=float(rtt_ms)))
        room.update_stability(room.stability.with_rtt(member.participant_id, now_ms, float(rtt_ms)))


def mark_silent_away(room: RoomContext, now_ms: int) -> list[Effect]:
    """Members silent for `AWAY_AFTER_MS` are away; everyone sees the new list."""
    newly_away = room.membership.newly_silent(now_ms)
    for member in newly_away:
        room.update_member(replace(member, away=True))
    return [room.participants_to_all()] if newly_away else []
