"""The core services of a process (syncwatch/supervision.py): losing one stops the
process, except when what stopped it is the database not answering; that service
starts again once the database may be back, and the process keeps serving."""

from __future__ import annotations

from typing import Any

import pytest
import trio

from syncwatch.errors import DatabaseUnavailable
from syncwatch.supervision import OUTAGE_RESTART_S, CoreServiceLost, CoreServices, lost_service


async def test_a_service_stopped_by_a_database_outage_starts_again(autojump_clock: Any) -> None:
    starts: list[float] = []

    async def reminders(*, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        starts.append(trio.current_time())
        task_status.started()
        if len(starts) < 3:  # PostgreSQL restarting: its first queries fail
            raise DatabaseUnavailable()
        await trio.sleep_forever()

    core = CoreServices([("reminders", reminders)])
    async with trio.open_nursery() as nursery:
        await nursery.start(core.run)
        await trio.sleep(60)
        assert len(starts) == 3
        assert starts[2] - starts[1] == pytest.approx(OUTAGE_RESTART_S)
        assert core.not_running() == []  # running again: the process never stopped
        nursery.cancel_scope.cancel()


async def test_any_other_failure_still_stops_the_process(autojump_clock: Any) -> None:
    async def janitor(*, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        task_status.started()
        await trio.sleep(1)
        raise RuntimeError("a bug")

    core = CoreServices([("janitor", janitor)])

    async def serve() -> None:
        async with trio.open_nursery() as nursery:
            await nursery.start(core.run)
            await trio.sleep(60)

    with pytest.raises(BaseException) as raised:
        await serve()
    lost = lost_service(raised.value)
    assert isinstance(lost, CoreServiceLost)
    assert lost.service == "janitor"
    assert core.not_running() == ["janitor"]
