"""Mutes, shadow mutes, the room-wide voice mute and raised hands, in the pure room core."""

from __future__ import annotations

import json
from typing import Any

import pytest

from syncwatch.errors import ChatMuted, Forbidden, NotFound
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.effects import Audit, SaveSnapshot, Send, StoreChat
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, flatten, frame, identity, new_room, received, sent, settings

FIVE_MINUTES = 5 * 60_000


def room_of(*names: str, **overrides: object) -> RoomState:
    room = new_room(**overrides)
    for name in names:
        room.join(T0, f"c-{name}", identity(name))
    return room


def control(message_type: str, id: str | None = "x", **data: object) -> m.RoomMessage:
    return frame(json.dumps({"type": message_type, "id": id, "data": data}))


def chat(content: str, id: str | None = "m") -> m.ChatSend:
    return m.ChatSend(id=id, type="chat:message", data=m.ChatData(content=content))


def person(room: RoomState, who: str) -> dict[str, Any]:
    return next(view.to_wire() for view in room.participants_view() if view.participant_id == who)


def types_to(effects: list[Any], conn_id: str) -> list[str]:
    return [str(message.type) for message in received(effects, conn_id)]  # type: ignore[attr-defined]


# --- timed mutes ------------------------------------------------------------------


def test_a_five_minute_chat_mute_is_told_to_the_member_and_shown_to_everyone() -> None:
    room = room_of("alice", "bob", "carol")
    effects = room.handle(
        T0, "c-alice", control("room:mute", participantId="bob", scope="chat", durationMs=300_000)
    )
    # Saved before anyone hears of it.
    assert isinstance(effects[0], SaveSnapshot)
    [told] = sent(effects, "moderation:muted")
    assert told.to == ("c-bob",)
    assert told.message.to_wire()["data"] == {
        "scope": "chat",
        "until": T0 + FIVE_MINUTES,
        "by": "owner",
    }
    [listed] = sent(effects, "room:participants")
    assert listed.to == ("c-alice", "c-bob", "c-carol")
    bob = person(room, "bob")
    assert (bob["chatMuted"], bob["voiceMuted"], bob["chatMutedUntil"]) == (
        True,
        False,
        T0 + FIVE_MINUTES,
    )
    assert "moderation:muted" not in types_to(effects, "c-carol")
    assert [a.event_type for a in effects if isinstance(a, Audit)] == ["moderation.muted"]


def test_a_muted_member_cannot_write_until_the_mute_ends_and_is_told_when_it_does() -> None:
    room = room_of("alice", "bob", "carol")
    room.handle(
        T0, "c-alice", control("room:mute", participantId="bob", scope="chat", durationMs=300_000)
    )
    with pytest.raises(ChatMuted) as refused:
        room.handle(T0 + 60_000, "c-bob", chat("let me talk"))
    assert refused.value.code == "muted"
    assert refused.value.extra == {"retryAfter": 240}
    # The watchdog wakes when the mute ends (members' presence aside).
    assert room.snapshot().mutes.next_expiry_ms() == T0 + FIVE_MINUTES
    assert sent(room.tick(T0 + FIVE_MINUTES - 1), "moderation:unmuted") == []

    ended = room.tick(T0 + FIVE_MINUTES)
    [unmuted] = sent(ended, "moderation:unmuted")
    assert unmuted.to == ("c-bob",)
    assert unmuted.message.to_wire()["data"] == {"scope": "chat"}
    assert person(room, "bob")["chatMuted"] is False
    assert "moderation:unmuted" not in types_to(ended, "c-carol")
    assert room.handle(T0 + FIVE_MINUTES, "c-bob", chat("thanks"))


def test_a_voice_mute_leaves_the_chat_open_and_everyone_sees_the_member_cannot_speak() -> None:
    room = room_of("alice", "bob")
    room.handle(T0, "c-alice", control("room:mute", participantId="bob", scope="voice"))
    bob = person(room, "bob")
    assert (bob["chatMuted"], bob["voiceMuted"]) == (False, True)
    assert "voiceMutedUntil" not in bob  # for the rest of the session
    assert room.handle(T0, "c-bob", chat("I can still write"))


