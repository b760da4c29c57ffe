"""Wait for buffering: a member's stall pauses the room for everyone, and it never loops."""

from __future__ import annotations

from syncwatch.protocol import messages as m
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, heartbeat, identity, new_room, play, sent, source

NAMES = ("alice", "bob", "carol")


def playing_room(*, countdown: bool = False) -> RoomState:
    room = new_room()
    for offset, name in enumerate(NAMES):
        room.join(T0 + offset, f"c-{name}", identity(name))
    room.handle(T0 + 10, "c-alice", source())
    if countdown:
        room.handle(T0 + 20, "c-alice", m.StartCountdown(id="cd", type="room:countdown"))
    else:
        room.handle(T0 + 20, "c-alice", play())
    return room


def stall(room: RoomState, now: int, name: str = "bob", stalled: bool = True) -> list:  # type: ignore[type-arg]
    message = m.BufferingReport(type="sync:buffering", data=m.BufferingData(stalled=stalled))
    return room.handle(now, f"c-{name}", message)


def keep_alive(room: RoomState, now: int) -> None:
    for name in NAMES:
        room.handle(now, f"c-{name}", heartbeat())


def commands(effects: list) -> list[str]:  # type: ignore[type-arg]
    return [s.message.data.type for s in sent(effects, "sync:command")]  # type: ignore[attr-defined]


def waiting(effects: list) -> list[dict]:  # type: ignore[type-arg]
    return [s.message.data.to_wire() for s in sent(effects, "room:waiting")]  # type: ignore[attr-defined]


def test_a_stall_longer_than_a_second_pauses_everyone_at_one_position_waiting_for_bob() -> None:
    room = playing_room()
    stall(room, T0 + 5_000)
    assert room.next_deadline_ms() == T0 + 6_000
    assert not commands(room.tick(T0 + 5_999))
    effects = room.tick(T0 + 6_000)
    [pause] = sent(effects, "sync:command")
    assert pause.message.data.type == "PAUSE"  # type: ignore[attr-defined]
    assert set(pause.to) == {"c-alice", "c-bob", "c-carol"}  # one command: one position
    assert waiting(effects)[-1]["waitingFor"] == ["bob"]
    assert not room.playback.is_playing
    # The chat says why the room paused, by name.
    [line] = [s for s in sent(effects, "chat:message") if s.message.data.event.kind == "pause"]  # type: ignore[attr-defined]
    assert line.message.data.event.waiting_for == ["Bob"]  # type: ignore[attr-defined]


def test_the_pause_is_not_held_back_by_the_stalled_members_slow_link() -> None:
    room = playing_room()
    for name, rtt in (("alice", 10.0), ("bob", 350.0), ("carol", 20.0)):
        report = m.SyncReport(
            type="sync:report",
            data=m.ReportData(media_time_ms=0, at_server_time=T0, drift_ms=0, rtt_ms=rtt),
        )
        room.handle(T0 + 100, f"c-{name}", report)
    stall(room, T0 + 5_000)
    effects = room.tick(T0 + 6_000)
    pause = sent(effects, "sync:command")[0].message.data  # type: ignore[attr-defined]
    # Carol's 20 ms sets the lead (the 80 ms floor), not Bob's 350 ms: the others stop sooner.
    assert pause.at_server_time == T0 + 6_000 + 80
    # A command the members drive still waits for everyone's link.
    assert room.lead_ms() == 400


def test_a_short_stall_changes_nothing() -> None:
    room = playing_room()
    stall(room, T0 + 5_000)
    stall(room, T0 + 5_800, stalled=False)
    assert not commands(room.tick(T0 + 6_000))
    assert room.playback.is_playing


