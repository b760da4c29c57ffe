"""What moderation keeps, on both engines: room access, bans that hold a device or an
address, chat lines only one person sees, invitations and reports."""

from __future__ import annotations

import json

from syncwatch.ids import new_id
from syncwatch.store.repositories import NewReport, Repositories, RoomRecord

NASTY = "'); DROP TABLE reports;--"


async def _room(repositories: Repositories, code: str = "MODR2345", **extra: object) -> RoomRecord:
    owner = await repositories.users.create(f"{code}@example.com", f"owner{code}", "h")
    return await repositories.rooms.create(
        code=code,
        name="Quiet room",
        owner_id=owner.id,
        max_participants=5,
        password_hash=None,
        playback_control="owner_only",
        auto_handover=True,
        created_at=1_000,
        expires_at=10_000,
        **extra,  # type: ignore[arg-type]
    )


async def test_a_room_is_public_and_open_to_guests_unless_created_otherwise(
    repositories: Repositories,
) -> None:
    plain = await _room(repositories)
    assert (plain.privacy, plain.guests_allowed) == ("public", True)
    assert await repositories.rooms.by_code(plain.code) == plain

    private = await _room(repositories, "PRIV2345", privacy="private", guests_allowed=False)
    found = await repositories.rooms.by_id(private.id)
    assert found is not None
    assert (found.privacy, found.guests_allowed) == ("private", False)


async def test_the_owner_changes_who_may_join_and_it_is_read_back(
    repositories: Repositories,
) -> None:
    room = await _room(repositories)
    assert await repositories.rooms.set_access(room.id, "friends_only", False) is True
    found = await repositories.rooms.by_code(room.code)
    assert found is not None
    assert (found.privacy, found.guests_allowed) == ("friends_only", False)
    assert await repositories.rooms.set_access("no-such-room", "private", True) is False


async def test_a_ban_holds_the_subject_its_device_and_for_a_while_its_address(
    repositories: Repositories,
) -> None:
    room = await _room(repositories)
    other = await _room(repositories, "OTHR2345")
    bans = repositories.bans
    await bans.ban(room.id, "guest-1", room.owner_id, 5_000, device_id="dev-1", address="10.0.0.7")

    assert await bans.is_banned(room.id, "guest-1") is True
    # A new guest identity from the same browser, or from the same address.
    assert await bans.is_banned(room.id, "guest-2", device_id="dev-1") is True
    assert await bans.is_banned(room.id, "guest-2", address="10.0.0.7") is True
    # Address bans fade: a ban older than the caller's horizon no longer counts.
    assert (
        await bans.is_banned(room.id, "guest-2", address="10.0.0.7", address_banned_since_ms=5_001)
        is False
    )
    assert await bans.is_banned(room.id, "guest-2", device_id="dev-2", address="10.0.0.8") is False
    assert await bans.is_banned(other.id, "guest-2", device_id="dev-1") is False
    # No device and no address never match a ban that has none either.
    await bans.ban(room.id, "user-9", room.owner_id, 5_000)
    assert await bans.is_banned(room.id, "someone-else") is False


async def test_banning_again_adds_a_device_learnt_since(repositories: Repositories) -> None:
    room = await _room(repositories)
    bans = repositories.bans
    assert await bans.ban(room.id, "user-1", room.owner_id, 1) is True
    assert await bans.ban(room.id, "user-1", room.owner_id, 2, device_id="dev-9") is False
    assert await bans.is_banned(room.id, "user-2", device_id="dev-9") is True
    assert await bans.unban(room.id, "user-1") is True
    assert await bans.is_banned(room.id, "user-2", device_id="dev-9") is False


