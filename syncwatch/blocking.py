"""The one way SyncWatch calls blocking libraries from the Trio loop.

sqlite3, psycopg, redis-py, minio, argon2 and the local disk block; each family
of calls gets a named `CapacityLimiter` so one slow dependency cannot starve the
others, and every call goes through `run_blocking`, which hands it to a worker
thread. Nothing else in syncwatch calls `trio.to_thread`, `trio.Path` or
`trio.open_file` (tests/test_blocking.py holds the package to that).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import trio

T = TypeVar("T")

# One set of limiters per `trio.run` (a limiter must not outlive the run that
# parked tasks on it: tests start many runs in one process).
_limiters: trio.lowlevel.RunVar[dict[str, trio.CapacityLimiter]] = trio.lowlevel.RunVar(
    "syncwatch_limiters"
)

# How many threads each family may occupy at once. Small: the machine has two
# cores and these calls wait on I/O or burn CPU, they do not parallelise well.
DEFAULT_CAPACITY = {
    "database": 8,
    # Batched writes (the group commit, the audit writer: `Database.commit_statements`),
    # one in flight each. A lane of their own: in a join storm, people's lookups held
    # every "database" thread and a room's acknowledged command waited up to 70 ms
    # for one before its transaction could start.
    "database_batches": 2,
    "redis": 8,
    "storage": 4,
    "password_hashing": 2,
    # Room passwords: guesses anyone may send, kept apart from logins (rooms/password_gate.py).
    "room_passwords": 1,
    # Parsing uploaded text that can be large (subtitle files up to 1 MiB): CPU.
    "parsing": 2,
    # The local disk: upload spool, transcode work directories, logs, built web app.
    "files": 4,
}


def limiter(name: str) -> trio.CapacityLimiter:
    """This run's limiter for one family of blocking calls."""
    try:
        limiters = _limiters.get()
    except LookupError:
        limiters = {}
        _limiters.set(limiters)
    found = limiters.get(name)
    if found is None:
        found = trio.CapacityLimiter(DEFAULT_CAPACITY.get(name, 4))
        limiters[name] = found
    return found


_inline: trio.lowlevel.RunVar[bool] = trio.lowlevel.RunVar("syncwatch_inline", default=False)


def run_inline_in_this_run() -> None:
    """Make `run_blocking` call functions directly for the rest of this `trio.run`.

    Only for tests on `MockClock(autojump_threshold=0)`: the mock clock jumps
    whenever every task is blocked, and a task waiting for a worker thread
    counts as blocked, so timers would fire while a fast SQLite call is still
    in flight. Inline calls keep such tests deterministic.
    """
    _inline.set(True)


async def run_blocking(
    family: str,
    fn: Callable[..., T],
    *args: Any,
    abandon_on_cancel: bool = False,
    **kwargs: Any,
) -> T:
    """Run `fn(*args, **kwargs)` in a worker thread under the family's limiter."""
    call = partial(fn, *args, **kwargs) if kwargs else partial(fn, *args)
    if _inline.get():
        await trio.lowlevel.checkpoint()
        return call()
    return await trio.to_thread.run_sync(
        call, limiter=limiter(family), abandon_on_cancel=abandon_on_cancel
    )