def test_a_mute_for_the_rest_of_the_session_outlives_a_rejoin_and_a_restart() -> None:
    room = room_of("alice", "bob")
    room.handle(T0, "c-alice", control("room:mute", participantId="bob"))
    assert room.next_deadline_ms() == T0 + 15_000  # presence only: the mute has no end
    room.leave(T0 + 1_000, "c-bob")
    room.join(T0 + 2_000, "c-bob2", identity("bob"))
    with pytest.raises(ChatMuted) as refused:
        room.handle(T0 + 10 * 3_600_000, "c-bob2", chat("still?"))
    assert "retryAfter" not in refused.value.extra

    restored = RoomState(settings(), Snapshot.from_json(room.snapshot().to_json()))
    restored.join(T0, "c-bob3", identity("bob"))
    assert (person(restored, "bob")["chatMuted"], person(restored, "bob")["voiceMuted"]) == (
        True,
        True,
    )


def test_the_owner_lifts_a_mute_early() -> None:
    room = room_of("alice", "bob")
    room.handle(T0, "c-alice", control("room:mute", participantId="bob", durationMs=3_600_000))
    effects = room.handle(T0 + 1, "c-alice", control("room:unmute", participantId="bob"))
    assert sent(effects, "moderation:unmuted")[0].to == ("c-bob",)
    assert (person(room, "bob")["chatMuted"], person(room, "bob")["voiceMuted"]) == (False, False)
    assert room.next_deadline_ms() == T0 + 15_000
    assert room.handle(T0 + 2, "c-bob", chat("free again"))


def test_nobody_mutes_the_owner_or_someone_not_here_and_members_cannot_mute() -> None:
    room = room_of("alice", "bob")
    with pytest.raises(Forbidden):
        room.handle(T0, "c-alice", control("room:mute", participantId="alice"))
    with pytest.raises(NotFound):
        room.handle(T0, "c-alice", control("room:mute", participantId="mallory"))
    before = room.snapshot()
    with pytest.raises(Forbidden):
        room.handle(T0, "c-bob", control("room:mute", participantId="alice"))
    assert room.snapshot() == before


@pytest.mark.parametrize("duration", [59_999, 24 * 3_600_000 + 1, "5m"])
def test_a_mute_lasts_one_minute_to_a_day(duration: object) -> None:
    from syncwatch.errors import BadMessage

    with pytest.raises(BadMessage):
        control("room:mute", participantId="bob", durationMs=duration)


# --- shadow mutes -----------------------------------------------------------------


def test_a_shadow_muted_members_chat_reaches_only_themselves_and_they_are_not_told() -> None:
    room = room_of("alice", "bob", "carol")
    effects = room.handle(T0, "c-alice", control("room:shadow_mute", participantId="bob"))
    assert types_to(effects, "c-bob") == []
    assert types_to(effects, "c-carol") == []
    [owners_view] = sent(effects, "room:moderation")
    assert owners_view.to == ("c-alice",)
    assert owners_view.message.to_wire()["data"] == {"shadowMuted": ["bob"]}
    assert person(room, "bob")["chatMuted"] is False  # the list shows nothing

    [store] = room.handle(T0 + 1, "c-bob", chat("anyone there?", id="b1"))
    assert isinstance(store, StoreChat)
    assert (store.visible_to, store.hidden_reason) == ("bob", "shadow")
    follow = flatten(store.then)
    assert all(isinstance(e, Send) and e.to == ("c-bob",) for e in follow)
    line, ack = [e.message.to_wire() for e in follow if isinstance(e, Send)]
    assert line["data"]["content"] == "anyone there?"
    assert "hidden" not in line["data"]  # nothing tells them
    assert ack == {"type": "ack", "re": "b1", "data": {"id": store.message.id}}


def test_only_the_owners_welcome_says_who_is_shadow_muted() -> None:
    room = room_of("alice", "bob", "carol")
    room.handle(T0, "c-alice", control("room:shadow_mute", participantId="bob"))
    owner_back = room.join(T0 + 1, "c-alice2", identity("alice"))
    carol_back = room.join(T0 + 1, "c-carol2", identity("carol"))
    [owner_welcome] = [w for w in received(owner_back, "c-alice2") if w.type == "welcome"]  # type: ignore[attr-defined]
    [carol_welcome] = [w for w in received(carol_back, "c-carol2") if w.type == "welcome"]  # type: ignore[attr-defined]
    assert owner_welcome.to_wire()["data"]["moderation"] == {"shadowMuted": ["bob"]}
    assert "moderation" not in carol_welcome.to_wire()["data"]