async def test_a_line_for_one_person_is_read_back_only_by_them_and_in_evidence(
    repositories: Repositories,
) -> None:
    room = await _room(repositories)
    chat = repositories.chat
    public = await chat.add(room.id, "alice", "Alice", "user", "hi all", None, 1)
    shadow = await chat.add(
        room.id, "mallory", "Mallory", "user", "buy cheap pills", None, 2,
        visible_to="mallory", hidden_reason="shadow",
    )  # fmt: skip
    notice = await chat.add(
        room.id, None, None, "system", "", json.dumps({"kind": "automod"}), 3,
        visible_to="alice", hidden_reason="owner",
    )  # fmt: skip
    later = await chat.add(room.id, "bob", "Bob", "user", "hello", None, 4)

    assert await chat.recent(room.id) == [public, later]
    assert await chat.recent(room.id, viewer="bob") == [public, later]
    assert await chat.recent(room.id, viewer="mallory") == [public, shadow, later]
    assert await chat.recent(room.id, viewer="alice") == [public, notice, later]
    assert await chat.since(room.id, public.id, viewer="bob") == [later]
    assert await chat.since(room.id, public.id, viewer="mallory") == [shadow, later]
    assert await chat.since(room.id, public.id) == [later]
    assert await chat.evidence(room.id) == [public, shadow, notice, later]
    assert await chat.evidence(room.id, limit=2) == [notice, later]
    assert (shadow.visible_to, shadow.hidden_reason) == ("mallory", "shadow")


async def test_invitations_are_per_room_and_person_and_can_be_withdrawn(
    repositories: Repositories,
) -> None:
    room = await _room(repositories)
    other = await _room(repositories, "OTHR2345")
    bob = await repositories.users.create("bob@example.com", "Bob", "h")
    carol = await repositories.users.create("carol@example.com", "Carol", "h")
    invitations = repositories.invitations
    assert await invitations.invite(room.id, bob.id, room.owner_id, 10) is True
    assert await invitations.invite(room.id, bob.id, room.owner_id, 20) is False
    assert await invitations.invite(room.id, carol.id, room.owner_id, 30) is True
    assert await invitations.is_invited(room.id, bob.id) is True
    assert await invitations.is_invited(other.id, bob.id) is False
    listed = await invitations.for_room(room.id)
    assert [(i.invitee_name, i.created_at) for i in listed] == [("Bob", 10), ("Carol", 30)]
    assert await invitations.withdraw(room.id, bob.id) is True
    assert await invitations.withdraw(room.id, bob.id) is False
    assert await invitations.is_invited(room.id, bob.id) is False
    # Invitations go with the room.
    await repositories.rooms.purge(room.id)
    assert await invitations.for_room(room.id) == []


def _report(room: RoomRecord, reported: str, at: int, details: str = "") -> NewReport:
    return NewReport(
        id=new_id(),
        room_id=room.id,
        room_code=room.code,
        reporter_id="bob",
        reporter_name="Bob",
        reported_id=reported,
        reported_name="Mallory 🦊",
        reason="spam",
        details=details,
        evidence_json=json.dumps({"chat": [{"content": NASTY}]}),
        created_at=at,
    )


async def test_reports_are_kept_listed_newest_first_and_resolved_once(
    repositories: Repositories,
) -> None:
    room = await _room(repositories)
    reports = repositories.reports
    first = await reports.add(_report(room, "mallory", 100, NASTY))
    second = await reports.add(_report(room, "mallory", 200))
    third = await reports.add(_report(room, "trent", 300))

    assert await reports.get(first.id) == first
    assert first.status == "open"
    assert first.details == NASTY
    assert json.loads(first.evidence_json) == {"chat": [{"content": NASTY}]}
    assert [r.id for r in await reports.listed()] == [third.id, second.id, first.id]
    assert await reports.count_open_about("mallory") == 2

    assert await reports.resolve(second.id, "admin", "warned by mail", 400) is True
    assert await reports.resolve(second.id, "admin", "again", 500) is False
    resolved = await reports.get(second.id)
    assert resolved is not None
    assert (resolved.status, resolved.resolved_at, resolved.resolved_by, resolved.resolution) == (
        "resolved",
        400,
        "admin",
        "warned by mail",
    )
    assert [r.id for r in await reports.listed()] == [third.id, first.id]
    assert [r.id for r in await reports.listed(status="resolved")] == [second.id]
    assert len(await reports.listed(status=None)) == 3
    assert await reports.count_open_about("mallory") == 1


async def test_reports_outlive_their_room_and_are_found_by_an_id_prefix(
    repositories: Repositories,
) -> None:
    room = await _room(repositories)
    report = await repositories.reports.add(_report(room, "mallory", 100))
    await repositories.rooms.purge(room.id)
    assert await repositories.reports.get(report.id) == report
    assert await repositories.reports.find_by_prefix(report.id[:13]) == [report]
    assert await repositories.reports.find_by_prefix("%") == []
    assert await repositories.reports.find_by_prefix("_") == []
