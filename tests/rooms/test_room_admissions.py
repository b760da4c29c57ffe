"""Admission without the password: someone the room let in comes back without it.

For the room's life (its snapshot), until they are kicked or banned or the
password changes (a new password has a new stamp).
"""

from __future__ import annotations

from dataclasses import replace

from syncwatch.protocol import messages as m
from syncwatch.rooms.core.effects import SaveSnapshot
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, identity, new_room

STAMP = "a1b2c3d4e5f60718"


def with_password(subject: str, stamp: str = STAMP):  # type: ignore[no-untyped-def]
    return replace(identity(subject), password_stamp=stamp)


def room_with_bob_admitted() -> RoomState:
    room = new_room(has_password=True)
    room.join(T0, "c-a", identity("alice"))  # the owner needs no password
    room.join(T0, "c-b", with_password("bob"))
    return room


def test_someone_who_typed_the_password_is_admitted_and_the_admission_is_saved() -> None:
    room = new_room(has_password=True)
    room.join(T0, "c-a", identity("alice"))
    effects = room.join(T0, "c-b", with_password("bob"))
    assert any(
        isinstance(e, SaveSnapshot) and e.snapshot.admissions.remembers("bob") for e in effects
    )
    assert room.admits("bob", STAMP)
    assert not room.admits("carol", STAMP)
    assert not room.admits("alice", STAMP)  # the owner never needed one


def test_the_admission_outlives_leaving_and_a_restart_of_the_room() -> None:
    room = room_with_bob_admitted()
    room.leave(T0 + 1_000, "c-b")
    assert room.admits("bob", STAMP)
    restored = RoomState(room.settings, Snapshot.from_json(room.snapshot().to_json()))
    assert restored.admits("bob", STAMP)
    # Coming back without the password records nothing new.
    effects = restored.join(T0 + 60_000, "c-b2", identity("bob"))
    assert not any(isinstance(e, SaveSnapshot) for e in effects)


def test_a_new_password_needs_typing_again() -> None:
    room = room_with_bob_admitted()
    assert not room.admits("bob", "ffffffffffffffff")
    assert not room.admits("bob", None)


def test_a_kick_forgets_the_admission_and_a_ban_refuses_it() -> None:
    room = room_with_bob_admitted()
    room.join(T0, "c-c", with_password("carol"))
    kicked = room.handle(
        T0 + 1,
        "c-a",
        m.Kick(id="k", type="room:kick", data=m.ParticipantTarget(participant_id="bob")),
    )
    assert any(isinstance(e, SaveSnapshot) for e in kicked)
    assert not room.admits("bob", STAMP)
    room.handle(
        T0 + 2,
        "c-a",
        m.Ban(id="b", type="room:ban", data=m.ParticipantTarget(participant_id="carol")),
    )
    assert not room.admits("carol", STAMP)


def test_old_snapshots_have_no_admissions() -> None:
    room = room_with_bob_admitted()
    body = room.snapshot().to_json().replace('"admissions":[["bob","a1b2c3d4e5f60718"]],', "")
    assert '"admissions"' not in body
    assert not Snapshot.from_json(body).admissions.remembers("bob")