def test_a_new_owner_learns_who_is_shadow_muted() -> None:
    room = room_of("alice", "bob", "carol")
    room.handle(T0, "c-alice", control("room:shadow_mute", participantId="carol"))
    effects = room.handle(T0, "c-alice", control("room:transfer_ownership", participantId="bob"))
    [view] = sent(effects, "room:moderation")
    assert view.to == ("c-bob",)
    assert view.message.to_wire()["data"] == {"shadowMuted": ["carol"]}


def test_lifting_a_shadow_mute_lets_the_member_be_heard_again() -> None:
    room = room_of("alice", "bob", "carol")
    room.handle(T0, "c-alice", control("room:shadow_mute", participantId="bob"))
    effects = room.handle(T0, "c-alice", control("room:shadow_unmute", participantId="bob"))
    assert sent(effects, "room:moderation")[0].message.to_wire()["data"] == {"shadowMuted": []}
    [store] = room.handle(T0 + 1, "c-bob", chat("hello?"))
    assert isinstance(store, StoreChat)
    assert store.visible_to is None
    assert sent(store.then, "chat:message")[0].to == ("c-alice", "c-bob", "c-carol")


def test_the_owner_cannot_be_shadow_muted() -> None:
    room = room_of("alice", "bob")
    with pytest.raises(Forbidden):
        room.handle(T0, "c-alice", control("room:shadow_mute", participantId="alice"))


# --- the room-wide voice mute and raised hands --------------------------------------


def test_muting_every_voice_leaves_only_the_owner_able_to_speak() -> None:
    room = room_of("alice", "bob", "carol")
    effects = room.handle(T0, "c-alice", control("room:voice_mute_all", enabled=True))
    [settings_sent] = sent(effects, "room:settings")
    assert settings_sent.message.to_wire()["data"]["voiceMutedForAll"] is True
    assert room.room_view().voice_muted_for_all is True
    speaking = {p.participant_id: not p.voice_muted for p in room.participants_view()}
    assert speaking == {"alice": True, "bob": False, "carol": False}


def test_a_raised_hand_is_seen_and_the_owner_lets_that_member_speak() -> None:
    room = room_of("alice", "bob", "carol")
    room.handle(T0, "c-alice", control("room:voice_mute_all", enabled=True))
    effects = room.handle(T0 + 1, "c-bob", control("room:raise_hand", raised=True))
    assert sent(effects, "room:participants")[0].to == ("c-alice", "c-bob", "c-carol")
    assert person(room, "bob")["handRaised"] is True

    room.handle(T0 + 2, "c-alice", control("room:allow_speaker", participantId="bob"))
    bob, carol = person(room, "bob"), person(room, "carol")
    assert (bob["voiceMuted"], bob["handRaised"]) == (False, False)
    assert carol["voiceMuted"] is True

    room.handle(
        T0 + 3, "c-alice", control("room:allow_speaker", participantId="bob", allowed=False)
    )
    assert person(room, "bob")["voiceMuted"] is True


def test_hands_are_for_the_room_wide_mute_and_are_lowered_when_it_ends() -> None:
    room = room_of("alice", "bob")
    with pytest.raises(Forbidden):
        room.handle(T0, "c-bob", control("room:raise_hand", raised=True))
    room.handle(T0, "c-alice", control("room:voice_mute_all", enabled=True))
    room.handle(T0, "c-bob", control("room:raise_hand", raised=True))
    room.handle(T0, "c-bob", control("room:raise_hand", raised=False))
    assert person(room, "bob")["handRaised"] is False
    room.handle(T0, "c-bob", control("room:raise_hand"))
    room.handle(T0, "c-alice", control("room:voice_mute_all", enabled=False))
    assert (person(room, "bob")["handRaised"], person(room, "bob")["voiceMuted"]) == (False, False)


def test_leaving_lowers_a_raised_hand() -> None:
    room = room_of("alice", "bob")
    room.handle(T0, "c-alice", control("room:voice_mute_all", enabled=True))
    room.handle(T0, "c-bob", control("room:raise_hand"))
    room.leave(T0 + 1, "c-bob")
    room.join(T0 + 2, "c-bob2", identity("bob"))
    assert person(room, "bob")["handRaised"] is False


def test_an_individual_voice_mute_holds_even_for_someone_let_speak() -> None:
    room = room_of("alice", "bob")
    room.handle(T0, "c-alice", control("room:voice_mute_all", enabled=True))
    room.handle(T0, "c-alice", control("room:allow_speaker", participantId="bob"))
    room.handle(T0, "c-alice", control("room:mute", participantId="bob", scope="voice"))
    assert person(room, "bob")["voiceMuted"] is True
