"""The people list: the owner first, then the order people first joined in, the same
after a reload; everyone sees who is in voice."""

from __future__ import annotations

from syncwatch.protocol import messages as m
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, identity, new_room


def names(room: RoomState) -> list[str]:
    return [p.participant_id for p in room.participants_view()]


def test_owner_first_then_join_order_even_when_the_owner_arrives_last() -> None:
    room = new_room()  # alice created it
    room.join(T0, "c-b", identity("bob"))
    room.join(T0 + 10, "c-c", identity("carol"))
    room.join(T0 + 20, "c-a", identity("alice"))
    assert names(room) == ["alice", "bob", "carol"]


def test_a_reload_keeps_ones_place_in_the_list() -> None:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    room.join(T0 + 10, "c-b", identity("bob"))
    room.join(T0 + 20, "c-c", identity("carol"))
    # Bob reloads: his old socket closes before the new one says hello.
    room.leave(T0 + 30, "c-b")
    room.join(T0 + 900, "c-b2", identity("bob"))
    assert names(room) == ["alice", "bob", "carol"]
    # Also after the room itself restarted from its snapshot.
    restored = RoomState(room.settings, Snapshot.from_json(room.snapshot().to_json()))
    for conn, who, at in (("c-c", "carol", 1), ("c-b", "bob", 2), ("c-a", "alice", 3)):
        restored.join(T0 + 100_000 + at, conn, identity(who))
    assert names(restored) == ["alice", "bob", "carol"]


def test_everyone_sees_who_is_in_voice() -> None:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    effects = room.handle(T0 + 1, "c-b", m.VoiceJoin(id="v", type="voice:join"))
    lists = [e for e in effects if getattr(e, "message", None) is not None]
    participants = [
        e
        for e in lists
        if getattr(e.message, "type", "") == "room:participants"  # type: ignore[attr-defined]
    ]
    assert participants, "joining voice updates everyone's list"
    assert participants[0].to == ("c-a", "c-b")  # type: ignore[attr-defined]
    shown = {p.participant_id: p.in_voice for p in room.participants_view()}
    assert shown == {"alice": False, "bob": True}
