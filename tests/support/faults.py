"""Faults injected into real dependencies, for supervision tests.

`failing_snapshot_writes` makes the real database refuse every snapshot write
of one room (a trigger, on SQLite and PostgreSQL alike) while every other room
writes as usual: a database failure that only one room sees.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from syncwatch.store import Database


@asynccontextmanager
async def failing_snapshot_writes(db: Database, room_id: str) -> AsyncIterator[None]:
    """While the block runs, writing `room_id`'s snapshot fails inside the database."""
    name = f"fail_snapshot_{secrets.token_hex(4)}"
    quoted = room_id.replace("'", "''")
    if db.dialect == "sqlite":
        for event in ("INSERT", "UPDATE"):
            await db.execute(
                f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON room_snapshots"
                f" WHEN NEW.room_id = '{quoted}'"
                " BEGIN SELECT RAISE(ABORT, 'injected: snapshot write refused'); END"
            )
        undo = [f"DROP TRIGGER {name}_insert", f"DROP TRIGGER {name}_update"]
    else:
        await db.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN IF NEW.room_id = '{quoted}' THEN"
            " RAISE EXCEPTION 'injected: snapshot write refused'; END IF; RETURN NEW; END $$"
        )
        await db.execute(
            f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON room_snapshots"
            f" FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
        undo = [f"DROP TRIGGER {name} ON room_snapshots", f"DROP FUNCTION {name}()"]
    try:
        yield
    finally:
        for statement in undo:
            await db.execute(statement)
