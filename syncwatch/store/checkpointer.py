"""`Checkpointer`: folds SQLite's write-ahead log back into the database file, off every path.

Every `EVERY_S` it asks the database to checkpoint (a no-op on PostgreSQL), so
no request and no room's command loop ever pays for it. A checkpoint that
fails (the file is busy) is logged and tried again next time.
"""

from __future__ import annotations

import trio

from syncwatch.observability.logs import get_logger
from syncwatch.store import Database

log = get_logger("syncwatch.store")

EVERY_S = 2.0


class Checkpointer:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        task_status.started()
        while True:
            await trio.sleep(EVERY_S)
            try:
                await self._db.checkpoint()
            except Exception:
                log.exception("database checkpoint failed; will retry")
