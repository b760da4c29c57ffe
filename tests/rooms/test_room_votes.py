"""Votes to pause or resume: a majority of the members present, 20 s, one at a time."""

from __future__ import annotations

import pytest

from syncwatch.errors import Conflict, NotFound
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, heartbeat, identity, new_room, play, sent, source


def playing_room(*names: str) -> RoomState:
    room = new_room()
    for offset, name in enumerate(names):
        room.join(T0 + offset, f"c-{name}", identity(name))
    room.handle(T0 + 10, "c-alice", source())
    room.handle(T0 + 20, "c-alice", play())
    return room


def start(action: str = "pause") -> m.StartVote:
    return m.StartVote(id="v", type="room:vote_start", data=m.VoteStartData(action=action))  # type: ignore[arg-type]


def cast(vote_id: str, yes: bool) -> m.CastVote:
    return m.CastVote(id="c", type="room:vote", data=m.VoteData(vote_id=vote_id, yes=yes))


def votes(effects: list) -> list[dict]:  # type: ignore[type-arg]
    return [s.message.data.to_wire() for s in sent(effects, "room:vote")]  # type: ignore[attr-defined]


def test_any_member_starts_a_vote_and_a_majority_of_those_present_pauses_the_room() -> None:
    room = playing_room("alice", "bob", "carol", "dave")
    effects = room.handle(T0 + 1_000, "c-bob", start())
    [opened] = votes(effects)
    assert opened["status"] == "open"
    assert (opened["yes"], opened["needed"], opened["eligible"]) == (["bob"], 3, 4)
    assert opened["endsAt"] == T0 + 1_000 + 20_000
    vote_id = opened["voteId"]
    assert votes(room.handle(T0 + 2_000, "c-carol", cast(vote_id, True)))[0]["status"] == "open"
    effects = room.handle(T0 + 3_000, "c-dave", cast(vote_id, True))
    assert votes(effects)[0]["status"] == "passed"
    [command] = sent(effects, "sync:command")
    assert command.message.data.type == "PAUSE"  # type: ignore[attr-defined]
    assert command.message.data.issued_by == "system"  # type: ignore[attr-defined]
    assert not room.playback.is_playing


def test_a_vote_fails_as_soon_as_a_majority_can_no_longer_be_reached() -> None:
    room = playing_room("alice", "bob", "carol")
    vote_id = votes(room.handle(T0 + 1_000, "c-bob", start()))[0]["voteId"]
    effects = room.handle(T0 + 2_000, "c-alice", cast(vote_id, False))
    assert votes(effects)[0]["status"] == "open"
    effects = room.handle(T0 + 3_000, "c-carol", cast(vote_id, False))
    assert votes(effects)[0]["status"] == "failed"
    assert not sent(effects, "sync:command")
    assert room.playback.is_playing


def test_a_vote_expires_after_20_seconds() -> None:
    room = playing_room("alice", "bob", "carol")
    room.handle(T0 + 1_000, "c-bob", start())
    for name in ("alice", "bob", "carol"):
        room.handle(T0 + 10_000, f"c-{name}", heartbeat())
    assert room.next_deadline_ms() == T0 + 21_000
    assert not votes(room.tick(T0 + 20_999))
    [ended] = votes(room.tick(T0 + 21_000))
    assert ended["status"] == "expired"
    assert room.playback.is_playing
    # The next vote may start now.
    assert votes(room.handle(T0 + 22_000, "c-carol", start()))[0]["status"] == "open"


def test_one_vote_at_a_time() -> None:
    room = playing_room("alice", "bob", "carol")
    room.handle(T0 + 1_000, "c-bob", start())
    with pytest.raises(Conflict):
        room.handle(T0 + 2_000, "c-carol", start())


def test_members_away_do_not_count_towards_the_majority() -> None:
    room = playing_room("alice", "bob", "carol")
    for name in ("alice", "bob"):
        room.handle(T0 + 10_000, f"c-{name}", heartbeat())
    room.tick(T0 + 15_010)  # carol is silent: away
    effects = room.handle(T0 + 16_000, "c-bob", start())
    [opened] = votes(effects)
    assert (opened["needed"], opened["eligible"]) == (2, 2)
    effects = room.handle(T0 + 17_000, "c-alice", cast(opened["voteId"], True))
    assert votes(effects)[0]["status"] == "passed"


def test_a_vote_to_resume_plays_and_an_ended_vote_cannot_be_answered() -> None:
    room = playing_room("alice", "bob")
    room.handle(T0 + 500, "c-alice", m.SyncPause(id="p", type="sync:pause"))
    with pytest.raises(Conflict):
        room.handle(T0 + 600, "c-bob", start("pause"))
    vote_id = votes(room.handle(T0 + 1_000, "c-bob", start("resume")))[0]["voteId"]
    effects = room.handle(T0 + 2_000, "c-alice", cast(vote_id, True))
    assert [s.message.data.type for s in sent(effects, "sync:command")] == ["PLAY"]  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        room.handle(T0 + 3_000, "c-alice", cast(vote_id, True))


def test_someone_leaving_can_decide_the_vote() -> None:
    room = playing_room("alice", "bob", "carol", "dave")
    vote_id = votes(room.handle(T0 + 1_000, "c-bob", start()))[0]["voteId"]
    room.handle(T0 + 1_500, "c-alice", cast(vote_id, True))
    effects = room.leave(T0 + 2_000, "c-dave")  # 2 of 3 present now: a majority
    assert votes(effects)[0]["status"] == "passed"
