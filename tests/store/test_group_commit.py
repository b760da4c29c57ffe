"""Group commit on both engines: what rooms hand in while a transaction runs shares the
next one; a caller returns only once its writes are committed; a group that fails
writes nothing, and each caller can then write its own alone. A group of statements
goes to PostgreSQL as one text: every character of what people typed arrives as typed,
and a lease's stale fence still keeps everything of its group out."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator

import pytest
import trio
import trio.testing

from syncwatch.errors import ValidationFailed
from syncwatch.store import Connection, Database, Statement, UniqueViolation
from syncwatch.store.group_commit import GroupCommit, GroupFailed, Write
from syncwatch.store.repositories import (
    ChatRecord,
    ChatRepository,
    Repositories,
    RoomRepository,
    StaleFence,
)


@pytest.fixture
async def writer(database: Database) -> AsyncIterator[GroupCommit]:
    group_commit = GroupCommit(database)
    async with trio.open_nursery() as nursery:
        await nursery.start(group_commit.run)
        yield group_commit
        nursery.cancel_scope.cancel()


async def _room_id(repositories: Repositories, code: str) -> str:
    owner = await repositories.users.create(f"{code}@example.com", f"owner{code}", "h")
    room = await repositories.rooms.create(
        code=code,
        name="Room",
        owner_id=owner.id,
        max_participants=5,
        password_hash=None,
        playback_control="owner_only",
        auto_handover=True,
        created_at=1,
        expires_at=10**12,
    )
    return room.id


def _line(room_id: str, line_id: str, text: str) -> ChatRecord:
    return ChatRecord(line_id, room_id, None, None, "system", text, None, 1_000)


def _command(room_id: str, sequence: int, line_id: str) -> list[Write]:
    """What one room command writes: its snapshot and its system chat line."""
    return [
        RoomRepository.snapshot_write(room_id, sequence, f'{{"seq": {sequence}}}', 1_000),
        ChatRepository.add_write(_line(room_id, line_id, f"command {sequence}")),
    ]


def _held_until(release: threading.Event) -> Write:
    """A write that keeps its transaction open until the test releases it."""

    def wait(_connection: Connection) -> None:
        assert release.wait(10)

    return wait


async def _commit_together(
    writer: GroupCommit, commands: dict[str, list[Write]]
) -> dict[str, BaseException | None]:
    """Queue each named command while a held write keeps the writer busy, so they all
    share the next group; what each caller met (`GroupFailed` or None)."""
    release = threading.Event()
    outcomes: dict[str, BaseException | None] = {}

    async def commit(name: str, writes: list[Write]) -> None:
        try:
            await writer.commit(writes)
        except GroupFailed as failed:
            outcomes[name] = failed
        else:
            outcomes[name] = None

    async with trio.open_nursery() as nursery:
        nursery.start_soon(writer.commit, [_held_until(release)])
        await trio.testing.wait_all_tasks_blocked()
        for name, writes in commands.items():
            nursery.start_soon(commit, name, writes)
        await trio.testing.wait_all_tasks_blocked()
        release.set()
    return outcomes


async def test_commands_queued_while_a_commit_runs_share_the_next_transaction(
    repositories: Repositories, writer: GroupCommit
) -> None:
    rooms = [await _room_id(repositories, f"ROOM{index:04d}") for index in range(20)]
    release = threading.Event()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(writer.commit, [_held_until(release)])
        await trio.testing.wait_all_tasks_blocked()
        for index, room_id in enumerate(rooms):
            nursery.start_soon(writer.commit, _command(room_id, 1, f"line-{index:04d}"))
        await trio.testing.wait_all_tasks_blocked()
        release.set()
    # One transaction for the held write, one for the twenty commands queued behind it.
    assert (writer.stats.transactions, writer.stats.commands) == (2, 21)
    for index, room_id in enumerate(rooms):
        snapshot = await repositories.rooms.load_snapshot(room_id)
        assert snapshot is not None
        assert snapshot.sequence_number == 1
        assert [line.id for line in await repositories.chat.recent(room_id)] == [
            f"line-{index:04d}"
        ]


async def test_a_commit_returns_once_its_writes_are_readable(
    repositories: Repositories, writer: GroupCommit
) -> None:
    room_id = await _room_id(repositories, "ROOMREAD")
    for sequence in range(1, 6):
        await writer.commit(_command(room_id, sequence, f"line-{sequence}"))
        snapshot = await repositories.rooms.load_snapshot(room_id)
        assert snapshot is not None
        assert snapshot.sequence_number == sequence
        assert (await repositories.chat.recent(room_id))[-1].id == f"line-{sequence}"


async def test_a_failed_group_writes_nothing_and_each_caller_can_write_alone(
    repositories: Repositories, writer: GroupCommit
) -> None:
    good_room = await _room_id(repositories, "ROOMGOOD")
    bad_room = await _room_id(repositories, "ROOMBAD1")
    await writer.commit(_command(bad_room, 1, "taken"))
    outcomes = await _commit_together(
        writer,
        {
            "good": _command(good_room, 1, "fresh"),
            "bad": _command(bad_room, 2, "taken"),  # a duplicate id
        },
    )
    assert isinstance(outcomes["good"], GroupFailed)
    assert isinstance(outcomes["bad"], GroupFailed)
    # Nothing of the failed group was written, the good room's part included.
    assert await repositories.rooms.load_snapshot(good_room) is None
    assert await repositories.chat.recent(good_room) == []
    # Alone, the good room's writes go through and the bad one meets its own error.
    await writer.commit(_command(good_room, 1, "fresh"))
    assert [line.id for line in await repositories.chat.recent(good_room)] == ["fresh"]
    with pytest.raises(GroupFailed) as alone:
        await writer.commit(_command(bad_room, 2, "taken"))
    assert isinstance(alone.value.__cause__, UniqueViolation)
    bad_snapshot = await repositories.rooms.load_snapshot(bad_room)
    assert bad_snapshot is not None
    assert bad_snapshot.sequence_number == 1


async def test_without_the_writer_a_commit_writes_in_a_transaction_of_its_own(
    database: Database, repositories: Repositories
) -> None:
    room_id = await _room_id(repositories, "ROOMSOLO")
    group_commit = GroupCommit(database)
    await group_commit.commit(_command(room_id, 3, "solo"))
    snapshot = await repositories.rooms.load_snapshot(room_id)
    assert snapshot is not None
    assert snapshot.sequence_number == 3
    assert group_commit.stats.transactions == 0  # no writer: not counted as a group


# What people type reaches the database through the single text's own quoting.
AWKWARD_LINES = [
    "it's Bob's turn; DROP TABLE chat_messages; --",
    "back\\slash \\' and \\n not a newline",
    "a real\nnewline and a\ttab",
    "$$ dollar $tag$ quotes $$",
    "100% :room_id %(room_id)s {} ? $1",
    "émoji 🎬🍿 and 中文 and \u202e right-to-left",
    '"double" and `back` quotes',
    "",
]


async def test_statements_keep_every_character_people_typed(
    database: Database, repositories: Repositories
) -> None:
    room_id = await _room_id(repositories, "ROOMTEXT")
    snapshot = '{"title": "O\'Brien\'s \\"cut\\" $$ 100%", "seq": 7}'
    statements = [RoomRepository.snapshot_write(room_id, 7, snapshot, 1_000)] + [
        ChatRepository.add_write(_line(room_id, f"line-{index}", text))
        for index, text in enumerate(AWKWARD_LINES)
    ]
    await database.commit_statements(statements)
    stored = await repositories.rooms.load_snapshot(room_id)
    assert stored is not None
    assert stored.snapshot_json == snapshot
    lines = {line.id: line.content for line in await repositories.chat.recent(room_id)}
    assert lines == {f"line-{index}": text for index, text in enumerate(AWKWARD_LINES)}


async def test_statements_commit_together_or_not_at_all(
    database: Database, repositories: Repositories
) -> None:
    room_id = await _room_id(repositories, "ROOMATOM")
    await database.commit_statements([ChatRepository.add_write(_line(room_id, "taken", "one"))])
    with pytest.raises(UniqueViolation):
        await database.commit_statements(
            [
                RoomRepository.snapshot_write(room_id, 1, '{"seq": 1}', 1_000),
                ChatRepository.add_write(_line(room_id, "fresh", "two")),
                ChatRepository.add_write(_line(room_id, "taken", "again")),
            ]
        )
    assert await repositories.rooms.load_snapshot(room_id) is None
    assert [line.id for line in await repositories.chat.recent(room_id)] == ["taken"]
    # The connection it used is sound afterwards: the next text commits.
    await database.commit_statements([ChatRepository.add_write(_line(room_id, "fresh", "two"))])
    assert len(await repositories.chat.recent(room_id)) == 2


async def test_a_group_carrying_a_stale_lease_writes_nothing_and_the_room_learns_why_alone(
    repositories: Repositories, writer: GroupCommit
) -> None:
    """ADR 0015: an instance that lost a room's lease writes late, in a group with another
    room's command. Nothing of that group is stored, neither its chat line nor the other
    room's; the other room then writes alone, and the stale one is told its lease is gone."""
    stale_room = await _room_id(repositories, "ROOMOLD1")
    other_room = await _room_id(repositories, "ROOMOK01")
    rooms = repositories.rooms
    assert await rooms.save_snapshot(stale_room, 3, '{"seq": 3}', 100, fence=1)
    assert await rooms.claim_snapshot(stale_room, 2, 200)  # another instance took it over

    def stale_command() -> list[Write]:
        return [
            RoomRepository.fence_check(stale_room, 1),
            RoomRepository.snapshot_write(stale_room, 4, '{"seq": 4, "by": "old"}', 300, fence=1),
            ChatRepository.add_write(_line(stale_room, "late", "paused by the old holder")),
        ]

    outcomes = await _commit_together(
        writer, {"stale": stale_command(), "other": _command(other_room, 1, "other-line")}
    )
    assert isinstance(outcomes["stale"], GroupFailed)
    assert isinstance(outcomes["other"], GroupFailed)
    assert await repositories.chat.recent(stale_room) == []
    assert await repositories.chat.recent(other_room) == []
    snapshot = await rooms.load_snapshot(stale_room)
    assert snapshot is not None
    assert snapshot.sequence_number == 3

    await writer.commit(_command(other_room, 1, "other-line"))
    assert [line.id for line in await repositories.chat.recent(other_room)] == ["other-line"]
    with pytest.raises(GroupFailed):
        await writer.commit(stale_command())
    with pytest.raises(StaleFence):
        await rooms.check_fence(stale_room, 1)
    assert await repositories.chat.recent(stale_room) == []


