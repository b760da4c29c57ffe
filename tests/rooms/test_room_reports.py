"""Reporting a member, in the pure room core: the evidence kept, and who hears of it."""

from __future__ import annotations

import json

import pytest

from syncwatch.errors import NotFound, RateLimited, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.effects import Audit, FileReport
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, frame, identity, new_room, received


def room_of(*names: str) -> RoomState:
    room = new_room()
    for name in names:
        room.join(T0, f"c-{name}", identity(name))
    return room


def report(who: str, reason: str = "harassment", details: str = "", id: str = "r") -> m.RoomMessage:
    body = {"participantId": who, "reason": reason, "details": details}
    return frame(json.dumps({"type": "room:report", "id": id, "data": body}))


def test_a_report_carries_the_members_recent_events_and_the_rooms_settings() -> None:
    room = room_of("alice", "bob", "mallory")
    mute = {"participantId": "mallory", "scope": "chat", "durationMs": 60_000}
    room.handle(T0 + 5, "c-alice", frame(json.dumps({"type": "room:mute", "data": mute})))
    effects = room.handle(T0 + 10, "c-bob", report("mallory", "spam", "  links everywhere  "))
    filed = next(e for e in effects if isinstance(e, FileReport))
    assert (filed.reporter_id, filed.reporter_name) == ("bob", "Bob")
    assert (filed.reported_id, filed.reported_name) == ("mallory", "Mallory")
    assert (filed.reason, filed.details) == ("spam", "links everywhere")
    assert (filed.room_id, filed.room_code, filed.at_ms) == ("room-1", "ABCDEFGH", T0 + 10)
    assert [event["kind"] for event in filed.evidence["events"]] == ["joined", "muted"]
    assert filed.evidence["events"][1] == {
        "at": T0 + 5,
        "kind": "muted",
        "scope": "chat",
        "until": T0 + 60_005,
        "by": "owner",
    }
    assert filed.evidence["room"]["playbackControl"] == "owner_only"
    assert filed.evidence["room"]["automod"]["enabled"] is True
    assert [p["participantId"] for p in filed.evidence["participants"]] == [
        "alice",
        "bob",
        "mallory",
    ]
    audit = next(e for e in effects if isinstance(e, Audit))
    assert (audit.event_type, audit.actor, audit.target) == (
        "moderation.reported",
        "bob",
        "mallory",
    )


def test_only_the_reporter_hears_of_a_report_and_the_reported_member_never_does() -> None:
    room = room_of("alice", "bob", "mallory")
    effects = room.handle(T0, "c-bob", report("mallory"))
    filed = next(e for e in effects if isinstance(e, FileReport))
    # The ack is performed once the report is stored.
    assert [message.to_wire() for message in received(filed.then, "c-bob")] == [
        {"type": "ack", "re": "r", "data": {"reportId": filed.report_id}}
    ]
    assert received(effects, "c-mallory") == []
    assert received(effects, "c-alice") == []
    assert received(filed.then, "c-mallory") == []


def test_a_member_who_just_left_can_still_be_reported() -> None:
    room = room_of("alice", "bob", "mallory")
    room.leave(T0 + 1, "c-mallory")
    effects = room.handle(T0 + 2, "c-bob", report("mallory"))
    filed = next(e for e in effects if isinstance(e, FileReport))
    assert filed.reported_name == "Mallory"
    assert [event["kind"] for event in filed.evidence["events"]] == ["joined", "left"]


def test_nobody_reports_themselves_or_someone_never_here() -> None:
    room = room_of("alice", "bob")
    with pytest.raises(ValidationFailed):
        room.handle(T0, "c-bob", report("bob"))
    with pytest.raises(NotFound):
        room.handle(T0, "c-bob", report("stranger"))


def test_five_reports_in_ten_minutes_then_wait() -> None:
    room = room_of("alice", "bob", "carol")
    for n in range(5):
        room.handle(T0 + n, "c-bob", report("carol"))
    with pytest.raises(RateLimited) as refused:
        room.handle(T0 + 10, "c-bob", report("alice"))
    assert refused.value.retry_after == 600
    assert room.handle(T0 + 10 * 60_000, "c-bob", report("alice"))


@pytest.mark.parametrize(
    "data",
    [
        {"participantId": "bob", "reason": "boredom"},
        {"participantId": "bob", "reason": "spam", "details": "x" * 1001},
        {"participantId": "bob"},
    ],
)
def test_a_report_needs_a_known_reason_and_short_details(data: dict[str, object]) -> None:
    from syncwatch.errors import BadMessage

    with pytest.raises(BadMessage):
        frame(json.dumps({"type": "room:report", "data": data}))