def test_the_room_resumes_for_everyone_once_bob_has_buffered() -> None:
    room = playing_room()
    stall(room, T0 + 5_000)
    room.tick(T0 + 6_000)
    effects = stall(room, T0 + 8_000, stalled=False)
    assert waiting(effects)[-1]["resumesAt"] == T0 + 8_300
    effects = room.tick(T0 + 8_300)
    assert commands(effects) == ["PLAY"]
    assert waiting(effects)[-1]["waitingFor"] == []
    assert room.playback.is_playing


def test_hysteresis_a_stall_again_before_the_resume_keeps_the_room_waiting() -> None:
    room = playing_room()
    stall(room, T0 + 5_000)
    room.tick(T0 + 6_000)
    stall(room, T0 + 8_000, stalled=False)
    stall(room, T0 + 8_100)  # bob's player stalled again right away
    assert not commands(room.tick(T0 + 8_300))
    assert not room.playback.is_playing
    stall(room, T0 + 9_000, stalled=False)
    assert commands(room.tick(T0 + 9_300)) == ["PLAY"]


def test_a_countdown_room_resumes_with_a_short_countdown() -> None:
    room = playing_room(countdown=True)
    stall(room, T0 + 5_000)
    room.tick(T0 + 6_000)
    stall(room, T0 + 7_000, stalled=False)
    effects = room.tick(T0 + 7_300)
    [countdown] = sent(effects, "countdown:start")
    assert countdown.message.data.duration_ms == 1_000  # type: ignore[attr-defined]
    assert commands(effects) == ["PLAY"]


def test_a_member_stalling_three_times_in_two_minutes_is_left_out_and_told() -> None:
    room = playing_room()
    now = T0 + 5_000
    for _ in range(2):
        stall(room, now)
        assert commands(room.tick(now + 1_000)) == ["PAUSE"]
        stall(room, now + 2_000, stalled=False)
        assert commands(room.tick(now + 2_300)) == ["PLAY"]
        now += 20_000
        keep_alive(room, now - 1_000)
    stall(room, now)
    effects = room.tick(now + 1_000)
    assert not commands(effects)  # the third stall pauses nobody
    [told] = waiting(effects)
    assert told["leftOut"] == ["bob"]
    assert set(sent(effects, "room:waiting")[0].to) >= {"c-bob"}
    assert room.playback.is_playing
    stall(room, now + 5_000)  # still left out: ignored
    assert not commands(room.tick(now + 7_000))


def test_the_owner_can_change_the_threshold_or_turn_waiting_off() -> None:
    room = playing_room()
    change = m.ChangeSettings(
        id="s", type="room:settings", data=m.SettingsData(buffer_wait_ms=3_000)
    )
    effects = room.handle(T0 + 100, "c-alice", change)
    assert sent(effects, "room:settings")[0].message.data.buffer_wait_ms == 3_000  # type: ignore[attr-defined]
    stall(room, T0 + 5_000)
    assert not commands(room.tick(T0 + 7_999))
    assert commands(room.tick(T0 + 8_000)) == ["PAUSE"]

    room = playing_room()
    off = m.ChangeSettings(id="s", type="room:settings", data=m.SettingsData(buffer_wait_ms=0))
    room.handle(T0 + 100, "c-alice", off)
    stall(room, T0 + 5_000)
    assert room.next_deadline_ms() != T0 + 6_000
    assert not commands(room.tick(T0 + 6_000))


def test_someone_driving_playback_ends_the_wait() -> None:
    room = playing_room()
    stall(room, T0 + 5_000)
    room.tick(T0 + 6_000)
    effects = room.handle(T0 + 7_000, "c-alice", play())
    assert waiting(effects)[-1]["waitingFor"] == []
    assert room.playback.is_playing
    stall(room, T0 + 8_000, stalled=False)
    assert room.next_deadline_ms() != T0 + 8_300


def test_bob_leaving_ends_the_wait() -> None:
    room = playing_room()
    stall(room, T0 + 5_000)
    room.tick(T0 + 6_000)
    room.leave(T0 + 7_000, "c-bob")
    assert commands(room.tick(T0 + 7_300)) == ["PLAY"]
