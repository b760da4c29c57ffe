"""Chat rules, the voice session, and the owner's controls."""

from __future__ import annotations

import json

import pytest

from syncwatch.errors import Forbidden, NotFound, NotOwner, RateLimited, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.effects import Audit, Close, PersistBan, SaveSnapshot, Send, StoreChat
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, frame, identity, new_room, sent, settings, types_for


def room_of(*names: str, **overrides: object) -> RoomState:
    room = new_room(**overrides)
    for name in names:
        guest = name.startswith("guest")
        room.join(T0, f"c-{name}", identity(name, guest=guest))
    return room


def chat(content: str, id: str | None = "m1") -> m.ChatSend:
    return m.ChatSend(id=id, type="chat:message", data=m.ChatData(content=content))


def target(message_type: str, who: str) -> m.RoomMessage:
    return frame(json.dumps({"type": message_type, "id": "t", "data": {"participantId": who}}))


# --- chat ------------------------------------------------------------------------


def test_chat_is_stored_before_it_is_broadcast_and_acked() -> None:
    room = room_of("alice", "bob")
    [store] = room.handle(T0, "c-bob", chat("  hello  "))
    assert isinstance(store, StoreChat)
    assert store.message.content == "hello"
    assert store.message.user_id == "bob"
    broadcast, ack = store.then
    assert isinstance(broadcast, Send)
    assert broadcast.to == ("c-alice", "c-bob")
    assert isinstance(ack, Send)
    assert ack.message.data == {"id": store.message.id}  # type: ignore[union-attr]


def test_guests_cannot_chat() -> None:
    room = room_of("alice", "guest-fox")
    with pytest.raises(Forbidden):
        room.handle(T0, "c-guest-fox", chat("hi"))


@pytest.mark.parametrize("content", ["", "   ", "x" * 2001])
def test_chat_must_be_1_to_2000_characters_after_trim(content: str) -> None:
    room = room_of("alice")
    with pytest.raises(ValidationFailed):
        room.handle(T0, "c-alice", chat(content))


def test_2000_characters_are_accepted() -> None:
    room = room_of("alice")
    assert room.handle(T0, "c-alice", chat("x" * 2000))


def test_the_31st_message_within_60_seconds_is_rate_limited() -> None:
    room = room_of("alice", "bob")
    for n in range(30):
        room.handle(T0 + n * 1_000, "c-alice", chat(f"line {n}"))
    with pytest.raises(RateLimited) as caught:
        room.handle(T0 + 30_000, "c-alice", chat("one too many"))
    assert caught.value.retry_after == 30
    room.handle(T0 + 30_000, "c-bob", chat("others may still talk"))
    room.handle(T0 + 60_000, "c-alice", chat("the window slid"))


# --- voice -----------------------------------------------------------------------


def voice_join() -> m.VoiceJoin:
    return m.VoiceJoin(id="vj", type="voice:join")


def signal(to: str) -> m.VoiceSignal:
    return m.VoiceSignal(
        id="vs",
        type="voice:signal",
        data=m.VoiceSignalData(target_id=to, signal={"type": "offer", "sdp": "v=0"}),
    )


def test_joining_voice_lists_peers_and_announces_the_joiner() -> None:
    room = room_of("alice", "bob", "carol")
    room.handle(T0, "c-alice", voice_join())
    effects = room.handle(T0, "c-bob", voice_join())
    peers = sent(effects, "voice:peers")[0]
    assert peers.to == ("c-bob",)
    assert peers.message.data.peers == ["alice"]  # type: ignore[attr-defined]
    assert types_for(effects, "c-alice")[0] == "voice:peer:joined"
    assert "voice:peer:joined" not in types_for(effects, "c-carol")


def test_signals_are_relayed_only_inside_the_voice_session() -> None:
    room = room_of("alice", "bob", "carol")
    room.handle(T0, "c-alice", voice_join())
    room.handle(T0, "c-bob", voice_join())
    relayed = room.handle(T0, "c-alice", signal("bob"))
    assert relayed[0].to == ("c-bob",)  # type: ignore[union-attr]
    assert relayed[0].message.data.from_id == "alice"  # type: ignore[union-attr]
    with pytest.raises(Forbidden):
        room.handle(T0, "c-alice", signal("carol"))  # carol is not in voice
    with pytest.raises(Forbidden):
        room.handle(T0, "c-carol", signal("alice"))  # the sender is not in voice
    with pytest.raises(Forbidden):
        room.handle(T0, "c-alice", signal("mallory"))  # not in this room at all


