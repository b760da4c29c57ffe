"""Emoji reactions: the quick set, rate-limited per member, stored with the room's media time."""

from __future__ import annotations

import pytest
import trio
import trio.testing

from syncwatch.errors import NoSource, RateLimited, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.effects import StoreReaction
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.core.state import RoomState
from tests.support.room_actors import FakeOutlet, World, frame
from tests.support.rooms import T0, identity, new_room, play, sent, source


def react(emoji: str = "😂", id: str | None = "r") -> m.SendReaction:
    return m.SendReaction(id=id, type="reaction:send", data=m.ReactionData(emoji=emoji))


def room_with_video() -> RoomState:
    room = new_room()
    room.join(T0, "c-alice", identity("alice"))
    room.join(T0 + 1, "c-bob", identity("bob"))
    room.handle(T0 + 10, "c-alice", source())
    return room


def test_a_reaction_is_stored_with_the_rooms_media_time_then_sent_to_everyone() -> None:
    room = room_with_video()
    room.handle(T0 + 1_000, "c-alice", play())
    at = room.playback.anchor_server_time_ms
    [store] = room.handle(at + 12_345, "c-bob", react("🔥"))
    assert isinstance(store, StoreReaction)
    reaction = store.reaction
    assert (reaction.emoji, reaction.participant_id, reaction.username) == ("🔥", "bob", "Bob")
    assert reaction.media_time_ms == 12_345
    assert reaction.source_id == "vid-1"
    [broadcast] = sent(store.then, "reaction:new")
    assert set(broadcast.to) == {"c-alice", "c-bob"}
    [ack] = sent(store.then, "ack")
    assert ack.message.data == {"reactionId": reaction.id, "mediaTimeMs": 12_345}  # type: ignore[attr-defined]


def test_only_the_quick_reactions_are_accepted() -> None:
    room = room_with_video()
    with pytest.raises(ValidationFailed):
        room.handle(T0 + 1_000, "c-bob", react("💩"))
    bare = new_room()
    bare.join(T0, "c-alice", identity("alice"))
    with pytest.raises(NoSource):
        bare.handle(T0 + 1, "c-alice", react())


def test_a_member_sends_at_most_8_reactions_in_10_seconds() -> None:
    room = room_with_video()
    for n in range(8):
        room.handle(T0 + 1_000 + n, "c-bob", react())
    with pytest.raises(RateLimited) as refused:
        room.handle(T0 + 1_100, "c-bob", react())
    assert 9 <= refused.value.extra["retryAfter"] <= 10
    room.handle(T0 + 1_100, "c-alice", react())  # another member is not held back
    room.handle(T0 + 11_000, "c-bob", react())  # the window moved on


async def test_a_reaction_reaches_the_other_member_and_a_later_joiner_sees_it_in_the_welcome(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    owner, bob = FakeOutlet(), FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    await room.join(bob, Joiner("bob", "Bob", False))
    room.submit(
        owner.conn_id,
        frame(
            '{"type":"sync:source","id":"s","data":{"sourceType":"url","url":"https://e.org/v.mp4"}}'
        ),
    )
    await owner.reply_to("s")
    room.submit(bob.conn_id, frame('{"type":"reaction:send","id":"r1","data":{"emoji":"👏"}}'))
    ack = await bob.reply_to("r1")
    assert ack["type"] == "ack"
    _, seen = await owner.wait_for("reaction:new")
    assert seen["data"]["emoji"] == "👏"
    assert seen["data"]["username"] == "Bob"

    later = FakeOutlet()
    await room.join(later, Joiner("cat", "Cat", False))
    _, welcome = await later.wait_for("welcome")
    assert [r["emoji"] for r in welcome["data"]["reactions"]] == ["👏"]
