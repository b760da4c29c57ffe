"""The one way SyncWatch calls blocking libraries from the Trio loop.

sqlite3, psycopg, redis-py, minio and argon2 block; each family of calls gets a
named `CapacityLimiter` so one slow dependency cannot starve the others, and
every call goes through `run_blocking`, which hands it to a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import trio

T = TypeVar("T")

_limiters: dict[str, trio.CapacityLimiter] = {}

# How many threads each family may occupy at once. Small: the machine has two
# cores and these calls wait on I/O or burn CPU, they do not parallelise well.
DEFAULT_CAPACITY = {
    "database": 8,
    "redis": 8,
    "storage": 4,
    "password_hashing": 2,
}


def limiter(name: str) -> trio.CapacityLimiter:
    """The process-wide limiter for one family of blocking calls."""
    found = _limiters.get(name)
    if found is None:
        found = trio.CapacityLimiter(DEFAULT_CAPACITY.get(name, 4))
        _limiters[name] = found
    return found


async def run_blocking(
    family: str,
    fn: Callable[..., T],
    *args: Any,
    abandon_on_cancel: bool = False,
    **kwargs: Any,
) -> T:
    """Run `fn(*args, **kwargs)` in a worker thread under the family's limiter."""
    call = partial(fn, *args, **kwargs) if kwargs else partial(fn, *args)
    return await trio.to_thread.run_sync(
        call, limiter=limiter(family), abandon_on_cancel=abandon_on_cancel
    )
