"""Room templates: a registered user's saved room settings, to create rooms from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from syncwatch.ids import new_id
from syncwatch.store import Database

# A person keeps at most this many templates.
MAX_TEMPLATES = 50


@dataclass(frozen=True, slots=True)
class TemplateRecord:
    id: str
    owner_id: str
    name: str
    settings: dict[str, Any]
    created_at: int


def _record(row: dict[str, Any]) -> TemplateRecord:
    return TemplateRecord(
        id=row["id"],
        owner_id=row["owner_id"],
        name=row["name"],
        settings=json.loads(row["settings"]),
        created_at=int(row["created_at"]),
    )


class TemplateRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, owner_id: str, name: str, settings: dict[str, Any], now_ms: int
    ) -> TemplateRecord:
        record = TemplateRecord(new_id(), owner_id, name, settings, now_ms)
        await self._db.execute(
            "INSERT INTO room_templates (id, owner_id, name, settings, created_at)"
            " VALUES (:id, :owner_id, :name, :settings, :now)",
            {
                "id": record.id,
                "owner_id": owner_id,
                "name": name,
                "settings": json.dumps(settings, separators=(",", ":")),
                "now": now_ms,
            },
        )
        return record

    async def for_owner(self, owner_id: str) -> list[TemplateRecord]:
        rows = await self._db.fetch_all(
            "SELECT id, owner_id, name, settings, created_at FROM room_templates"
            " WHERE owner_id = :owner_id ORDER BY created_at DESC, id DESC",
            {"owner_id": owner_id},
        )
        return [_record(row) for row in rows]

    async def get(self, owner_id: str, template_id: str) -> TemplateRecord | None:
        row = await self._db.fetch_one(
            "SELECT id, owner_id, name, settings, created_at FROM room_templates"
            " WHERE id = :id AND owner_id = :owner_id",
            {"id": template_id, "owner_id": owner_id},
        )
        return _record(row) if row else None

    async def count(self, owner_id: str) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM room_templates WHERE owner_id = :owner_id",
            {"owner_id": owner_id},
        )
        return int(row["n"]) if row else 0

    async def remove(self, owner_id: str, template_id: str) -> bool:
        changed = await self._db.execute(
            "DELETE FROM room_templates WHERE id = :id AND owner_id = :owner_id",
            {"id": template_id, "owner_id": owner_id},
        )
        return changed == 1
