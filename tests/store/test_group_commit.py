"""Group commit on both engines: what rooms hand in while a transaction runs shares the
next one; a caller returns only once its writes are committed; a group that fails
writes nothing, and each caller can then write its own alone."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator

import pytest
import trio
import trio.testing

from syncwatch.store import Connection, Database, UniqueViolation
from syncwatch.store.group_commit import GroupCommit, GroupFailed, Write
from syncwatch.store.repositories import ChatRecord, ChatRepository, Repositories, RoomRepository


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
        nursery.start_soon(commit, "good", _command(good_room, 1, "fresh"))
        nursery.start_soon(commit, "bad", _command(bad_room, 2, "taken"))  # a duplicate id
        await trio.testing.wait_all_tasks_blocked()
        release.set()
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
