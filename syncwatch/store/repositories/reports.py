"""Reports about room members, and what operators decide about them.

A report is written once with its evidence (JSON the room put together) and
stays `open` until an operator resolves it with a note. Reports outlive their
room: nothing here references `rooms` or `users`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from syncwatch.store import Database

ReportStatus = Literal["open", "resolved"]


@dataclass(frozen=True, slots=True)
class NewReport:
    id: str
    room_id: str
    room_code: str
    reporter_id: str
    reporter_name: str
    reported_id: str
    reported_name: str
    reason: str
    details: str
    evidence_json: str
    created_at: int


@dataclass(frozen=True, slots=True)
class ReportRecord(NewReport):
    status: ReportStatus
    resolved_at: int | None
    resolved_by: str | None
    resolution: str | None


_COLUMNS = (
    "id, room_id, room_code, reporter_id, reporter_name, reported_id, reported_name, reason,"
    " details, evidence, status, created_at, resolved_at, resolved_by, resolution"
)


def _report(row: dict[str, Any]) -> ReportRecord:
    return ReportRecord(
        id=row["id"],
        room_id=row["room_id"],
        room_code=row["room_code"],
        reporter_id=row["reporter_id"],
        reporter_name=row["reporter_name"],
        reported_id=row["reported_id"],
        reported_name=row["reported_name"],
        reason=row["reason"],
        details=row["details"],
        evidence_json=row["evidence"],
        status=row["status"],
        created_at=int(row["created_at"]),
        resolved_at=None if row["resolved_at"] is None else int(row["resolved_at"]),
        resolved_by=row["resolved_by"],
        resolution=row["resolution"],
    )


class ReportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, report: NewReport) -> ReportRecord:
        record = ReportRecord(
            **asdict(report),
            status="open",
            resolved_at=None,
            resolved_by=None,
            resolution=None,
        )
        await self._db.execute(
            f"INSERT INTO reports ({_COLUMNS}) VALUES (:id, :room_id, :room_code, :reporter_id,"
            " :reporter_name, :reported_id, :reported_name, :reason, :details, :evidence,"
            " 'open', :created_at, NULL, NULL, NULL)",
            {
                "id": record.id,
                "room_id": record.room_id,
                "room_code": record.room_code,
                "reporter_id": record.reporter_id,
                "reporter_name": record.reporter_name,
                "reported_id": record.reported_id,
                "reported_name": record.reported_name,
                "reason": record.reason,
                "details": record.details,
                "evidence": record.evidence_json,
                "created_at": record.created_at,
            },
        )
        return record

    async def get(self, report_id: str) -> ReportRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM reports WHERE id = :id", {"id": report_id}
        )
        return None if row is None else _report(row)

    async def find_by_prefix(self, prefix: str, *, limit: int = 2) -> list[ReportRecord]:
        """Reports whose id starts with `prefix` (operators type the first characters)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM reports WHERE id LIKE :pattern ESCAPE '\\'"
            " ORDER BY id LIMIT :limit",
            {"pattern": escaped + "%", "limit": limit},
        )
        return [_report(row) for row in rows]

    async def listed(
        self, *, status: ReportStatus | None = "open", limit: int = 100
    ) -> list[ReportRecord]:
        """Newest first; `status=None` lists every report."""
        where = "" if status is None else " WHERE status = :status"
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM reports{where} ORDER BY created_at DESC, id DESC LIMIT :limit",
            {"status": status, "limit": limit},
        )
        return [_report(row) for row in rows]

    async def count_open_about(self, reported_id: str) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM reports WHERE reported_id = :reported AND status = 'open'",
            {"reported": reported_id},
        )
        return int(row["n"]) if row else 0

    async def resolve(self, report_id: str, resolved_by: str, resolution: str, now_ms: int) -> bool:
        """Close an open report with the operator's note; False when it was not open."""
        changed = await self._db.execute(
            "UPDATE reports SET status = 'resolved', resolved_at = :now,"
            " resolved_by = :by, resolution = :resolution"
            " WHERE id = :id AND status = 'open'",
            {"now": now_ms, "by": resolved_by, "resolution": resolution, "id": report_id},
        )
        return changed == 1