async def test_a_group_with_a_write_that_reads_runs_statement_by_statement(
    database: Database, repositories: Repositories, writer: GroupCommit
) -> None:
    """A write that is not a `Statement` (it reads, or decides as it goes) sends its whole
    group down the statement-by-statement path, where it can."""
    room_id = await _room_id(repositories, "ROOMMIX1")
    seen: list[int] = []

    def count_lines(connection: Connection) -> None:
        row = connection.fetch_one(
            "SELECT COUNT(*) AS n FROM chat_messages WHERE room_id = :room_id",
            {"room_id": room_id},
        )
        assert row is not None
        seen.append(int(row["n"]))

    await writer.commit([*_command(room_id, 1, "first"), count_lines])
    assert seen == [1]  # it ran after the chat line, in the same transaction
    assert isinstance(_command(room_id, 2, "x")[0], Statement)


async def test_a_character_the_database_cannot_hold_fails_its_text_as_bad_input(
    database: Database, repositories: Repositories
) -> None:
    room_id = await _room_id(repositories, "ROOMNUL1")
    statements = [
        ChatRepository.add_write(_line(room_id, "fine", "fine")),
        ChatRepository.add_write(_line(room_id, "nul", "a\x00b")),
    ]
    if database.dialect == "postgresql":
        # PostgreSQL text holds no NUL: bad input, as for a lone query, and nothing kept.
        with pytest.raises(ValidationFailed):
            await database.commit_statements(statements)
        assert await repositories.chat.recent(room_id) == []
    else:
        await database.commit_statements(statements)
        lines = {line.id: line.content for line in await repositories.chat.recent(room_id)}
        assert lines == {"fine": "fine", "nul": "a\x00b"}


async def test_a_write_nobody_waits_on_is_written_alone_when_its_group_failed(
    repositories: Repositories, writer: GroupCommit
) -> None:
    """A room's activity shares a group with another room's bad line: that line fails
    the group, and the activity is written anyway, alone."""
    room_id = await _room_id(repositories, "ROOMLATE")
    other_room = await _room_id(repositories, "ROOMBAD2")
    await writer.commit(_command(other_room, 1, "dup"))
    release = threading.Event()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(writer.commit, [_held_until(release)])
        await trio.testing.wait_all_tasks_blocked()
        nursery.start_soon(writer.commit_or_alone, [RoomRepository.touch_write(room_id, 5, 99)])
        nursery.start_soon(_commit_together_quietly, writer, _command(other_room, 2, "dup"))
        await trio.testing.wait_all_tasks_blocked()
        release.set()
    record = await repositories.rooms.by_code("ROOMLATE")
    assert record is not None
    assert (record.last_active_at, record.expires_at) == (5, 99)
    assert writer.stats.failed_groups == 1


async def _commit_together_quietly(writer: GroupCommit, writes: list[Write]) -> None:
    with contextlib.suppress(GroupFailed):
        await writer.commit(writes)
