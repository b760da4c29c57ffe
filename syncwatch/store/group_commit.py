"""Group commit: the writes many room actors hand in, committed together, one transaction
per group.

A room command used to cost two separate, serialised writes (its snapshot, then its
system chat line), each a worker-thread round trip holding the database's write lock.
Here a room hands in every write of one command at once (`commit(writes)`) and waits;
one writer task takes whatever queued while the previous transaction ran, from every
room, and commits it in one transaction. Under load a transaction carries many
commands; when the process is quiet it carries one, with no added wait (nothing is
held back to fill a group).

`commit` returns only once the transaction holding its writes has committed, so a
caller that acknowledges afterwards acknowledges only what is durable. If a group's
transaction fails, every caller in it is told (`GroupFailed`) and nothing of the group
was written: each caller then writes its own again, alone, and meets its own error
(one bad line must not cost other rooms theirs).

A group made only of `Statement`s (what rooms hand in: snapshots, chat lines, a lease's
fence check) goes to the database with `commit_statements`: on PostgreSQL one text in one
round trip instead of one per statement. Any other write makes the group run statement
by statement, as before.

Without the writer task running (scripts, tests without the composition root, the
moments around shutdown) `commit` runs its writes in a transaction of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import trio

from syncwatch.observability.logs import get_logger
from syncwatch.store import Connection, Database, Statement

log = get_logger("syncwatch.store.group_commit")

# A write: statements run in the caller's order on the group's connection.
Write = Callable[[Connection], Any]

# Callers waiting at once: at most one per room actor, so this bounds rooms, not load.
QUEUE_SIZE = 4096
# Writes in one transaction: enough for every room of a busy process, small enough that
# one transaction never holds the write lock for long.
MAX_GROUP_WRITES = 2000
# On the way out, what is still queued is committed within this.
FLUSH_DEADLINE_S = 5


class GroupFailed(Exception):
    """The transaction carrying these writes failed; none of them was written."""


@dataclass(eq=False, slots=True)
class _Pending:
    writes: tuple[Write, ...]
    done: trio.Event = field(default_factory=trio.Event)
    error: BaseException | None = None


@dataclass(slots=True)
class GroupCommitStats:
    """What the writer did, for tests and the benchmark's reading of /metrics."""

    transactions: int = 0
    commands: int = 0
    failed_groups: int = 0


class GroupCommit:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._queue_send: trio.MemorySendChannel[_Pending] | None = None
        self.stats = GroupCommitStats()

    async def commit(self, writes: Sequence[Write]) -> None:
        """Run `writes` in order, durably, in a transaction shared with other callers'.

        Returns once committed; raises `GroupFailed` when the shared transaction failed
        (nothing written), or what the writes raised when run alone."""
        if not writes:
            return
        queue = self._queue_send
        if queue is not None:
            pending = _Pending(tuple(writes))
            try:
                await queue.send(pending)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                pass  # the writer stopped meanwhile: write alone below
            else:
                await pending.done.wait()
                if pending.error is not None:
                    raise GroupFailed(str(pending.error)) from pending.error
                return
        await self._db.transaction(lambda connection: _apply(connection, writes))

    async def commit_or_alone(self, writes: Sequence[Write]) -> None:
        """`commit`, and when the shared transaction failed, the writes again in one of
        their own: another caller's bad write costs this one nothing, and only its own
        error is raised. For writes nobody waits to act on (a room's activity, a visit)."""
        try:
            await self.commit(writes)
        except GroupFailed:
            await self._db.transaction(lambda connection: _apply(connection, writes))

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Commit queued writes in groups until cancelled; commit what is left on the way out."""
        send, receive = trio.open_memory_channel[_Pending](QUEUE_SIZE)
        self._queue_send = send
        task_status.started()
        in_hand: list[_Pending] = []
        try:
            while True:
                in_hand = [await receive.receive()]
                in_hand += _drain(receive, MAX_GROUP_WRITES)
                # Shielded: a group taken off the queue is committed or failed whole, and
                # its callers always hear which.
                with trio.CancelScope(shield=True):
                    await self._commit_group(in_hand)
                in_hand = []
        finally:
            self._queue_send = None
            with trio.CancelScope(shield=True):
                remaining = in_hand + _drain(receive, QUEUE_SIZE)
                receive.close()  # callers still blocked in send() write alone instead
                with trio.move_on_after(FLUSH_DEADLINE_S):
                    if remaining:
                        await self._commit_group(remaining)
                for pending in remaining:
                    if not pending.done.is_set():
                        pending.error = TimeoutError("the writer stopped before committing")
                        pending.done.set()

    async def _commit_group(self, group: list[_Pending]) -> None:
        def apply_all(connection: Connection) -> None:
            for pending in group:
                _apply(connection, pending.writes)

        writes = [write for pending in group for write in pending.writes]
        statements = [write for write in writes if isinstance(write, Statement)]
        committed = False
        try:
            if len(statements) == len(writes):
                await self._db.commit_statements(statements)
            else:
                await self._db.transaction(apply_all)
            committed = True
        except Exception as error:
            self.stats.failed_groups += 1
            log.warning("a group commit failed: its callers write alone", commands=len(group))
            for pending in group:
                pending.error = error
        else:
            self.stats.transactions += 1
            self.stats.commands += len(group)
        finally:
            for pending in group:
                if not committed and pending.error is None:  # cancelled mid-way
                    pending.error = RuntimeError("the group's commit was interrupted")
                pending.done.set()


def _apply(connection: Connection, writes: Sequence[Write]) -> None:
    for write in writes:
        write(connection)


def _drain(receive: trio.MemoryReceiveChannel[_Pending], limit: int) -> list[_Pending]:
    """Take what is queued now, up to about `limit` writes (whole callers only)."""
    found: list[_Pending] = []
    count = 0
    while count < limit:
        try:
            pending = receive.receive_nowait()
        except (trio.WouldBlock, trio.EndOfChannel, trio.ClosedResourceError):
            break
        found.append(pending)
        count += len(pending.writes)
    return found
