"""The ready check: the owner asks, each member confirms, play starts with the countdown."""

from __future__ import annotations

import pytest

from syncwatch.errors import Conflict, NotOwner
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, identity, new_room, sent, source


def room_of(*names: str) -> RoomState:
    room = new_room()
    for offset, name in enumerate(names):
        room.join(T0 + offset, f"c-{name}", identity(name))
    room.handle(T0 + 10, "c-alice", source())
    return room


def ask(action: str = "start", id: str = "rc") -> m.AskReady:
    return m.AskReady(id=id, type="room:ready_check", data=m.ReadyCheckData(action=action))  # type: ignore[arg-type]


def ready(yes: bool = True) -> m.AnswerReady:
    return m.AnswerReady(id="r", type="room:ready", data=m.ReadyData(ready=yes))


def checks(effects: list) -> list[dict]:  # type: ignore[type-arg]
    return [s.message.data.to_wire() for s in sent(effects, "room:ready_check")]  # type: ignore[attr-defined]


def commands(effects: list) -> list[str]:  # type: ignore[type-arg]
    return [s.message.data.type for s in sent(effects, "sync:command")]  # type: ignore[attr-defined]


def test_the_owner_is_told_who_is_not_ready_yet() -> None:
    room = room_of("alice", "bob", "carol")
    [check] = checks(room.handle(T0 + 1_000, "c-alice", ask()))
    assert check["status"] == "open"
    assert check["ready"] == ["alice"]
    assert check["waitingFor"] == ["bob", "carol"]
    [check] = checks(room.handle(T0 + 2_000, "c-bob", ready()))
    assert check["waitingFor"] == ["carol"]


def test_play_starts_with_the_countdown_when_everyone_is_ready() -> None:
    room = room_of("alice", "bob")
    room.handle(T0 + 1_000, "c-alice", ask())
    effects = room.handle(T0 + 2_000, "c-bob", ready())
    assert checks(effects)[0]["status"] == "all_ready"
    [countdown] = sent(effects, "countdown:start")
    assert countdown.message.data.duration_ms == 3_000  # type: ignore[attr-defined]
    [command] = sent(effects, "sync:command")
    assert command.message.data.type == "PLAY"  # type: ignore[attr-defined]
    assert command.message.data.issued_by == "alice"  # type: ignore[attr-defined]
    assert room.playback.is_playing


def test_taking_back_a_yes_keeps_the_room_waiting() -> None:
    room = room_of("alice", "bob", "carol")
    room.handle(T0 + 1_000, "c-alice", ask())
    room.handle(T0 + 2_000, "c-bob", ready())
    room.handle(T0 + 3_000, "c-bob", ready(False))
    effects = room.handle(T0 + 4_000, "c-carol", ready())
    assert checks(effects)[0]["waitingFor"] == ["bob"]
    assert commands(effects) == []


def test_the_owner_may_start_anyway_and_the_check_ends_for_everyone() -> None:
    room = room_of("alice", "bob", "carol")
    room.handle(T0 + 1_000, "c-alice", ask())
    effects = room.handle(T0 + 5_000, "c-alice", ask("start_anyway", id="go"))
    [ended] = checks(effects)
    assert ended["status"] == "started_anyway"
    assert ended["waitingFor"] == ["bob", "carol"]
    assert commands(effects) == ["PLAY"]
    assert sent(effects, "countdown:start")
    with pytest.raises(Conflict):
        room.handle(T0 + 6_000, "c-bob", ready())


def test_an_unanswered_check_times_out_after_30_seconds_without_playing() -> None:
    room = room_of("alice", "bob")
    room.handle(T0 + 1_000, "c-alice", ask())
    assert not checks(room.tick(T0 + 30_999))
    effects = room.tick(T0 + 31_000)
    [ended] = checks(effects)
    assert ended["status"] == "timed_out"
    assert ended["waitingFor"] == ["bob"]
    assert not room.playback.is_playing


def test_the_last_one_waited_for_leaving_starts_play() -> None:
    room = room_of("alice", "bob", "carol")
    room.handle(T0 + 1_000, "c-alice", ask())
    room.handle(T0 + 2_000, "c-bob", ready())
    effects = room.leave(T0 + 3_000, "c-carol")
    assert checks(effects)[0]["status"] == "all_ready"
    assert commands(effects) == ["PLAY"]


def test_only_the_owner_asks_and_the_owner_may_cancel() -> None:
    room = room_of("alice", "bob")
    with pytest.raises(NotOwner):
        room.handle(T0 + 1_000, "c-bob", ask())
    room.handle(T0 + 1_000, "c-alice", ask())
    assert checks(room.handle(T0 + 2_000, "c-alice", ask("cancel")))[0]["status"] == "cancelled"
    assert not room.playback.is_playing


def test_a_member_joining_during_the_check_sees_it_in_the_welcome() -> None:
    room = room_of("alice", "bob")
    room.handle(T0 + 1_000, "c-alice", ask())
    effects = room.join(T0 + 2_000, "c-dave", identity("dave"))
    welcome = next(e for e in effects if type(e).__name__ == "SendWelcome")
    assert welcome.welcome.ready_check is not None  # type: ignore[attr-defined]
    assert welcome.welcome.ready_check.waiting_for == ["bob"]  # type: ignore[attr-defined]