def test_leaving_the_room_leaves_voice() -> None:
    room = room_of("alice", "bob")
    room.handle(T0, "c-alice", voice_join())
    room.handle(T0, "c-bob", voice_join())
    effects = room.leave(T0, "c-bob")
    assert types_for(effects, "c-alice")[0] == "voice:peer:left"


# --- owner controls ----------------------------------------------------------------


def test_the_owner_can_kick_a_member() -> None:
    room = room_of("alice", "bob")
    effects = room.handle(T0, "c-alice", target("room:kick", "bob"))
    assert Close("c-bob", 4003, "kicked") in effects
    assert [mm.participant_id for mm in room.members] == ["alice"]
    assert any(isinstance(e, Audit) and e.event_type == "participant.kicked" for e in effects)
    room.join(T0 + 1, "c-bob2", identity("bob"))  # a kick is not a ban


def test_only_the_owner_can_kick_and_the_owner_can_never_be_kicked() -> None:
    room = room_of("alice", "bob", "carol")
    with pytest.raises(NotOwner):
        room.handle(T0, "c-bob", target("room:kick", "carol"))
    with pytest.raises(Forbidden):
        room.handle(T0, "c-alice", target("room:kick", "alice"))
    with pytest.raises(Forbidden):
        room.handle(T0, "c-alice", target("room:ban", "alice"))
    with pytest.raises(NotFound):
        room.handle(T0, "c-alice", target("room:kick", "nobody"))


def test_a_ban_closes_the_connection_and_is_persisted() -> None:
    room = room_of("alice", "bob")
    effects = room.handle(T0, "c-alice", target("room:ban", "bob"))
    assert PersistBan("room-1", "bob", "alice", T0) in effects
    assert Close("c-bob", 4003, "banned") in effects
    assert "bob" in next(e for e in effects if isinstance(e, SaveSnapshot)).snapshot.bans


def test_transfer_makes_the_target_owner_without_right_to_reclaim() -> None:
    room = room_of("alice", "bob")
    effects = room.handle(T0, "c-alice", target("room:transfer_ownership", "bob"))
    assert room.owner_id == "bob"
    assert sent(effects, "room:owner_changed")[0].message.data.reason == "transfer"  # type: ignore[attr-defined]
    with pytest.raises(Forbidden):
        room.handle(T0, "c-alice", m.ReclaimOwnership(id="r", type="room:reclaim_ownership"))


def test_settings_change_the_policy_for_everyone() -> None:
    room = room_of("alice", "bob")
    change = m.ChangeSettings(
        id="s", type="room:settings", data=m.SettingsData(playback_control="all")
    )
    effects = room.handle(T0, "c-alice", change)
    assert sent(effects, "room:settings")[0].to == ("c-alice", "c-bob")
    assert next(p for p in room.participants_view() if p.participant_id == "bob").can_control
    with pytest.raises(NotOwner):
        room.handle(T0, "c-bob", change)


def test_owner_can_make_voice_relay_only_for_the_room_and_it_survives_a_restart() -> None:
    from syncwatch.rooms.core.snapshot import Snapshot

    room = RoomState(settings())
    room.join(T0, "c-alice", identity("alice"))
    room.join(T0, "c-bob", identity("bob"))
    frame_text = '{"type":"room:settings","id":"s1","data":{"voiceRelayOnly":true}}'
    effects = room.handle(T0 + 1, "c-alice", m.parse_client_frame(frame_text))  # type: ignore[arg-type]
    changed = [
        e.message for e in effects if isinstance(e, Send) and e.message.type == "room:settings"
    ]
    assert changed
    assert changed[0].data.voice_relay_only is True
    assert room.room_view().voice_relay_only is True
    restored = RoomState(settings(), Snapshot.from_json(room.snapshot().to_json()))
    assert restored.room_view().voice_relay_only is True
    refused = '{"type":"room:settings","id":"s2","data":{"voiceRelayOnly":false}}'
    with pytest.raises(Forbidden):
        room.handle(T0 + 2, "c-bob", m.parse_client_frame(refused))  # type: ignore[arg-type]
