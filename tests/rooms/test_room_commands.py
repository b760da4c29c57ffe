"""Sync commands: numbering, scheduling, policy, concurrency controls, validation."""

from __future__ import annotations

import pytest

from syncwatch.errors import Forbidden, NoSource, SequenceConflict, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.protocol.server_messages import Ack, SyncCommand
from syncwatch.rooms.core.effects import Audit, SaveSnapshot, Send, StoreChat
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import (
    T0,
    identity,
    new_room,
    pause,
    play,
    rate,
    seek,
    sent,
    settings,
    source,
)


def two_member_room(**overrides: object) -> RoomState:
    room = new_room(**overrides)
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    return room


def test_a_command_goes_to_everyone_scheduled_lead_ms_ahead_and_is_acked() -> None:
    room = two_member_room()
    room.handle(T0, "c-a", source())
    effects = room.handle(T0 + 1_000, "c-a", play(id="req-7"))
    [broadcast] = sent(effects, "sync:command")
    assert broadcast.to == ("c-a", "c-b")
    command = broadcast.message
    assert isinstance(command, SyncCommand)
    assert command.data.type == "PLAY"
    assert command.data.sequence_number == 2
    assert command.data.at_server_time == T0 + 1_000 + room.lead_ms()
    assert command.data.issued_by == "alice"
    assert command.data.state.is_playing
    assert command.data.state.anchor_server_time_ms == command.data.at_server_time
    [ack] = sent(effects, "ack")
    assert ack.to == ("c-a",)
    assert ack.message == Ack(re="req-7", data={"sequenceNumber": 2})


def test_the_snapshot_is_saved_before_the_command_is_broadcast() -> None:
    room = two_member_room()
    effects = room.handle(T0, "c-a", source())
    kinds = [type(e) for e in effects]
    assert kinds.index(SaveSnapshot) < kinds.index(Send)
    saved = next(e for e in effects if isinstance(e, SaveSnapshot))
    assert saved.snapshot.sequence_number == 1


def test_lead_follows_measured_rtts() -> None:
    room = two_member_room()
    room.record_rtt("c-a", 20, T0)
    room.record_rtt("c-b", 250, T0)
    effects = room.handle(T0, "c-a", source())
    assert sent(effects, "sync:command")[0].message.data.at_server_time == T0 + 300  # type: ignore[attr-defined]


def test_sequence_numbers_increase_by_one_and_refusals_consume_none() -> None:
    room = two_member_room()
    numbers = []
    for message in [source(), play(), seek(-5), rate(9), pause(), seek(10_000), rate(1.5)]:
        try:
            room.handle(T0, "c-a", message)
        except ValidationFailed:
            continue
        numbers.append(room.sequence_number)
    assert numbers == [1, 2, 3, 4, 5]


def test_a_repeated_idempotency_key_returns_the_first_result_and_changes_nothing() -> None:
    room = two_member_room()
    room.handle(T0, "c-a", source())
    first = room.handle(T0 + 10, "c-a", play(id="x1", idempotency_key="play-1"))
    state_after_first = room.playback
    repeat = room.handle(T0 + 5_000, "c-a", play(id="x2", idempotency_key="play-1"))
    assert room.playback == state_after_first
    assert repeat == [Send(("c-a",), Ack(re="x2", data={"sequenceNumber": 2}))]
    assert sent(first, "ack")[0].message.data == {"sequenceNumber": 2}  # type: ignore[attr-defined]


def test_an_idempotency_key_is_forgotten_after_an_hour() -> None:
    room = two_member_room()
    room.handle(T0, "c-a", source(idempotency_key="s"))
    room.handle(T0 + 3_600_000, "c-a", source(video="vid-2", idempotency_key="s"))
    assert room.sequence_number == 2
    assert room.playback.source_id == "vid-2"


def test_a_stale_expected_seq_is_a_conflict_carrying_the_current_seq() -> None:
    room = two_member_room()
    room.handle(T0, "c-a", source())
    with pytest.raises(SequenceConflict) as caught:
        room.handle(T0, "c-a", play(expected_seq=0))
    assert caught.value.extra == {"currentSeq": 1}
    assert room.sequence_number == 1
    room.handle(T0, "c-a", play(expected_seq=1))
    assert room.sequence_number == 2


def test_a_retry_of_a_successful_command_gets_its_result_even_with_a_stale_expected_seq() -> None:
    room = two_member_room()
    room.handle(T0, "c-a", source(expected_seq=0, idempotency_key="k"))
    again = room.handle(T0 + 1, "c-a", source(expected_seq=0, idempotency_key="k"))
    assert sent(again, "ack")[0].message.data == {"sequenceNumber": 1}  # type: ignore[attr-defined]


