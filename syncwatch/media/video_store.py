"""The `videos` and `transcode_jobs` tables: video records and the job queue.

Owns every SQL statement about uploaded videos. The queue is a table, so it
survives restarts and is shared by every instance: a worker claims the oldest
runnable job inside one transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
so instances never wait on each other; SQLite's `BEGIN IMMEDIATE` serialises
claimers), keeps its heartbeat fresh while it works, and a job whose heartbeat
went stale (its worker died) is claimed again, at most `MAX_CLAIMS` times.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import trio

from syncwatch.clock import Clock
from syncwatch.ids import new_id
from syncwatch.media.ffmpeg import MediaInfo
from syncwatch.media.transcode_pool import JobUpdate, TranscodeJob
from syncwatch.store import Connection, Database, Row

# A claimed job whose worker sent no heartbeat for this long is orphaned. It
# must exceed the longest silent stretch of a live worker: the 120 s retry
# backoff plus a 130 s watchdog kill.
STALE_AFTER_MS = 10 * 60 * 1000
# A job handed out this many times without finishing failed with "worker_lost".
MAX_CLAIMS = 3

_CLAIM_SQLITE = (
    "SELECT id, video_id, claims FROM transcode_jobs"
    " WHERE (status = 'pending' AND run_after <= :now)"
    " OR (status = 'processing' AND heartbeat_at < :stale)"
    " ORDER BY created_at LIMIT 1"
)
# Rows another instance is claiming right now are skipped, not waited for.
_CLAIM_POSTGRES = (
    "SELECT id, video_id, claims FROM transcode_jobs"
    " WHERE (status = 'pending' AND run_after <= :now)"
    " OR (status = 'processing' AND heartbeat_at < :stale)"
    " ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED"
)


@dataclass(frozen=True, slots=True)
class VideoRecord:
    id: str
    uploader_id: str
    room_code: str | None
    filename: str
    original_size: int
    duration_ms: int | None
    status: str
    progress: int
    error: str | None
    source_key: str
    manifest_key: str | None
    created_at: int
    expires_at: int


def video_prefix(video_id: str) -> str:
    return f"videos/{video_id}"


def source_key(video_id: str) -> str:
    return f"{video_prefix(video_id)}/source"


def hls_prefix(video_id: str) -> str:
    return f"{video_prefix(video_id)}/hls"


class VideoStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create_pending(
        self,
        *,
        video_id: str,
        uploader_id: str,
        room_code: str | None,
        filename: str,
        size: int,
        media: MediaInfo,
        expires_at: int,
    ) -> str:
        """Record an accepted upload and queue its transcode; returns the job id."""
        now = self._clock.now_ms()
        job_id = new_id()
        values = {
            "id": video_id,
            "uploader": uploader_id,
            "room": room_code,
            "filename": filename,
            "size": size,
            "duration": media.duration_ms,
            "source": source_key(video_id),
            "info": json.dumps(asdict(media)),
            "now": now,
            "expires": expires_at,
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

    async def create_rejected(
        self,
        *,
        video_id: str,
        uploader_id: str,
        room_code: str | None,
        filename: str,
        size: int,
        reason: str,
        expires_at: int,
    ) -> None:
        """Record an upload that can never play (probe refused it), so status says why."""
        now = self._clock.now_ms()
        await self._db.execute(
            "INSERT INTO videos (id, uploader_id, room_code, filename, original_size, status,"
            " progress, error, source_key, created_at, updated_at, expires_at) VALUES (:id,"
            " :uploader, :room, :filename, :size, 'failed', 0, :reason, :source, :now, :now,"
            " :expires)",
            {
                "id": video_id,
                "uploader": uploader_id,
                "room": room_code,
                "filename": filename,
                "size": size,
                "reason": reason,
                "source": source_key(video_id),
                "now": now,
                "expires": expires_at,
            },
        )

    async def get(self, video_id: str) -> VideoRecord | None:
        row = await self._db.fetch_one(
            "SELECT id, uploader_id, room_code, filename, original_size, duration_ms, status,"
            " progress, error, source_key, manifest_key, created_at, expires_at"
            " FROM videos WHERE id = :id",
            {"id": video_id},
        )
        return VideoRecord(**row) if row else None

    async def stored_bytes(self, user_id: str) -> int:
        """Bytes of the user's originals that count against the quota."""
        row = await self._db.fetch_one(
            "SELECT COALESCE(SUM(original_size), 0) AS total FROM videos"
            " WHERE uploader_id = :user AND status <> 'failed'",
            {"user": user_id},
        )
        return int(row["total"]) if row else 0

    async def expired(self, limit: int = 100) -> list[str]:
        """Ids of videos past their expiry (never one being transcoded right now)."""
        rows = await self._db.fetch_all(
            "SELECT id FROM videos WHERE expires_at <= :now AND status <> 'processing'"
            " ORDER BY expires_at LIMIT :limit",
            {"now": self._clock.now_ms(), "limit": limit},
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

    async def oldest_pending_created_ms(self) -> int | None:
        """When the longest-waiting pending job was queued (None when none waits)."""
        row = await self._db.fetch_one(
            "SELECT MIN(created_at) AS oldest FROM transcode_jobs WHERE status = 'pending'"
        )
        return int(row["oldest"]) if row and row["oldest"] is not None else None

    async def claim(self, worker_id: str) -> TranscodeJob | None:
        """Take the oldest runnable job for `worker_id`, or None when there is none."""
        now = self._clock.now_ms()
        params = {
            "now": now,
            "stale": now - STALE_AFTER_MS,
            "worker": worker_id,
            "max_claims": MAX_CLAIMS,
        }

        def claim(conn: Connection) -> Row | None:
            sql = _CLAIM_POSTGRES if conn.dialect == "postgresql" else _CLAIM_SQLITE
            while True:
                job = conn.fetch_one(sql, params)
                if job is None:
                    return None
                if job["claims"] >= MAX_CLAIMS:
                    _fail(conn, job["id"], job["video_id"], "worker_lost", now)
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
        return TranscodeJob(
            job_id=row["job_id"],
            video_id=row["video_id"],
            source_key=row["source_key"],
            media=MediaInfo(**json.loads(row["media_info"])),
            output_prefix=hls_prefix(row["video_id"]),
        )

    async def apply(self, update: JobUpdate, worker_id: str) -> bool:
        """Record a pool update; False when the job is no longer this worker's."""
        now = self._clock.now_ms()
        status = {"processing": "processing", "retrying": "processing"}.get(
            update.state, update.state
        )
        params: dict[str, Any] = {
            "job": update.job_id,
            "video": update.video_id,
            "worker": worker_id,
            "now": now,
            "status": status,
            "progress": int(update.progress),
            "manifest": update.master_key if update.playable else None,
            "error": update.reason if update.state == "failed" else None,
            "last_error": update.reason,
        }

        def apply(conn: Connection) -> bool:
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

        return await self._db.transaction(apply)

    async def release(self, job_id: str, worker_id: str) -> None:
        """Give a job back to the queue (this worker stops before finishing it)."""
        now = self._clock.now_ms()
        await self._db.execute(
            "UPDATE transcode_jobs SET status = 'pending', worker_id = NULL, run_after = :now,"
            " claims = claims - 1, updated_at = :now"
            " WHERE id = :job AND worker_id = :worker AND status = 'processing'",
            {"job": job_id, "worker": worker_id, "now": now},
        )


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


class DatabaseJobQueue:
    """The pool's `JobSource` over `VideoStore.claim`.

    A job submitted in this process wakes a waiting worker at once; jobs from
    other instances and orphaned ones are found by polling.
    """

    def __init__(self, store: VideoStore, worker_id: str, poll_interval_s: float = 5.0) -> None:
        self._store = store
        self.worker_id = worker_id
        self._poll_interval_s = poll_interval_s
        self._wakeup = trio.Event()

    def notify(self) -> None:
        """A job was queued: wake every worker waiting right now."""
        self._wakeup.set()
        self._wakeup = trio.Event()

    async def release(self, job: TranscodeJob) -> None:
        await self._store.release(job.job_id, self.worker_id)

    async def next_job(self) -> TranscodeJob:
        while True:
            # Taken before claiming, so a job queued meanwhile still wakes us.
            wakeup = self._wakeup
            job = await self._store.claim(self.worker_id)
            if job is not None:
                return job
            with trio.move_on_after(self._poll_interval_s):
                await wakeup.wait()
