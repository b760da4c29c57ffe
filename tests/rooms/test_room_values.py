"""The room core's values: ownership, membership and rules change only by returning new ones."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace

import pytest

from syncwatch.rooms.core.membership import Membership
from syncwatch.rooms.core.ownership import Ownership
from syncwatch.rooms.core.policy import RoomRules
from syncwatch.rooms.core.presence import AWAY_AFTER_MS, RECLAIM_WINDOW_MS, Member
from syncwatch.rooms.core.snapshot import FormerOwner
from syncwatch.rooms.core.stability import WINDOW_MS, Stability
from tests.support.rooms import T0


def member(name: str, joined: int = T0, *, heartbeat: int | None = None) -> Member:
    return Member(
        participant_id=name,
        conn_id=f"c-{name}",
        display_name=name.title(),
        is_guest=False,
        joined_at_ms=joined,
        last_heartbeat_ms=joined if heartbeat is None else heartbeat,
    )


# --- ownership -------------------------------------------------------------------


def test_failover_lets_the_away_owner_reclaim_for_60_seconds_from_when_last_seen() -> None:
    seen_at = T0 - 20_000
    ownership = Ownership("alice", last_seen_ms=seen_at, away_announced=True)
    handed = ownership.handed_over_to("bob", T0)
    assert handed.owner_id == "bob"
    assert handed.former_owner == FormerOwner("alice", seen_at)
    assert not handed.away_announced
    assert handed.reclaim_expires_at("alice", seen_at + RECLAIM_WINDOW_MS) == (
        seen_at + RECLAIM_WINDOW_MS
    )
    assert handed.reclaim_expires_at("alice", seen_at + RECLAIM_WINDOW_MS + 1) is None
    assert handed.reclaim_expires_at("carol", T0) is None
    assert ownership.owner_id == "alice"  # the original value is untouched


def test_taking_ownership_back_ends_the_right_to_reclaim_and_a_transfer_leaves_none() -> None:
    handed = Ownership("alice", last_seen_ms=T0).handed_over_to("bob", T0 + 1)
    assert handed.taken_by("alice", T0 + 2).former_owner is None
    assert handed.taken_by("carol", T0 + 2).former_owner == FormerOwner("alice", T0)
    assert handed.passed_to("carol", T0 + 2).former_owner is None


def test_an_owner_is_away_when_silent_in_the_room_or_gone_from_it_for_15_seconds() -> None:
    ownership = Ownership("alice", last_seen_ms=T0)
    present = Membership().seated(member("alice"))
    assert not ownership.is_away(present, T0 + AWAY_AFTER_MS - 1)
    assert ownership.is_away(present, T0 + AWAY_AFTER_MS)
    gone = Membership().seated(member("bob"))
    assert not ownership.is_away(gone, T0 + AWAY_AFTER_MS - 1)
    assert ownership.is_away(gone, T0 + AWAY_AFTER_MS)
    assert ownership.away_deadline_ms(gone) == T0 + AWAY_AFTER_MS
    assert ownership.announced_away().away_deadline_ms(gone) is None
    assert ownership.away_deadline_ms(present) is None  # the member's own deadline covers it


def test_a_sign_of_life_from_the_owner_rearms_the_announcement_and_the_pause() -> None:
    quiet = Ownership("alice", last_seen_ms=T0).announced_away().paused_for_absence()
    back = quiet.seen(T0 + 30_000)
    assert (back.last_seen_ms, back.away_announced, back.auto_paused) == (T0 + 30_000, False, False)
    assert Ownership("alice").watched_from(T0).last_seen_ms == T0
    assert back.watched_from(T0 + 40_000).last_seen_ms == T0 + 30_000


def test_values_cannot_be_changed_in_place() -> None:
    with pytest.raises(FrozenInstanceError):
        Ownership("alice").owner_id = "bob"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Membership().seats["bob"] = member("bob")  # type: ignore[index]


# --- membership ------------------------------------------------------------------


def test_a_reseated_member_keeps_their_place_and_only_their_new_connection_counts() -> None:
    seats = Membership().seated(member("carol", T0 + 2)).seated(member("alice", T0))
    seats = seats.seated(member("bob", T0 + 1))
    assert [m.participant_id for m in seats.ordered()] == ["alice", "bob", "carol"]
    reconnected = seats.seated(replace(member("alice", T0), conn_id="c-alice-2"))
    assert reconnected.conn_ids() == ("c-alice-2", "c-bob", "c-carol")
    assert reconnected.for_conn("c-alice") is None
    assert reconnected.for_conn("c-alice-2") == reconnected.get("alice")
    assert len(seats.without("bob")) == 2
    assert "bob" in seats
    assert "bob" not in seats.without("bob")


def test_only_members_not_yet_away_go_silent_and_present_ones_are_candidates() -> None:
    seats = (
        Membership()
        .seated(member("alice", T0, heartbeat=T0 + 10_000))
        .seated(member("bob", T0 + 1))
        .seated(replace(member("carol", T0 + 2), away=True))
    )
    now = T0 + AWAY_AFTER_MS + 1
    assert [m.participant_id for m in seats.newly_silent(now)] == ["bob"]
    assert [m.participant_id for m in seats.present(excluding="alice")] == ["bob"]
    assert sorted(seats.away_deadlines_ms()) == [T0 + 1 + AWAY_AFTER_MS, T0 + 25_000]


# --- rules -----------------------------------------------------------------------


def test_a_ban_takes_back_a_grant_and_grants_outlive_a_change_of_mode() -> None:
    rules = RoomRules("selected", auto_handover=True).granting("bob").granting("carol")
    assert rules.can_control("bob", owner_id="alice")
    banned = rules.banning("bob")
    assert banned.is_banned("bob")
    assert not banned.can_control("bob", owner_id="alice")
    round_trip = rules.changed(playback_control="owner_only").changed(playback_control="selected")
    assert round_trip.can_control("carol", owner_id="alice")
    assert not rules.changed(playback_control="owner_only").can_control("carol", owner_id="alice")
    assert rules.changed(auto_handover=False) == replace(rules, auto_handover=False)
    assert rules.changed() == rules


def test_connection_stability_counts_only_the_last_five_minutes_and_64_samples() -> None:
    stability = Stability()
    for n in range(100):  # a ping every 2 s: the last 64 samples are kept
        stability = stability.with_rtt("ann", n * 2_000, float(n))
    kept = stability.record("ann").rtts
    assert [rtt for _, rtt in kept] == [float(n) for n in range(36, 100)]
    stability = stability.with_reconnect("ann", 200_000)
    # Ten minutes later one more sample: everything older than five minutes is gone.
    later = 200_000 + 2 * WINDOW_MS
    stability = stability.with_rtt("ann", later, 7.0)
    record = stability.record("ann")
    assert record.rtts == ((later, 7.0),)
    assert record.reconnects == ()
    assert record.rtt_variance() is None
