"""Joining and leaving: seats, replacement, bans, welcome and catch-up."""

from __future__ import annotations

import pytest

from syncwatch.errors import Banned, RoomFull
from syncwatch.protocol.server_messages import SyncCommand
from syncwatch.rooms.core.catchup import COMMAND_LOG_SIZE
from syncwatch.rooms.core.effects import Audit, Close, SendWelcome, StoreChat
from tests.support.rooms import (
    T0,
    flatten,
    identity,
    new_room,
    pause,
    play,
    received,
    seek,
    sent,
    source,
    types_for,
)


def welcome_of(effects: list) -> SendWelcome:  # type: ignore[type-arg]
    return next(e for e in effects if isinstance(e, SendWelcome))


def test_six_joins_to_a_five_seat_room_give_five_members_and_one_room_full() -> None:
    room = new_room(max_participants=5)
    refused = 0
    for n, name in enumerate(["alice", "bob", "carol", "dave", "erin", "frank"]):
        try:
            room.join(T0 + n, f"c-{name}", identity(name))
        except RoomFull:
            refused += 1
    assert len(room.members) == 5
    assert refused == 1
    assert "frank" not in {member.participant_id for member in room.members}


def test_joiner_gets_welcome_then_everyone_gets_participants_and_a_join_event() -> None:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    effects = room.join(T0 + 5, "c-b", identity("bob"))
    welcome = welcome_of(effects).welcome
    assert welcome.you.role == "participant"
    assert welcome.room.owner_id == "alice"
    assert [p.participant_id for p in welcome.participants] == ["alice", "bob"]
    assert types_for(effects, "c-a") == ["room:participants", "chat:message"]
    assert types_for(effects, "c-b")[:2] == ["welcome", "room:participants"]
    stored = [e for e in effects if isinstance(e, StoreChat)]
    assert stored[0].message.event is not None
    assert stored[0].message.event.kind == "join"
    assert any(isinstance(e, Audit) and e.event_type == "participant.joined" for e in effects)


def test_the_creator_is_owner_when_they_connect() -> None:
    room = new_room()
    room.join(T0, "c-b", identity("bob"))
    effects = room.join(T0 + 1000, "c-a", identity("alice"))
    assert welcome_of(effects).welcome.you.role == "owner"
    assert room.owner_id == "alice"


def test_guests_are_seated_with_the_guest_role() -> None:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    effects = room.join(T0, "c-g", identity("swiftfox123", guest=True))
    assert welcome_of(effects).welcome.you.role == "guest"


def test_a_second_connection_of_the_same_user_takes_over_the_seat() -> None:
    room = new_room(max_participants=2)
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b1", identity("bob"))
    effects = room.join(T0 + 100, "c-b2", identity("bob"))
    assert Close("c-b1", 4011, "replaced") in effects
    assert len(room.members) == 2
    assert room.member_for("c-b2") is not None
    assert room.member_for("c-b1") is None
    # no leave/join chatter for a takeover, and the old connection's late close is ignored
    assert not [e for e in effects if isinstance(e, StoreChat)]
    assert room.leave(T0 + 200, "c-b1") == []
    assert len(room.members) == 2


def test_banned_users_cannot_join() -> None:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    room.handle(T0, "c-a", _ban("bob"))
    with pytest.raises(Banned) as caught:
        room.join(T0 + 10, "c-b2", identity("bob"))
    assert caught.value.code == "banned"


def test_leave_updates_participants_and_posts_a_leave_event() -> None:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    effects = room.leave(T0 + 10, "c-b")
    assert types_for(effects, "c-a") == ["room:participants", "chat:message"]
    assert [m.participant_id for m in room.members] == ["alice"]
    stored = next(e for e in effects if isinstance(e, StoreChat))
    assert stored.message.event is not None
    assert stored.message.event.kind == "leave"


def _playing_room() -> tuple:  # type: ignore[type-arg]
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    room.handle(T0 + 1, "c-a", source())
    room.handle(T0 + 2, "c-a", play())
    return room, room.sequence_number


def test_rejoin_with_last_seq_in_the_buffer_replays_the_missed_commands_in_order() -> None:
    room, _ = _playing_room()
    room.leave(T0 + 10, "c-b")
    seen = room.sequence_number
    room.handle(T0 + 20, "c-a", pause())
    room.handle(T0 + 30, "c-a", seek(90_000))
    effects = room.join(T0 + 40, "c-b2", identity("bob"), last_seq=seen)
    welcome = welcome_of(effects).welcome
    assert (welcome.resume.mode, welcome.resume.from_seq) == ("commands", seen)
    replayed = [msg for msg in received(effects, "c-b2") if isinstance(msg, SyncCommand)]
    assert [c.data.sequence_number for c in replayed] == [seen + 1, seen + 2]
    assert replayed[-1].data.state == welcome.state


def test_rejoin_beyond_the_buffer_gets_a_snapshot() -> None:
    room, _ = _playing_room()
    room.leave(T0 + 10, "c-b")
    for n in range(COMMAND_LOG_SIZE + 1):
        room.handle(T0 + 20 + n, "c-a", seek(float(n)))
    effects = room.join(T0 + 10_000, "c-b2", identity("bob"), last_seq=2)
    assert welcome_of(effects).welcome.resume.mode == "snapshot"
    assert not [e for e in sent(effects, "sync:command")]


def test_rejoin_with_a_future_last_seq_gets_a_snapshot() -> None:
    room, current = _playing_room()
    effects = room.join(T0 + 10, "c-c", identity("carol"), last_seq=current + 5)
    assert welcome_of(effects).welcome.resume.mode == "snapshot"


def test_up_to_date_rejoin_replays_nothing() -> None:
    room, current = _playing_room()
    effects = room.join(T0 + 10, "c-c", identity("carol"), last_seq=current)
    assert welcome_of(effects).welcome.resume.mode == "commands"
    assert not sent(effects, "sync:command")


def test_welcome_carries_last_message_id_for_the_actor_to_fill_chat() -> None:
    room = new_room()
    effects = room.join(T0, "c-a", identity("alice"), last_message_id="msg-9")
    assert welcome_of(effects).last_message_id == "msg-9"
    assert len(flatten(effects)) > 1


def _ban(participant_id: str):  # type: ignore[no-untyped-def]
    from syncwatch.protocol import messages as m

    return m.Ban(id="b", type="room:ban", data=m.ParticipantTarget(participant_id=participant_id))


def test_an_ended_room_closes_everyone_with_4004_and_refuses_joins() -> None:
    from syncwatch.errors import RoomNotFound

    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    effects = room.end(T0 + 5)
    assert Close("c-a", 4004, "room closed") in effects
    assert Close("c-b", 4004, "room closed") in effects
    assert room.phase == "ENDED"
    with pytest.raises(RoomNotFound):
        room.join(T0 + 6, "c-c", identity("carol"))


def test_the_actor_completes_the_welcome_with_server_time_and_chat() -> None:
    from syncwatch.rooms.core.chat import user_message

    room = new_room(created_at=T0 - 3_600_000)
    pending = welcome_of(room.join(T0, "c-a", identity("alice")))
    line = user_message(lambda: "m-1", T0 - 5, "bob", "Bob", "hi")
    frame = pending.render(T0 + 3, [line]).to_wire()
    assert frame["type"] == "welcome"
    assert frame["data"]["serverTime"] == T0 + 3
    assert frame["data"]["chat"][0]["content"] == "hi"
    assert frame["data"]["room"]["createdAt"] == T0 - 3_600_000
