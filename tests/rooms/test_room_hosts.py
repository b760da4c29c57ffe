"""Temporary hosts and handover by connection stability."""

from __future__ import annotations

import pytest

from syncwatch.errors import Forbidden, NotOwner
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, heartbeat, identity, new_room, play, sent, settings, source


def room_of(*names: str) -> RoomState:
    room = new_room()
    for offset, name in enumerate(names):
        room.join(T0 + offset, f"c-{name}", identity(name))
    room.handle(T0 + 10, "c-alice", source())
    return room


def grant(who: str, minutes: int | None = None) -> m.GrantHost:
    duration = None if minutes is None else minutes * 60_000
    return m.GrantHost(
        id="h", type="room:host", data=m.HostData(participant_id=who, duration_ms=duration)
    )


def end(who: str) -> m.EndHost:
    return m.EndHost(id="e", type="room:host_end", data=m.ParticipantTarget(participant_id=who))


def bob_view(room: RoomState):  # type: ignore[no-untyped-def]
    return next(p for p in room.participants_view() if p.participant_id == "bob")


def test_a_temporary_host_controls_playback_until_the_time_is_up() -> None:
    room = room_of("alice", "bob")
    with pytest.raises(Forbidden):
        room.handle(T0 + 100, "c-bob", play())
    effects = room.handle(T0 + 1_000, "c-alice", grant("bob", minutes=10))
    assert sent(effects, "room:participants")
    assert bob_view(room).host
    assert bob_view(room).host_until == T0 + 1_000 + 600_000
    assert bob_view(room).can_control
    room.handle(T0 + 2_000, "c-bob", play())
    assert room.playback.is_playing
    assert room.next_deadline_ms() is not None
    for name in ("alice", "bob"):  # keep both present so only the grant is timed
        room.handle(T0 + 599_000, f"c-{name}", heartbeat())
    assert not sent(room.tick(T0 + 600_999), "room:participants")
    effects = room.tick(T0 + 601_000)
    assert sent(effects, "room:participants")
    assert not bob_view(room).host
    assert not bob_view(room).can_control
    with pytest.raises(Forbidden):
        room.handle(T0 + 601_100, "c-bob", m.SyncPause(id="p", type="sync:pause"))


def test_a_host_until_revoked_keeps_control_until_the_owner_revokes_it() -> None:
    room = room_of("alice", "bob")
    room.handle(T0 + 1_000, "c-alice", grant("bob"))
    assert bob_view(room).host_until is None
    room.tick(T0 + 3_600_000)
    assert bob_view(room).host
    room.handle(T0 + 3_600_001, "c-alice", end("bob"))
    assert not bob_view(room).host


def test_only_the_owner_grants_and_a_host_may_give_it_back() -> None:
    room = room_of("alice", "bob", "carol")
    with pytest.raises(NotOwner):
        room.handle(T0 + 1_000, "c-bob", grant("carol"))
    room.handle(T0 + 1_000, "c-alice", grant("bob", minutes=5))
    with pytest.raises(Forbidden):
        room.handle(T0 + 2_000, "c-carol", end("bob"))
    room.handle(T0 + 2_000, "c-bob", end("bob"))
    assert not bob_view(room).host


def test_a_grant_survives_a_restart_of_the_room() -> None:
    room = room_of("alice", "bob")
    room.handle(T0 + 1_000, "c-alice", grant("bob", minutes=5))
    restored = RoomState(settings(), Snapshot.from_json(room.snapshot().to_json()))
    restored.join(T0 + 2_000, "c-bob", identity("bob"))
    assert bob_view(restored).host_until == T0 + 301_000


def test_handover_prefers_the_steadiest_connection_over_the_earliest_joiner() -> None:
    room = room_of("alice", "bob", "carol")
    for at, (bob_rtt, carol_rtt) in enumerate([(20, 40), (300, 41), (25, 40), (280, 42)]):
        room.record_rtt("c-bob", bob_rtt, T0 + 1_000 + at)
        room.record_rtt("c-carol", carol_rtt, T0 + 1_000 + at)
    for name in ("bob", "carol"):
        room.handle(T0 + 10_000, f"c-{name}", heartbeat())
    room.tick(T0 + 15_000)
    assert room.owner_id == "carol"


def test_handover_prefers_fewer_reconnects() -> None:
    room = room_of("alice", "bob", "carol")
    room.join(T0 + 5_000, "c-bob-2", identity("bob"))  # bob's connection dropped once
    for conn in ("c-bob-2", "c-carol"):
        room.handle(T0 + 10_000, conn, heartbeat())
    room.tick(T0 + 15_000)
    assert room.owner_id == "carol"
