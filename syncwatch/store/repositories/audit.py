"""The audit log (spec 7.8): append-only security events, purged by retention.

Metadata is a JSON object stored as text. Rows are never updated.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from syncwatch.ids import new_id
from syncwatch.store import Database, Statement


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: str
    created_at: int
    event_type: str  # e.g. "auth.login_failed", "participant.banned"
    actor_id: str | None
    actor_ip: str | None
    target_type: str | None  # "room" | "user" | "video"
    target_id: str | None
    metadata: dict[str, Any]
    success: bool


_COLUMNS = (
    "id, created_at, event_type, actor_id, actor_ip, target_type, target_id, metadata, success"
)


def _entry(row: dict[str, Any]) -> AuditRecord:
    return AuditRecord(
        id=row["id"],
        created_at=int(row["created_at"]),
        event_type=row["event_type"],
        actor_id=row["actor_id"],
        actor_ip=row["actor_ip"],
        target_type=row["target_type"],
        target_id=row["target_id"],
        metadata=json.loads(row["metadata"]),
        success=bool(row["success"]),
    )


_INSERT = (
    f"INSERT INTO audit_log ({_COLUMNS}) VALUES (:id, :created_at, :event_type,"
    " :actor_id, :actor_ip, :target_type, :target_id, :metadata, :success)"
)


def _row(record: AuditRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "created_at": record.created_at,
        "event_type": record.event_type,
        "actor_id": record.actor_id,
        "actor_ip": record.actor_ip,
        "target_type": record.target_type,
        "target_id": record.target_id,
        "metadata": json.dumps(record.metadata, ensure_ascii=False, sort_keys=True),
        "success": record.success,
    }


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        event_type: str,
        *,
        actor_id: str | None,
        actor_ip: str | None,
        target_type: str | None,
        target_id: str | None,
        metadata: Mapping[str, Any],
        success: bool,
        created_at: int,
    ) -> AuditRecord:
        record = AuditRecord(
            new_id(),
            created_at,
            event_type,
            actor_id,
            actor_ip,
            target_type,
            target_id,
            dict(metadata),
            success,
        )
        await self.add_many([record])
        return record

    async def add_many(self, records: Sequence[AuditRecord]) -> None:
        """Store several entries in one transaction (the audit writer batches them)."""
        await self._db.commit_statements([Statement(_INSERT, _row(record)) for record in records])

    async def list(
        self,
        *,
        event_type: str | None = None,
        actor_id: str | None = None,
        target_id: str | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        """The newest entries first, optionally filtered (for operators and tests)."""
        conditions = []
        params: dict[str, Any] = {"limit": limit}
        for column, value in (
            ("event_type", event_type),
            ("actor_id", actor_id),
            ("target_id", target_id),
        ):
            if value is not None:
                conditions.append(f"{column} = :{column}")
                params[column] = value
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM audit_log{where} ORDER BY id DESC LIMIT :limit", params
        )
        return [_entry(row) for row in rows]

    async def purge(
        self,
        older_than_ms: int,
        event_types: Sequence[str] | None = None,
        *,
        prefixes: Sequence[str] = (),
        keep_prefixes: Sequence[str] = (),
    ) -> int:
        """Delete entries created before `older_than_ms` (retention differs per class of
        event): only of `event_types` when given, only those starting with one of
        `prefixes` when given, never those starting with one of `keep_prefixes`.
        Returns how many went."""
        params: dict[str, Any] = {"cutoff": older_than_ms}
        conditions = ["created_at < :cutoff"]
        if event_types is not None:
            if not event_types:
                return 0
            names = [f"t{index}" for index in range(len(event_types))]
            params.update(zip(names, event_types, strict=True))
            conditions.append(f"event_type IN ({', '.join(':' + name for name in names)})")
        if prefixes:
            names = [f"p{index}" for index in range(len(prefixes))]
            params.update(zip(names, [p + "%" for p in prefixes], strict=True))
            conditions.append("(" + " OR ".join(f"event_type LIKE :{n}" for n in names) + ")")
        for index, prefix in enumerate(keep_prefixes):
            params[f"k{index}"] = prefix + "%"
            conditions.append(f"event_type NOT LIKE :k{index}")
        return await self._db.execute(
            f"DELETE FROM audit_log WHERE {' AND '.join(conditions)}", params
        )
