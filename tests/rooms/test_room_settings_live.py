"""The owner changes the room live: name, seats, password, playback policy, handover and
guest chat. Everyone sees the new settings and a system line; every change is audited,
and neither the line nor the audit row ever holds a password."""

from __future__ import annotations

import json

import pytest

from syncwatch.errors import Forbidden, NotOwner, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.protocol.server_messages import ChatMessage, SettingsChanged
from syncwatch.rooms.core.effects import Audit, SaveSnapshot, Send, StoreRoomDetails
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, flatten, identity, new_room, sent, settings


def change(id: str = "s1", **data: object) -> m.RoomMessage:
    frame = json.dumps({"type": "room:settings", "id": id, "data": data})
    return m.parse_client_frame(frame)  # type: ignore[return-value]


def chat(content: str = "hi") -> m.ChatSend:
    return m.ChatSend(id="m1", type="chat:message", data=m.ChatData(content=content))


def room_of_three() -> RoomState:
    room = new_room(max_participants=4)
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    room.join(T0, "c-g", identity("guest-1", guest=True))
    return room


def system_changes(effects: list) -> list[dict]:  # type: ignore[type-arg]
    return [
        s.message.data.event.changes  # type: ignore[union-attr]
        for s in sent(effects, "chat:message")
        if isinstance(s.message, ChatMessage)
        and s.message.data.event is not None
        and s.message.data.event.kind == "settings"
    ]


def audits(effects: list) -> list[Audit]:  # type: ignore[type-arg]
    return [e for e in flatten(effects) if isinstance(e, Audit)]


def test_renaming_and_reseating_reach_everyone_with_a_system_line_and_the_row() -> None:
    room = room_of_three()
    effects = room.handle(T0 + 5, "c-a", change(name="  Friday   film ", maxParticipants=3))
    stored = [e for e in effects if isinstance(e, StoreRoomDetails)]
    assert stored == [StoreRoomDetails("room-1", "Friday film", 3, None, False)]
    # The row changes before the snapshot and before anyone hears of it.
    kinds = [type(e).__name__ for e in effects]
    assert kinds.index("StoreRoomDetails") < kinds.index("SaveSnapshot") < kinds.index("Send")
    update = sent(effects, "room:settings")[0]
    assert set(update.to) == {"c-a", "c-b", "c-g"}
    assert isinstance(update.message, SettingsChanged)
    assert update.message.data.name == "Friday film"
    assert update.message.data.max_participants == 3
    assert system_changes(effects) == [{"name": "Friday film", "maxParticipants": 3}]
    assert room.room_view().name == "Friday film"
    assert audits(effects)[0].event_type == "room.settings_changed"


def test_fewer_seats_than_people_here_is_refused_and_changes_nothing() -> None:
    room = room_of_three()
    with pytest.raises(ValidationFailed) as refused:
        room.handle(T0, "c-a", change(name="New", maxParticipants=2))
    assert refused.value.errors[0]["field"] == "maxParticipants"
    assert room.room_view().name == "Movie night"
    assert room.settings.max_participants == 4


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "evil\u202etxt"}, "name"),
        ({"maxParticipants": 6}, "maxParticipants"),
        ({"maxParticipants": 1}, "maxParticipants"),
        ({"password": "abc", "removePassword": True}, "password"),
        ({"password": "   "}, "password"),
    ],
)
def test_bad_details_are_a_validation_error_naming_the_field(data: dict, field: str) -> None:  # type: ignore[type-arg]
    room = room_of_three()
    with pytest.raises(ValidationFailed) as refused:
        room.handle(T0, "c-a", change(**data))
    assert refused.value.errors[0]["field"] == field


def test_a_full_room_stays_full_after_its_seats_are_lowered() -> None:
    from syncwatch.errors import RoomFull

    room = room_of_three()
    room.handle(T0, "c-a", change(maxParticipants=3))
    with pytest.raises(RoomFull):
        room.join(T0, "c-d", identity("dave"))


def test_password_set_changed_removed_is_said_but_never_shown() -> None:
    room = room_of_three()
    set_effects = room.handle(T0, "c-a", change(password="hunter22"))
    assert [e.new_password for e in set_effects if isinstance(e, StoreRoomDetails)] == ["hunter22"]
    assert room.room_view().has_password is True
    assert system_changes(set_effects) == [{"password": "set"}]
    changed = room.handle(T0 + 1, "c-a", change(password="swordfish"))
    assert system_changes(changed) == [{"password": "changed"}]
    removed = room.handle(T0 + 2, "c-a", change(removePassword=True))
    assert next(e for e in removed if isinstance(e, StoreRoomDetails)).remove_password
    assert system_changes(removed) == [{"password": "removed"}]
    assert room.room_view().has_password is False
    for effects in (set_effects, changed, removed):
        for effect in flatten(effects):
            if isinstance(effect, Send | Audit):
                text = (
                    effect.message.to_json()
                    if isinstance(effect, Send)
                    else json.dumps(dict(effect.metadata))
                )
                assert "hunter22" not in text
                assert "swordfish" not in text


