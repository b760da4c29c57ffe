"""The automatic moderator in the pure room core: its rules, and warn → hide → mute."""

from __future__ import annotations

import json
from typing import Any

import pytest

from syncwatch.errors import BadMessage, ChatMuted
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.automod import Automod, AutomodSettings, Blocklist
from syncwatch.rooms.core.effects import Audit, Effect, Send, StoreChat
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, flatten, frame, identity, new_room, sent

BLOCKLIST = ("badword", "very rude phrase")


def room_of(*names: str) -> RoomState:
    room = new_room(blocklist=BLOCKLIST)
    for name in names:
        room.join(T0, f"c-{name}", identity(name))
    return room


def chat(content: str) -> m.ChatSend:
    return m.ChatSend(id="m", type="chat:message", data=m.ChatData(content=content))


def say(room: RoomState, at: int, who: str, content: str) -> list[Effect]:
    return room.handle(at, f"c-{who}", chat(content))


def outcome(effects: list[Effect]) -> dict[str, Any]:
    """Who received the line, what the writer was told and what the owner read."""
    store = next(e for e in effects if isinstance(e, StoreChat) and e.message.kind == "user")
    line = sent(store.then, "chat:message")[0]
    warnings = [s.message.to_wire()["data"] for s in sent(effects, "moderation:warning")]
    notices = [e for e in effects if isinstance(e, StoreChat) and e.message.kind == "system"]
    return {
        "line_to": line.to,
        "visible_to": store.visible_to,
        "hidden": line.message.to_wire()["data"].get("hidden", False),
        "warning": warnings[0] if warnings else None,
        "owner_notice": [
            (n.visible_to, n.message.event.to_wire() if n.message.event else None) for n in notices
        ],
        "audit": [a.event_type for a in flatten(effects) if isinstance(a, Audit)],
    }


def test_a_third_identical_message_within_a_minute_is_warned_but_still_sent() -> None:
    room = room_of("alice", "bob", "carol")
    say(room, T0, "bob", "Buy now!")
    say(room, T0 + 10_000, "bob", "buy   NOW!")
    seen = outcome(say(room, T0 + 20_000, "bob", "Buy now!"))
    assert seen["line_to"] == ("c-alice", "c-bob", "c-carol")
    assert seen["visible_to"] is None
    assert seen["warning"] == {
        "rule": "repeats",
        "action": "warn",
        "message": "Please don't repeat the same message.",
    }
    # A line only the owner reads, stored for them alone.
    assert seen["owner_notice"] == [
        (
            "alice",
            {
                "kind": "automod",
                "userId": "bob",
                "username": "Bob",
                "action": "warn",
                "rule": "repeats",
            },
        )
    ]
    assert seen["audit"] == ["automod.warn"]


def test_strikes_escalate_from_warning_to_hiding_to_a_five_minute_mute() -> None:
    room = room_of("alice", "bob", "carol")
    for n in range(2):
        say(room, T0 + n, "bob", "spam")
    assert outcome(say(room, T0 + 2, "bob", "spam"))["warning"]["action"] == "warn"

    hidden = outcome(say(room, T0 + 3, "bob", "spam"))
    assert hidden["warning"]["action"] == "hide"
    assert hidden["line_to"] == ("c-bob",)
    assert hidden["visible_to"] == "bob"
    assert hidden["hidden"] is True  # its author is told it was hidden
    assert hidden["audit"] == ["automod.hide"]

    effects = say(room, T0 + 4, "bob", "spam")
    muted = outcome(effects)
    assert muted["warning"]["action"] == "mute"
    assert muted["line_to"] == ("c-bob",)
    [told] = sent(effects, "moderation:muted")
    assert told.message.to_wire()["data"] == {
        "scope": "chat",
        "until": T0 + 4 + 300_000,
        "by": "automod",
    }
    assert muted["audit"] == ["moderation.muted", "automod.mute"]
    with pytest.raises(ChatMuted):
        say(room, T0 + 5, "bob", "hello?")
    # The mute ends after five minutes, like any timed mute.
    ended = room.tick(T0 + 4 + 300_000)
    assert sent(ended, "moderation:unmuted")[0].to == ("c-bob",)
    assert outcome(say(room, T0 + 4 + 300_000, "bob", "sorry"))["warning"] is None


def test_strikes_are_forgotten_after_ten_minutes() -> None:
    room = room_of("alice", "bob")
    for n in range(4):
        say(room, T0 + n, "bob", "again")
    later = T0 + 11 * 60_000
    for n in range(2):
        say(room, later + n, "bob", "again")
    assert outcome(say(room, later + 2, "bob", "again"))["warning"]["action"] == "warn"


