"""What friends see of a user whose sockets are spread over several instances
(`presence.combined`, ADR 0016): pure rules, one part per instance."""

from __future__ import annotations

from syncwatch.social.presence import AWAY_AFTER_S, Contribution, RoomActivity, combined

NOW = 1_800_000_000_000
ROOM = RoomActivity("FRIDAYXX", "Friday film", 3, 10, "public")
PRIVATE = RoomActivity("SECRETXX", "Secret", 2, 10, "private")


def part(**fields: object) -> Contribution:
    values: dict[str, object] = {
        "username": "ann",
        "connected": True,
        "last_active_ms": NOW,
        "chosen": "online",
        "chosen_at_ms": 0,
    }
    values.update(fields)
    return Contribution(**values)  # type: ignore[arg-type]


def test_online_while_any_instance_holds_a_socket_and_offline_only_when_none_does() -> None:
    assert combined([part(connected=False), part()], NOW) == ("online", None)
    assert combined([part(connected=False, activity=ROOM)], NOW) == ("offline", None)
    assert combined([], NOW) is None


def test_away_only_when_idle_on_every_instance() -> None:
    idle = NOW - AWAY_AFTER_S * 1000
    assert combined([part(last_active_ms=idle), part(last_active_ms=NOW - 1000)], NOW) == (
        "online",
        None,
    )
    assert combined([part(last_active_ms=idle), part(last_active_ms=idle - 5)], NOW) == (
        "away",
        None,
    )


def test_the_status_chosen_last_wins_whichever_instance_heard_it() -> None:
    earlier = part(chosen="online", chosen_at_ms=NOW - 5000)
    later = part(chosen="busy", chosen_at_ms=NOW - 10)
    assert combined([earlier, later], NOW) == ("busy", None)
    assert combined([later, part(chosen="invisible", chosen_at_ms=NOW)], NOW) == (
        "offline",
        None,
    )


def test_the_room_entered_last_is_shown_unless_it_is_private() -> None:
    # The room socket may be on another instance than the /ws/me one.
    in_room = part(connected=False, activity=ROOM, entered_at_ms=NOW - 100)
    assert combined([part(), in_room], NOW) == ("online", ROOM)
    hidden = part(connected=False, activity=PRIVATE, entered_at_ms=NOW - 50)
    assert combined([part(), in_room, hidden], NOW) == ("online", None)


def test_a_part_survives_its_encoding_and_garbage_is_ignored() -> None:
    sent = part(activity=ROOM, entered_at_ms=NOW - 100, chosen="busy", chosen_at_ms=NOW - 1)
    assert Contribution.decode(sent.encode()) == sent
    assert Contribution.decode(b"not json") is None
    assert Contribution.decode(b'{"n": "ann"}') is None