@pytest.mark.parametrize("message", [play(), seek(1_000), rate(1.5)])
def test_play_seek_and_rate_need_a_source(message: m.RoomMessage) -> None:
    room = two_member_room()
    with pytest.raises(NoSource) as caught:
        room.handle(T0, "c-a", message)
    assert caught.value.code == "no_source"
    assert room.sequence_number == 0


@pytest.mark.parametrize(
    ("bad", "field"), [(seek(-1), "targetMediaTimeMs"), (rate(0.2), "rate"), (rate(2.5), "rate")]
)
def test_out_of_range_values_are_validation_errors(bad: m.RoomMessage, field: str) -> None:
    room = two_member_room()
    room.handle(T0, "c-a", source())
    with pytest.raises(ValidationFailed) as caught:
        room.handle(T0, "c-a", bad)
    assert caught.value.errors[0]["field"] == field


def test_owner_only_lets_only_the_owner_control_playback() -> None:
    room = two_member_room(playback_control="owner_only")
    with pytest.raises(Forbidden):
        room.handle(T0, "c-b", source())
    room.handle(T0, "c-a", source())
    assert room.sequence_number == 1


def test_all_lets_every_member_control_playback_guests_included() -> None:
    room = two_member_room(playback_control="all")
    room.join(T0, "c-g", identity("fox", guest=True))
    room.handle(T0, "c-b", source())
    room.handle(T0, "c-g", play())
    assert room.sequence_number == 2


def test_selected_lets_the_owner_and_granted_members_control_playback() -> None:
    room = two_member_room(playback_control="selected")
    room.join(T0, "c-c", identity("carol"))
    grant = m.GrantControl(
        id="g", type="room:grant_control", data=m.ParticipantTarget(participant_id="bob")
    )
    room.handle(T0, "c-a", grant)
    room.handle(T0, "c-b", source())
    with pytest.raises(Forbidden):
        room.handle(T0, "c-c", play())
    revoke = m.RevokeControl(
        id="r", type="room:revoke_control", data=m.ParticipantTarget(participant_id="bob")
    )
    room.handle(T0, "c-a", revoke)
    with pytest.raises(Forbidden):
        room.handle(T0, "c-b", play())


def test_states_go_from_created_to_waiting_playing_paused() -> None:
    room = new_room()
    assert room.phase == "CREATED"
    room.join(T0, "c-a", identity("alice"))
    assert room.phase == "WAITING"
    room.handle(T0, "c-a", source())
    room.handle(T0, "c-a", play())
    assert room.phase == "PLAYING"
    room.handle(T0, "c-a", pause())
    assert room.phase == "PAUSED"
    room.end(T0)
    assert room.phase == "ENDED"


def test_commands_post_system_events_and_audit_rows() -> None:
    room = two_member_room()
    room.handle(T0, "c-a", source())
    effects = room.handle(T0, "c-a", play())
    stored = next(e for e in effects if isinstance(e, StoreChat))
    assert stored.message.kind == "system"
    assert stored.message.event is not None
    assert stored.message.event.kind == "play"
    assert [e.event_type for e in effects if isinstance(e, Audit)] == ["playback.started"]


def test_countdown_broadcasts_start_then_a_play_at_its_end() -> None:
    room = two_member_room()
    room.handle(T0, "c-a", source())
    countdown = m.StartCountdown(id="cd", type="room:countdown")
    effects = room.handle(T0 + 100, "c-a", countdown)
    [start] = sent(effects, "countdown:start")
    [command] = sent(effects, "sync:command")
    start_data = start.message.data  # type: ignore[attr-defined]
    assert start_data.duration_ms == 3_000
    assert start_data.server_start_time == T0 + 100 + room.lead_ms()
    assert command.message.data.type == "PLAY"  # type: ignore[attr-defined]
    assert command.message.data.at_server_time == start_data.server_start_time + 3_000  # type: ignore[attr-defined]
    assert room.playback.position_at(start_data.server_start_time + 2_999) == 0


def test_a_snapshot_round_trip_continues_the_sequence_and_keeps_roles_and_keys() -> None:
    room = two_member_room(playback_control="selected")
    room.handle(T0, "c-a", source(idempotency_key="once"))
    room.handle(
        T0,
        "c-a",
        m.GrantControl(
            id="g", type="room:grant_control", data=m.ParticipantTarget(participant_id="bob")
        ),
    )
    restored = RoomState(
        settings(playback_control="selected"), Snapshot.from_json(room.snapshot().to_json())
    )
    assert restored.snapshot() == room.snapshot()
    restored.join(T0 + 1, "c-a2", identity("alice"))
    restored.join(T0 + 1, "c-b2", identity("bob"))
    restored.handle(T0 + 2, "c-b2", play())
    assert restored.sequence_number == 2
    replay = restored.handle(T0 + 3, "c-a2", source(idempotency_key="once"))
    assert sent(replay, "ack")[0].message.data == {"sequenceNumber": 1}  # type: ignore[attr-defined]
