"""Users and refresh tokens, on both engines."""

from __future__ import annotations

import pytest
import trio

from syncwatch.errors import EmailTaken, UsernameTaken
from syncwatch.ids import new_id
from syncwatch.store.repositories import Repositories

NASTY = "'); DROP TABLE users;--"


async def test_a_user_is_found_by_id_email_or_username_in_any_case(
    repositories: Repositories,
) -> None:
    created = await repositories.users.create("Alice@Example.COM", "AliceW", "hash-1")
    assert created.email == "alice@example.com"
    assert created.username == "AliceW"

    assert await repositories.users.by_id(created.id) == created
    assert await repositories.users.by_login("ALICE@example.com") == created
    assert await repositories.users.by_login("alicew") == created
    assert await repositories.users.by_login("  ALICEW ") == created
    assert await repositories.users.by_username("aLiCeW") == created
    assert await repositories.users.by_login("nobody") is None
    assert await repositories.users.by_id(new_id()) is None


async def test_taken_email_and_username_are_told_apart(repositories: Repositories) -> None:
    await repositories.users.create("alice@example.com", "Alice", "h")
    with pytest.raises(EmailTaken):
        await repositories.users.create("ALICE@example.com", "Someone", "h")
    with pytest.raises(UsernameTaken):
        await repositories.users.create("other@example.com", "aLICE", "h")


async def test_two_concurrent_registrations_of_one_name_let_exactly_one_win(
    repositories: Repositories,
) -> None:
    outcomes: list[str] = []

    async def register(email: str, username: str) -> None:
        try:
            await repositories.users.create(email, username, "h")
        except UsernameTaken:
            outcomes.append("taken")
        else:
            outcomes.append("created")

    async with trio.open_nursery() as nursery:
        nursery.start_soon(register, "one@example.com", "Racer")
        nursery.start_soon(register, "two@example.com", "racer")
    assert sorted(outcomes) == ["created", "taken"]


async def test_unicode_and_sql_looking_text_is_stored_verbatim(
    repositories: Repositories,
) -> None:
    created = await repositories.users.create("émile+😀@example.com", NASTY, "ħash 🔑")
    found = await repositories.users.by_login(NASTY.upper())
    assert found == created
    assert found is not None
    assert (found.username, found.password_hash) == (NASTY, "ħash 🔑")
    assert await repositories.users.by_login("ÉMILE+😀@example.com") == created


async def test_password_hash_can_be_replaced(repositories: Repositories) -> None:
    user = await repositories.users.create("a@example.com", "Alice", "old")
    assert await repositories.users.update_password_hash(user.id, "new") is True
    updated = await repositories.users.by_id(user.id)
    assert updated is not None
    assert updated.password_hash == "new"
    assert updated.updated_at >= user.updated_at
    assert await repositories.users.update_password_hash(new_id(), "x") is False


async def test_a_refresh_token_is_found_by_hash_and_used_once(
    repositories: Repositories,
) -> None:
    tokens = repositories.refresh_tokens
    token = await tokens.create(
        family_id="fam",
        subject_id="guest-1",
        guest_name="SwiftFox123 🦊",
        token_hash="hash-a",
        created_at=1_000,
        expires_at=2_000,
    )
    assert await tokens.by_hash("hash-a") == token
    assert token.guest_name == "SwiftFox123 🦊"
    assert await tokens.by_hash("hash-b") is None

    assert await tokens.mark_used(token.id, 1_500) is True
    assert await tokens.mark_used(token.id, 1_600) is False
    used = await tokens.by_hash("hash-a")
    assert used is not None
    assert used.used_at == 1_500


async def test_two_concurrent_rotations_of_one_token_let_exactly_one_win(
    repositories: Repositories,
) -> None:
    tokens = repositories.refresh_tokens
    token = await tokens.create(
        family_id="fam", subject_id="u", token_hash="h", created_at=1, expires_at=10
    )
    results: list[bool] = []

    async def rotate() -> None:
        results.append(await tokens.mark_used(token.id, 5))

    async with trio.open_nursery() as nursery:
        for _ in range(4):
            nursery.start_soon(rotate)
    assert sorted(results) == [False, False, False, True]


async def test_revoking_a_family_or_a_subject_makes_its_tokens_unusable(
    repositories: Repositories,
) -> None:
    tokens = repositories.refresh_tokens
    a1 = await tokens.create(
        family_id="A", subject_id="u1", token_hash="a1", created_at=1, expires_at=100
    )
    a2 = await tokens.create(
        family_id="A", subject_id="u1", token_hash="a2", created_at=2, expires_at=100
    )
    b1 = await tokens.create(
        family_id="B", subject_id="u1", token_hash="b1", created_at=3, expires_at=100
    )
    c1 = await tokens.create(
        family_id="C", subject_id="u2", token_hash="c1", created_at=4, expires_at=100
    )

    assert await tokens.revoke_family("A", 50) == 2
    assert await tokens.mark_used(a2.id, 51) is False
    assert await tokens.mark_used(a1.id, 51) is False
    revoked = await tokens.by_hash("a1")
    assert revoked is not None
    assert revoked.revoked_at == 50

    assert await tokens.revoke_subject("u1", 60) == 1  # only b1 was still live
    assert await tokens.mark_used(b1.id, 61) is False
    assert await tokens.mark_used(c1.id, 61) is True


async def test_expired_tokens_are_purged(repositories: Repositories) -> None:
    tokens = repositories.refresh_tokens
    await tokens.create(
        family_id="F", subject_id="u", token_hash="old", created_at=1, expires_at=100
    )
    await tokens.create(
        family_id="F", subject_id="u", token_hash="new", created_at=1, expires_at=300
    )
    assert await tokens.purge_expired(200) == 1
    assert await tokens.by_hash("old") is None
    assert await tokens.by_hash("new") is not None
