"""The admission rule itself (`rooms.admission.refusal`), every preset against every kind of
person: pure, no store (the store's side is tests/ws/test_room_admission.py)."""

from __future__ import annotations

import pytest

from syncwatch.auth.identity import Caller
from syncwatch.rooms.admission import Facts, refusal
from syncwatch.store.repositories import RoomRecord

MEMBER = Caller("u-bob", "bob", is_guest=False)
GUEST = Caller("guest-1", "Visitor", is_guest=True)
NOBODY = Facts(banned=False, friend_of_owner=False, invited=False)
FRIEND = Facts(banned=False, friend_of_owner=True, invited=False)
INVITED = Facts(banned=False, friend_of_owner=False, invited=True)
BANNED_FRIEND = Facts(banned=True, friend_of_owner=True, invited=True)


def room(privacy: str = "public", guests_allowed: bool = True) -> RoomRecord:
    return RoomRecord(
        id="r-1",
        code="K7QW3MZP",
        name="Film club",
        owner_id="u-ann",
        max_participants=5,
        password_hash=None,
        playback_control="owner_only",
        auto_handover=True,
        created_at=0,
        expires_at=1,
        last_active_at=0,
        deleted_at=None,
        privacy=privacy,
        guests_allowed=guests_allowed,
    )


def code_of(privacy: str, caller: Caller, facts: Facts, guests_allowed: bool = True) -> str | None:
    refused = refusal(room(privacy, guests_allowed), caller, facts)
    return None if refused is None else refused.code


@pytest.mark.parametrize(
    ("privacy", "caller", "facts", "expected"),
    [
        ("public", MEMBER, NOBODY, None),
        ("public", GUEST, NOBODY, None),
        ("anonymous", MEMBER, NOBODY, None),
        ("anonymous", GUEST, NOBODY, None),
        ("friends_only", MEMBER, NOBODY, "friends_only"),
        ("friends_only", MEMBER, FRIEND, None),
        ("friends_only", MEMBER, INVITED, None),
        ("friends_only", GUEST, NOBODY, "guests_not_allowed"),
        ("private", MEMBER, NOBODY, "invitation_required"),
        ("private", MEMBER, FRIEND, "invitation_required"),
        ("private", MEMBER, INVITED, None),
        ("private", GUEST, NOBODY, "guests_not_allowed"),
    ],
)
def test_who_each_preset_admits(
    privacy: str, caller: Caller, facts: Facts, expected: str | None
) -> None:
    assert code_of(privacy, caller, facts) == expected


@pytest.mark.parametrize("privacy", ["public", "friends_only", "private", "anonymous"])
def test_a_ban_outweighs_friendship_and_invitation_in_every_preset(privacy: str) -> None:
    assert code_of(privacy, MEMBER, BANNED_FRIEND) == "banned"


@pytest.mark.parametrize("privacy", ["public", "anonymous"])
def test_a_room_that_refuses_guests_admits_signed_in_people(privacy: str) -> None:
    assert code_of(privacy, GUEST, NOBODY, guests_allowed=False) == "guests_not_allowed"
    assert code_of(privacy, MEMBER, NOBODY, guests_allowed=False) is None


def test_every_refusal_closes_the_socket_with_4003() -> None:
    for privacy, caller, facts in [
        ("private", MEMBER, NOBODY),
        ("friends_only", MEMBER, NOBODY),
        ("public", GUEST, BANNED_FRIEND),
        ("public", GUEST, NOBODY),
    ]:
        refused = refusal(room(privacy, guests_allowed=False), caller, facts)
        assert refused is not None
        assert (refused.status, int(refused.close_code)) == (403, 4003)