def test_more_than_three_links_in_a_minute_is_link_spam() -> None:
    room = room_of("alice", "bob")
    clean = outcome(say(room, T0, "bob", "see https://a.example and www.b.example"))
    assert clean["warning"] is None
    spam = outcome(say(room, T0 + 1, "bob", "and https://c.example, http://d.example"))
    assert spam["warning"]["rule"] == "links"


def test_more_than_ten_messages_in_ten_seconds_is_a_flood() -> None:
    room = room_of("alice", "bob")
    for n in range(10):
        assert outcome(say(room, T0 + n * 500, "bob", f"line {n}"))["warning"] is None
    assert outcome(say(room, T0 + 5_000, "bob", "line 10"))["warning"]["rule"] == "flood"


def test_a_blocklisted_word_is_hidden_from_the_first_strike() -> None:
    room = room_of("alice", "bob", "carol")
    fullwidth = "".join(chr(ord(c) - ord("A") + 0xFF21) for c in "BADWORD")
    seen = outcome(say(room, T0, "bob", f"you are a {fullwidth}!"))
    assert (seen["warning"]["rule"], seen["warning"]["action"]) == ("blocklist", "hide")
    assert seen["line_to"] == ("c-bob",)
    phrase = outcome(say(room, T0 + 1, "bob", "what a Very  rude\nphrase"))
    assert phrase["warning"]["rule"] == "blocklist"


def test_the_blocklist_matches_whole_words_only() -> None:
    blocklist = Blocklist(BLOCKLIST)
    assert blocklist.matches("BadWord")
    assert not blocklist.matches("badwords are fine")
    assert not blocklist.matches("very rude")
    assert not Blocklist(["", "  "])


def test_the_owner_is_not_moderated_by_the_automod() -> None:
    room = room_of("alice", "bob")
    for n in range(5):
        assert outcome(say(room, T0 + n, "alice", "badword"))["warning"] is None


def test_the_owner_turns_a_rule_off_or_the_whole_automod() -> None:
    room = room_of("alice", "bob")
    settings = frame(
        json.dumps({"type": "room:settings", "id": "s", "data": {"automod": {"repeats": False}}})
    )
    effects = room.handle(T0, "c-alice", settings)
    [changed] = sent(effects, "room:settings")
    assert changed.message.to_wire()["data"]["automod"]["repeats"] is False
    for n in range(5):
        assert outcome(say(room, T0 + n, "bob", "same"))["warning"] is None

    off = frame(
        json.dumps({"type": "room:settings", "id": "s", "data": {"automod": {"enabled": False}}})
    )
    room.handle(T0, "c-alice", off)
    assert outcome(say(room, T0 + 10, "bob", "badword"))["warning"] is None
    assert room.room_view().automod is not None
    assert room.room_view().automod.enabled is False


def test_the_owner_adjusts_a_threshold_within_bounds() -> None:
    room = room_of("alice", "bob")
    room.handle(
        T0,
        "c-alice",
        frame(json.dumps({"type": "room:settings", "data": {"automod": {"repeatLimit": 2}}})),
    )
    say(room, T0, "bob", "twice")
    assert outcome(say(room, T0 + 1, "bob", "twice"))["warning"]["rule"] == "repeats"
    with pytest.raises(BadMessage):
        frame(json.dumps({"type": "room:settings", "data": {"automod": {"repeatLimit": 1}}}))
    assert AutomodSettings().changed(flood_limit=500).flood_limit == 30


def test_automod_settings_survive_a_restart() -> None:
    from syncwatch.rooms.core.snapshot import Snapshot

    room = room_of("alice")
    room.handle(
        T0,
        "c-alice",
        frame(json.dumps({"type": "room:settings", "data": {"automod": {"links": False}}})),
    )
    restored = Snapshot.from_json(room.snapshot().to_json())
    assert restored.automod == AutomodSettings(links=False)


def test_an_automod_notice_waits_for_an_absent_owner_in_the_history() -> None:
    room = room_of("alice", "bob")
    room.leave(T0, "c-alice")
    for n in range(3):
        effects = say(room, T0 + n, "bob", "same thing")
    notice = next(e for e in effects if isinstance(e, StoreChat) and e.message.kind == "system")
    assert notice.visible_to == "alice"
    assert notice.then == ()  # nobody to send it to now; the owner reads it on return


def test_the_memory_of_the_automod_is_bounded() -> None:
    automod = Automod()
    for n in range(1000):
        automod.judge(AutomodSettings(flood=False), "bob", f"m{n}", T0 + n)
    assert len(automod._written["bob"]) <= 64


def test_sent_lines_of_others_are_unaffected_by_one_members_strikes() -> None:
    room = room_of("alice", "bob", "carol")
    for n in range(5):
        say(room, T0 + n, "bob", "spam")
    seen = outcome(say(room, T0 + 10, "carol", "spam"))
    assert seen["warning"] is None
    assert isinstance(sent(say(room, T0 + 11, "carol", "hi"), "chat:message")[0], Send)