def test_policy_handover_and_guest_chat_each_get_a_line_naming_the_new_value() -> None:
    room = room_of_three()
    effects = room.handle(
        T0, "c-a", change(playbackControl="all", autoHandover=False, guestsMayChat=True)
    )
    assert system_changes(effects) == [
        {"playbackControl": "all", "autoHandover": False, "guestsMayChat": True}
    ]
    # Sending what is already so changes nothing and says nothing.
    assert system_changes(room.handle(T0 + 1, "c-a", change(playbackControl="all"))) == []


def test_guests_write_only_when_the_owner_lets_them() -> None:
    room = room_of_three()
    with pytest.raises(Forbidden) as refused:
        room.handle(T0, "c-g", chat())
    assert "create an account" in refused.value.detail.lower()
    room.handle(T0 + 1, "c-a", change(guestsMayChat=True))
    assert sent(room.handle(T0 + 2, "c-g", chat("hello from a guest")), "chat:message")
    room.handle(T0 + 3, "c-a", change(guestsMayChat=False))
    with pytest.raises(Forbidden):
        room.handle(T0 + 4, "c-g", chat())


def test_guest_chat_survives_a_restart_from_the_snapshot() -> None:
    room = room_of_three()
    effects = room.handle(T0, "c-a", change(guestsMayChat=True))
    saved = [e.snapshot for e in effects if isinstance(e, SaveSnapshot)][-1]
    restored = RoomState(settings(max_participants=4), Snapshot.from_json(saved.to_json()))
    assert restored.room_view().guests_may_chat is True


def test_only_the_owner_changes_settings() -> None:
    room = room_of_three()
    with pytest.raises(NotOwner):
        room.handle(T0, "c-b", change(name="Mine now"))


@pytest.mark.parametrize(
    "data",
    [
        {"automod": {"repeats": False}},
        {"automod": {"repeatLimit": 5, "links": False}},
        {"playbackControl": "all"},
        {"autoHandover": False},
        {"voiceRelayOnly": True},
        {"guestsMayChat": True},
        {"privacy": "private", "guestsAllowed": False},
        {"bufferWaitMs": 2500},
        {"idleCloseMinutes": 45},
        {"name": "Friday film", "maxParticipants": 3},
    ],
)
def test_the_same_choice_twice_is_acknowledged_but_said_and_audited_once(
    data: dict,  # type: ignore[type-arg]
) -> None:
    room = room_of_three()
    first = room.handle(T0, "c-a", change(id="s1", **data))
    assert len(audits(first)) == 1
    again = room.handle(T0 + 1, "c-a", change(id="s2", **data))
    # Only the owner hears back: no line, no audit row, no broadcast, nothing stored.
    assert [e.message.to_wire() for e in sent(again)] == [{"type": "ack", "re": "s2", "data": {}}]
    assert [s.to for s in sent(again)] == [("c-a",)]
    assert len(again) == 1


def test_a_request_of_what_is_already_so_says_nothing_and_stores_nothing() -> None:
    room = room_of_three()
    already = change(
        name=" Movie  night ",
        maxParticipants=4,
        playbackControl="owner_only",
        removePassword=True,
        automod={"enabled": True},
    )
    effects = room.handle(T0, "c-a", already)
    assert [type(e).__name__ for e in effects] == ["Send"]
    assert sent(effects, "ack")


def test_only_what_changed_is_said_when_a_request_repeats_part_of_an_earlier_one() -> None:
    room = room_of_three()
    room.handle(T0, "c-a", change(playbackControl="all"))
    effects = room.handle(T0 + 1, "c-a", change(playbackControl="all", guestsMayChat=True))
    assert system_changes(effects) == [{"guestsMayChat": True}]
    assert [a.metadata["changes"] for a in audits(effects)] == [{"guestsMayChat": True}]


def test_a_password_given_again_is_a_change_even_if_it_is_the_same() -> None:
    # Only its hash is kept: whether it is the same one cannot be told, and a room
    # password is a thing the owner changes on purpose.
    room = room_of_three()
    room.handle(T0, "c-a", change(password="hunter22"))
    again = room.handle(T0 + 1, "c-a", change(password="hunter22"))
    assert system_changes(again) == [{"password": "changed"}]
    assert len(audits(again)) == 1
