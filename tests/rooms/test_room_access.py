"""Privacy presets inside a live room (pure core): changed live, stored first, and an
anonymous room's generated names and relay-only voice."""

from __future__ import annotations

import json

from syncwatch.rooms.core.effects import SaveSnapshot, Send, StoreChat, StoreRoomAccess
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, frame, identity, new_room, sent


def room_of(*names: str, **overrides: object) -> RoomState:
    room = new_room(**overrides)
    for name in names:
        room.join(T0, f"c-{name}", identity(name))
    return room


def change(**data: object) -> object:
    return frame(json.dumps({"type": "room:settings", "id": "s", "data": data}))


def names(room: RoomState) -> dict[str, str]:
    return {view.participant_id: view.username for view in room.participants_view()}


def test_the_owner_changes_the_preset_live_and_it_is_stored_before_anyone_hears() -> None:
    room = room_of("alice", "bob")
    effects = room.handle(T0, "c-alice", change(privacy="friends_only", guestsAllowed=False))  # type: ignore[arg-type]
    assert effects[0] == StoreRoomAccess("room-1", "friends_only", False)
    assert isinstance(effects[1], SaveSnapshot)
    [told] = sent(effects, "room:settings")
    assert told.to == ("c-alice", "c-bob")
    data = told.message.to_wire()["data"]
    assert (data["privacy"], data["guestsAllowed"]) == ("friends_only", False)
    assert room.room_view().privacy == "friends_only"


def test_a_settings_change_that_leaves_access_alone_stores_nothing_for_it() -> None:
    room = room_of("alice", "bob", privacy="private")
    effects = room.handle(T0, "c-alice", change(autoHandover=False))  # type: ignore[arg-type]
    assert not [e for e in effects if isinstance(e, StoreRoomAccess)]
    assert room.room_view().privacy == "private"


def test_an_anonymous_room_shows_generated_names_and_relays_voice() -> None:
    room = room_of("alice", "bob", privacy="anonymous")
    shown = names(room)
    assert shown["alice"] != "Alice"
    assert shown["bob"] != "Bob"
    assert shown["alice"] != shown["bob"]
    assert room.room_view().voice_relay_only is True
    # The same person keeps the same name in this room across a reconnect.
    room.leave(T0 + 1, "c-bob")
    room.join(T0 + 2, "c-bob2", identity("bob"))
    assert names(room)["bob"] == shown["bob"]
    # Chat lines and system lines carry the generated name.
    [store] = room.handle(
        T0 + 3, "c-bob2", frame('{"type":"chat:message","data":{"content":"hi"}}')
    )
    assert isinstance(store, StoreChat)
    assert store.message.username == shown["bob"]


def test_going_anonymous_live_renames_everyone_and_coming_back_restores_names() -> None:
    room = room_of("alice", "bob")
    effects = room.handle(T0, "c-alice", change(privacy="anonymous"))  # type: ignore[arg-type]
    listed = sent(effects, "room:participants")[0].message.to_wire()["data"]["participants"]
    assert "Bob" not in {p["username"] for p in listed}
    assert sent(effects, "room:settings")[0].message.to_wire()["data"]["voiceRelayOnly"] is True
    room.handle(T0 + 1, "c-alice", change(privacy="public"))  # type: ignore[arg-type]
    assert names(room) == {"alice": "Alice", "bob": "Bob"}
    assert room.room_view().voice_relay_only is False


def test_anonymous_names_differ_between_rooms() -> None:
    here = room_of("alice", privacy="anonymous")
    there = room_of("alice", privacy="anonymous", id="room-2")
    assert names(here)["alice"] != names(there)["alice"]


def test_reports_name_the_account_even_in_an_anonymous_room() -> None:
    from syncwatch.rooms.core.effects import FileReport

    room = room_of("alice", "bob", "mallory", privacy="anonymous")
    body = {"participantId": "mallory", "reason": "spam"}
    effects = room.handle(T0, "c-bob", frame(json.dumps({"type": "room:report", "data": body})))
    filed = next(e for e in effects if isinstance(e, FileReport))
    assert (filed.reported_name, filed.reporter_name) == ("Mallory", "Bob")


def test_the_welcome_tells_a_joiner_the_preset() -> None:
    room = room_of("alice", privacy="private", guests_allowed=False)
    effects = room.join(T0, "c-bob", identity("bob"))
    welcome = next(e for e in effects if not isinstance(e, Send) and hasattr(e, "welcome"))
    view = welcome.welcome.room  # type: ignore[attr-defined]
    assert (view.privacy, view.guests_allowed) == ("private", False)
