"""Emoji reactions kept with their media time, on SQLite and PostgreSQL."""

from __future__ import annotations

from syncwatch.store.repositories import ReactionRecord, Repositories, RoomRecord


async def _room(repositories: Repositories, code: str) -> RoomRecord:
    owner = await repositories.users.create(f"{code}@example.com", f"owner{code}", "h")
    return await repositories.rooms.create(
        code=code,
        name="Reactions",
        owner_id=owner.id,
        max_participants=5,
        password_hash=None,
        playback_control="owner_only",
        auto_handover=True,
        created_at=1_000,
        expires_at=10_000,
    )


def _reaction(room: RoomRecord, n: int, source: str, media_ms: int) -> ReactionRecord:
    return ReactionRecord(
        id=f"r-{room.code}-{n:03d}",
        room_id=room.id,
        source_id=source,
        participant_id="p-1",
        username="Zoë «ünïcode»",
        emoji="😂" if n % 2 else "❤️",
        media_time_ms=media_ms,
        created_at=1_000 + n,
    )


async def test_reactions_come_back_for_their_source_in_media_time_order(
    repositories: Repositories,
) -> None:
    room = await _room(repositories, "REAC2345")
    other = await _room(repositories, "OTHR2345")
    store = repositories.reactions
    await store.add(_reaction(room, 1, "vid-a", 9_000))
    await store.add(_reaction(room, 2, "vid-a", 1_500))
    await store.add(_reaction(room, 3, "vid-b", 2_000))
    await store.add(_reaction(other, 4, "vid-a", 3_000))
    found = await store.for_source(room.id, "vid-a", 100)
    assert [(r.media_time_ms, r.emoji, r.username) for r in found] == [
        (1_500, "❤️", "Zoë «ünïcode»"),
        (9_000, "😂", "Zoë «ünïcode»"),
    ]


async def test_only_the_latest_reactions_are_read_back(repositories: Repositories) -> None:
    room = await _room(repositories, "MANY2345")
    for n in range(10):
        await repositories.reactions.add(_reaction(room, n, "vid", 10_000 - n * 100))
    found = await repositories.reactions.for_source(room.id, "vid", 3)
    assert [r.id for r in found] == [f"r-MANY2345-{n:03d}" for n in (9, 8, 7)]


async def test_a_room_purged_takes_its_reactions_along(repositories: Repositories) -> None:
    room = await _room(repositories, "GONE2345")
    await repositories.reactions.add(_reaction(room, 1, "vid", 100))
    assert await repositories.rooms.purge(room.id)
    assert await repositories.reactions.for_source(room.id, "vid", 10) == []
