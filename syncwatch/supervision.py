"""The core services of one process, started in order and watched: lose one, stop all.

A core service is a long-lived task the whole server depends on: the room
registry, the media service, the audit writer, the janitor, the database
checkpointer. Each is an `async def run(*, task_status)` that calls
`task_status.started()` once it is ready. `CoreServices.run` starts them one
after the other, in the order given, under one nursery.

A core service that raises, or returns while the process still serves, is lost.
It is logged once, in one line, and `CoreServiceLost` ends the process (the CLI
exits 1; the container's restart policy or systemd starts it again): serving
half-alive is never the outcome. One kind of failure is a wait instead: a service
that fails because the database does not answer (`DatabaseUnavailable`: PostgreSQL
restarting or unreachable) is started again a moment later, as often as it takes,
and the process keeps serving what it can (HTTP answers 503 meanwhile). Failures
with a narrower boundary (one room, one upload, one sweep) are contained by their
owners and never reach here.
`not_running()` is what `/health/ready` reports.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Literal, NoReturn

import trio

from syncwatch.errors import SyncWatchError, is_database_outage
from syncwatch.observability.logs import get_logger

log = get_logger("syncwatch.supervision")

State = Literal["waiting", "starting", "running", "stopped", "failed"]

# A core service stopped by a database outage starts again this long after.
OUTAGE_RESTART_S = 2.0


class CoreServiceLost(Exception):
    """A core service failed or ended: the process must stop."""

    def __init__(self, service: str) -> None:
        super().__init__(f"the core service {service!r} was lost")
        self.service = service


class CoreServices:
    def __init__(self, services: Sequence[tuple[str, Callable[..., Awaitable[None]]]]) -> None:
        self._services = list(services)
        self._states: dict[str, State] = {name: "waiting" for name, _ in self._services}

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self._services]

    def not_running(self) -> list[str]:
        """The core services that are not (or no longer) running."""
        return [name for name, state in self._states.items() if state != "running"]

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Start every service in order; ready once all are. Raises `CoreServiceLost`."""
        async with trio.open_nursery() as nursery:
            for name, run in self._services:
                self._states[name] = "starting"
                await nursery.start(self._supervise, name, run)
                if self._states[name] == "starting":
                    self._states[name] = "running"
            task_status.started()

    async def _supervise(
        self,
        name: str,
        run: Callable[..., Awaitable[None]],
        *,
        task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
    ) -> None:
        started = _Started(task_status)
        while True:
            try:
                await run(task_status=started)
            except Exception as error:
                if not is_database_outage(error):
                    self._lost(name, error)
                # The database is away (restarting, unreachable): a wait, not a bug. The
                # service starts again once it may answer; meanwhile readiness says so.
                if started.done:
                    self._states[name] = "starting"
                log.warning(
                    "core service paused: the database is unavailable",
                    service=name,
                    restart_in_s=OUTAGE_RESTART_S,
                )
                await trio.sleep(OUTAGE_RESTART_S)
                if started.done:
                    self._states[name] = "running"
                continue
            except BaseException:
                self._states[name] = "stopped"  # cancelled: the process is stopping
                raise
            self._states[name] = "failed"
            log.critical("core service ended unexpectedly: stopping the server", service=name)
            raise CoreServiceLost(name)

    def _lost(self, name: str, error: Exception) -> NoReturn:
        self._states[name] = "failed"
        log.critical(
            "core service failed: stopping the server",
            service=name,
            error_code=error_code(error),
            error=describe(error),
            exc_info=error,
        )
        raise CoreServiceLost(name) from error


class _Started:
    """Passes `started()` on to the supervisor's task status once, however many times
    the service is started again."""

    def __init__(self, status: trio.TaskStatus[None]) -> None:
        self._status = status
        self.done = False

    def started(self, value: None = None) -> None:
        if not self.done:
            self.done = True
            self._status.started(value)


def lost_service(error: BaseException) -> CoreServiceLost | None:
    """The `CoreServiceLost` inside `error` (Trio wraps it in exception groups)."""
    if isinstance(error, CoreServiceLost):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = lost_service(inner)
            if found is not None:
                return found
    return None


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


def describe(error: BaseException) -> str:
    """What failed, for one log line: the errors inside any exception groups."""
    text = "; ".join(f"{type(leaf).__name__}: {leaf}" for leaf in _leaves(error))
    return text[:500]


def error_code(error: BaseException) -> str:
    """The stable code a failure is logged under (its `SyncWatchError` code, if any)."""
    for leaf in _leaves(error):
        if isinstance(leaf, SyncWatchError):
            return leaf.code
    return "internal_error"
