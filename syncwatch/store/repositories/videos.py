"""Uploaded videos and their transcode queue (`videos`, `transcode_jobs`).

The queue is a table, so it survives restarts and is shared by every instance.
A worker claims the oldest runnable job inside one transaction: on PostgreSQL
with `FOR UPDATE SKIP LOCKED`, so instances never wait on each other; on SQLite
the transaction's `BEGIN IMMEDIATE` serialises claimers. A claimed job whose
heartbeat went stale (its worker died) is claimed again, until it has been
handed out `max_claims` times: then it fails with `worker_lost`.

Times are epoch milliseconds passed in by the caller; the media layer owns the
clock, the probe result (stored here as opaque JSON) and the queue's policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from syncwatch.ids import new_id
from syncwatch.store import Connection, Database, Dialect, Row

VideoStatus = Literal["pending", "processing", "ready", "failed"]

_VIDEO_COLUMNS = (
    "id, uploader_id, room_code, filename, original_size, duration_ms, status, progress,"
    " error, source_key, manifest_key, created_at, expires_at"
)
_RUNNABLE = (
    "SELECT id, video_id, claims FROM transcode_jobs"
    " WHERE (status = 'pending' AND run_after <= :now)"
    " OR (status = 'processing' AND heartbeat_at < :stale)"
    " ORDER BY created_at LIMIT 1"
)
# Rows another instance is claiming right now are skipped, not waited for.
_CLAIM: dict[Dialect, str] = {
    "sqlite": _RUNNABLE,
    "postgresql": _RUNNABLE + " FOR UPDATE SKIP LOCKED",
}


@dataclass(frozen=True, slots=True)
class VideoRecord:
    id: str
    uploader_id: str
    room_code: str | None
    filename: str
    original_size: int
    duration_ms: int | None
    status: str  # VideoStatus
    progress: int
    error: str | None
    source_key: str
    manifest_key: str | None
    created_at: int
    expires_at: int


@dataclass(frozen=True, slots=True)
class NewVideo:
    """An accepted upload, as the media layer describes it."""

    id: str
    uploader_id: str
    room_code: str | None
    filename: str
    size: int
    source_key: str
    expires_at: int


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    job_id: str
    video_id: str
    source_key: str
    media_info_json: str


@dataclass(frozen=True, slots=True)
class JobProgress:
    """One report from the worker holding a job, written to the job and its video."""

    status: VideoStatus
    progress: int
    manifest_key: str | None = None
    error: str | None = None
    # Kept on the job row across reports (the last retry's reason).
    last_error: str | None = None


def _video(row: Row) -> VideoRecord:
    return VideoRecord(**row)


class VideoRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create_pending(
        self, video: NewVideo, *, duration_ms: int | None, media_info_json: str, now_ms: int
    ) -> str:
        """Record an accepted upload and queue its transcode; returns the job id."""
        job_id = new_id()
        values = {
            **_new_video_values(video, now_ms),
            "duration": duration_ms,
            "info": media_info_json,
            "job": job_id,
        }

        def insert(conn: Connection) -> None:
            conn.execute(
                "INSERT INTO videos (id, uploader_id, room_code, filename, original_size,"
                " duration_ms, status, progress, source_key, media_info, created_at, updated_at,"
                " expires_at) VALUES (:id, :uploader, :room, :filename, :size, :duration,"
                " 'pending', 0, :source, :info, :now, :now, :expires)",
                values,
            )
            conn.execute(
                "INSERT INTO transcode_jobs (id, video_id, status, claims, run_after, created_at,"
                " updated_at) VALUES (:job, :id, 'pending', 0, :now, :now, :now)",
                values,
            )

        await self._db.transaction(insert)
        return job_id

    async def create_rejected(self, video: NewVideo, *, reason: str, now_ms: int) -> None:
        """Record an upload that can never play (the probe refused it), so status says why."""
        await self._db.execute(
            "INSERT INTO videos (id, uploader_id, room_code, filename, original_size, status,"
            " progress, error, source_key, created_at, updated_at, expires_at) VALUES (:id,"
            " :uploader, :room, :filename, :size, 'failed', 0, :reason, :source, :now, :now,"
            " :expires)",
            {**_new_video_values(video, now_ms), "reason": reason},
        )

    async def get(self, video_id: str) -> VideoRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_VIDEO_COLUMNS} FROM videos WHERE id = :id", {"id": video_id}
        )
        return _video(row) if row else None

    async def stored_bytes(self, user_id: str) -> int:
        """Bytes of the user's originals that count against the quota (all but failed ones)."""
        row = await self._db.fetch_one(
            "SELECT COALESCE(SUM(original_size), 0) AS total FROM videos"
            " WHERE uploader_id = :user AND status <> 'failed'",
            {"user": user_id},
        )
        return int(row["total"]) if row else 0

    async def expired(self, now_ms: int, *, limit: int = 100) -> list[str]:
        """Ids of videos past their expiry (never one being transcoded right now)."""
        rows = await self._db.fetch_all(
            "SELECT id FROM videos WHERE expires_at <= :now AND status <> 'processing'"
            " ORDER BY expires_at LIMIT :limit",
            {"now": now_ms, "limit": limit},
        )
        return [row["id"] for row in rows]

    async def ids_of_uploader(self, uploader_id: str) -> list[str]:
        rows = await self._db.fetch_all(
            "SELECT id FROM videos WHERE uploader_id = :uploader_id", {"uploader_id": uploader_id}
        )
        return [row["id"] for row in rows]

    async def delete(self, video_id: str) -> None:
        """Forget a video; its jobs go with it (ON DELETE CASCADE)."""
        await self._db.execute("DELETE FROM videos WHERE id = :id", {"id": video_id})

    async def queue_length(self) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM transcode_jobs WHERE status = 'pending'"
        )
        return int(row["n"]) if row else 0

    async def ready_playlists(self) -> list[tuple[str, str]]:
        """(video id, master playlist key) of every video that is ready to play."""
        rows = await self._db.fetch_all(
            "SELECT id, manifest_key FROM videos"
            " WHERE status = 'ready' AND manifest_key IS NOT NULL ORDER BY id"
        )
        return [(str(row["id"]), str(row["manifest_key"])) for row in rows]

    async def oldest_pending_created_ms(self) -> int | None:
        """When the longest-waiting pending job was queued (None when none waits)."""
        row = await self._db.fetch_one(
            "SELECT MIN(created_at) AS oldest FROM transcode_jobs WHERE status = 'pending'"
        )
        return int(row["oldest"]) if row and row["oldest"] is not None else None

    async def claim(
        self, worker_id: str, *, now_ms: int, stale_before_ms: int, max_claims: int
    ) -> ClaimedJob | None:
        """Give the oldest runnable job to `worker_id`, or None when there is none.

        Runnable: pending and due, or processing with a heartbeat older than
        `stale_before_ms`. A job already handed out `max_claims` times fails
        (with its video) instead, and the next one is tried.
        """
        params = {"now": now_ms, "stale": stale_before_ms, "worker": worker_id}

        def claim(conn: Connection) -> Row | None:
            while True:
                job = conn.fetch_one(_CLAIM[conn.dialect], params)
                if job is None:
                    return None
                if job["claims"] >= max_claims:
                    _fail(conn, job["id"], job["video_id"], "worker_lost", now_ms)
                    continue
                conn.execute(
                    "UPDATE transcode_jobs SET status = 'processing', claims = claims + 1,"
                    " worker_id = :worker, heartbeat_at = :now, updated_at = :now"
                    " WHERE id = :id",
                    {**params, "id": job["id"]},
                )
                conn.execute(
                    "UPDATE videos SET status = 'processing', progress = 0, manifest_key = NULL,"
                    " updated_at = :now WHERE id = :video",
                    {**params, "video": job["video_id"]},
                )
                return conn.fetch_one(
                    "SELECT :job AS job_id, id AS video_id, source_key, media_info"
                    " FROM videos WHERE id = :video",
                    {"job": job["id"], "video": job["video_id"]},
                )

        row = await self._db.transaction(claim)
        if row is None:
            return None
        return ClaimedJob(
            job_id=row["job_id"],
            video_id=row["video_id"],
            source_key=row["source_key"],
            media_info_json=row["media_info"],
        )

    async def report(
        self, job_id: str, video_id: str, worker_id: str, update: JobProgress, *, now_ms: int
    ) -> bool:
        """Record a report from the job's worker; False when the job is no longer its."""
        params: dict[str, Any] = {
            "job": job_id,
            "video": video_id,
            "worker": worker_id,
            "now": now_ms,
            "status": update.status,
            "progress": update.progress,
            "manifest": update.manifest_key,
            "error": update.error,
            "last_error": update.last_error,
        }

        def report(conn: Connection) -> bool:
            owned = conn.execute(
                "UPDATE transcode_jobs SET status = :status, heartbeat_at = :now,"
                " last_error = COALESCE(:last_error, last_error), updated_at = :now"
                " WHERE id = :job AND worker_id = :worker AND status = 'processing'",
                params,
            )
            if not owned:
                return False
            conn.execute(
                "UPDATE videos SET status = :status, progress = :progress,"
                " manifest_key = :manifest, error = :error, updated_at = :now WHERE id = :video",
                params,
            )
            return True

        return await self._db.transaction(report)

    async def release(self, job_id: str, worker_id: str, *, now_ms: int) -> None:
        """Give a job back to the queue uncounted (its worker stops before finishing it)."""
        await self._db.execute(
            "UPDATE transcode_jobs SET status = 'pending', worker_id = NULL, run_after = :now,"
            " claims = claims - 1, updated_at = :now"
            " WHERE id = :job AND worker_id = :worker AND status = 'processing'",
            {"job": job_id, "worker": worker_id, "now": now_ms},
        )


def _new_video_values(video: NewVideo, now_ms: int) -> dict[str, Any]:
    return {
        "id": video.id,
        "uploader": video.uploader_id,
        "room": video.room_code,
        "filename": video.filename,
        "size": video.size,
        "source": video.source_key,
        "now": now_ms,
        "expires": video.expires_at,
    }


def _fail(conn: Connection, job_id: str, video_id: str, reason: str, now: int) -> None:
    conn.execute(
        "UPDATE transcode_jobs SET status = 'failed', last_error = :reason, updated_at = :now"
        " WHERE id = :job",
        {"job": job_id, "reason": reason, "now": now},
    )
    conn.execute(
        "UPDATE videos SET status = 'failed', error = :reason, updated_at = :now WHERE id = :video",
        {"video": video_id, "reason": reason, "now": now},
    )
