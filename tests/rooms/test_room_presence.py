"""Presence watchdog and ownership: away after 15 s, handover, reclaim within 60 s."""

from __future__ import annotations

import pytest

from syncwatch.errors import Forbidden
from syncwatch.protocol import messages as m
from syncwatch.protocol.server_messages import OwnerChanged
from syncwatch.rooms.core.effects import SendWelcome
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, heartbeat, identity, new_room, play, sent, source, types_for

RECLAIM = m.ReclaimOwnership(id="rc", type="room:reclaim_ownership")


def room_of(*names: str, **overrides: object) -> RoomState:
    room = new_room(**overrides)
    for offset, name in enumerate(names):
        room.join(T0 + offset, f"c-{name}", identity(name))
    return room


def keep_alive(room: RoomState, now: int, *names: str) -> None:
    for name in names:
        room.handle(now, f"c-{name}", heartbeat())


def test_owner_is_away_after_15_seconds_without_heartbeat() -> None:
    room = room_of("alice", "bob", auto_handover=False)
    keep_alive(room, T0 + 10_000, "bob")
    effects = room.tick(T0 + 15_000)
    assert "room:owner_away" in types_for(effects, "c-bob")
    assert next(p for p in room.participants_view() if p.participant_id == "alice").away


def test_owner_is_not_away_at_14_seconds() -> None:
    room = room_of("alice", "bob")
    keep_alive(room, T0 + 10_000, "bob")
    assert room.tick(T0 + 14_999) == []
    assert room.owner_id == "alice"


def test_a_heartbeat_resets_the_away_clock() -> None:
    room = room_of("alice", "bob")
    keep_alive(room, T0 + 10_000, "alice", "bob")
    assert not sent(room.tick(T0 + 20_000), "room:owner_away")
    assert room.next_deadline_ms() == T0 + 25_000


def test_next_deadline_is_the_earliest_member_going_silent() -> None:
    room = room_of("alice", "bob")
    assert room.next_deadline_ms() == T0 + 15_000
    assert new_room().next_deadline_ms() is None


def test_handover_goes_to_the_earliest_joined_present_member() -> None:
    room = room_of("alice", "bob", "carol", "dave")
    # bob (joined first after alice) has gone quiet too; carol is next in join order
    keep_alive(room, T0 + 10_000, "carol", "dave")
    effects = room.tick(T0 + 15_001)
    changed = [s.message for s in sent(effects, "room:owner_changed")]
    assert changed == [
        OwnerChanged(
            data={"new_owner_id": "carol", "previous_owner_id": "alice", "reason": "auto_handover"}  # type: ignore[arg-type]
        )
    ]
    order = types_for(effects, "c-carol")
    assert order.index("room:owner_away") < order.index("room:owner_changed")
    assert room.owner_id == "carol"


def test_a_disconnected_owner_is_handed_over_15_seconds_after_leaving() -> None:
    room = room_of("alice", "bob")
    room.leave(T0 + 1_000, "c-alice")
    keep_alive(room, T0 + 10_000, "bob")
    assert room.tick(T0 + 15_999) == []
    assert room.next_deadline_ms() == T0 + 16_000
    room.tick(T0 + 16_000)
    assert room.owner_id == "bob"


def test_without_auto_handover_the_room_pauses_once_when_the_owner_is_away() -> None:
    room = room_of("alice", "bob", auto_handover=False)
    room.handle(T0, "c-alice", source())
    room.handle(T0, "c-alice", play())
    keep_alive(room, T0 + 10_000, "bob")
    effects = room.tick(T0 + 15_000)
    [command] = sent(effects, "sync:command")
    assert command.message.data.type == "PAUSE"  # type: ignore[attr-defined]
    assert command.message.data.issued_by == "system"  # type: ignore[attr-defined]
    assert room.owner_id == "alice"
    assert not room.playback.is_playing
    keep_alive(room, T0 + 20_000, "bob")
    assert not sent(room.tick(T0 + 25_000), "sync:command")


def test_handover_waits_for_a_present_member() -> None:
    room = room_of("alice", "bob")
    effects = room.tick(T0 + 15_001)  # everyone silent: announced, nobody to hand to
    assert sent(effects, "room:owner_away")
    assert room.owner_id == "alice"
    keep_alive(room, T0 + 16_000, "bob")
    assert room.owner_id == "bob"


def test_a_returning_owner_within_60_seconds_is_offered_ownership_and_may_reclaim() -> None:
    room = room_of("alice", "bob")
    room.leave(T0 + 1_000, "c-alice")
    keep_alive(room, T0 + 10_000, "bob")
    room.tick(T0 + 16_000)
    keep_alive(room, T0 + 55_000, "bob")
    effects = room.join(T0 + 60_000, "c-alice2", identity("alice"))
    assert "room:offer_ownership" in types_for(effects, "c-alice2")
    welcome = next(e for e in effects if isinstance(e, SendWelcome)).welcome
    assert welcome.you.role == "participant"
    reclaimed = room.handle(T0 + 61_000, "c-alice2", RECLAIM)
    assert room.owner_id == "alice"
    change = sent(reclaimed, "room:owner_changed")[0].message
    assert change.data.reason == "reclaim"  # type: ignore[attr-defined]


def test_a_returning_owner_after_60_seconds_joins_as_participant() -> None:
    room = room_of("alice", "bob")
    room.leave(T0 + 1_000, "c-alice")
    keep_alive(room, T0 + 10_000, "bob")
    room.tick(T0 + 16_000)
    keep_alive(room, T0 + 55_000, "bob")
    effects = room.join(T0 + 61_001, "c-alice2", identity("alice"))
    assert "room:offer_ownership" not in types_for(effects, "c-alice2")
    with pytest.raises(Forbidden):
        room.handle(T0 + 61_002, "c-alice2", RECLAIM)
    assert room.owner_id == "bob"


def test_the_creator_takes_ownership_back_when_no_present_member_holds_it() -> None:
    room = room_of("alice", "bob")
    room.leave(T0 + 1_000, "c-alice")
    keep_alive(room, T0 + 10_000, "bob")
    room.tick(T0 + 16_000)
    room.leave(T0 + 17_000, "c-bob")
    effects = room.join(T0 + 300_000, "c-alice2", identity("alice"))
    assert room.owner_id == "alice"
    assert sent(effects, "room:owner_changed")[0].message.data.reason == "creator_returned"  # type: ignore[attr-defined]


def test_a_member_silent_for_15_seconds_is_shown_away_until_their_next_heartbeat() -> None:
    room = room_of("alice", "bob")
    keep_alive(room, T0 + 10_000, "alice")
    effects = room.tick(T0 + 15_001)
    assert sent(effects, "room:participants")
    bob = next(p for p in room.participants_view() if p.participant_id == "bob")
    assert bob.away
    back = room.handle(T0 + 16_000, "c-bob", heartbeat())
    assert sent(back, "room:participants")
    assert not next(p for p in room.participants_view() if p.participant_id == "bob").away
