"""The media side of the video records and the transcode queue.

The SQL lives in `syncwatch.store.repositories.videos`; this module speaks the
media layer's language over it: probe results (`MediaInfo`) in, `TranscodeJob`s
out, the pool's `JobUpdate`s turned into rows. It owns the queue's policy (when
a silent worker counts as dead, how often a job may be handed out) and the
storage keys of a video's objects, and `DatabaseJobQueue`, the pool's job
source over the table.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import trio

from syncwatch.clock import Clock
from syncwatch.errors import is_database_outage
from syncwatch.media.ffmpeg import MediaInfo
from syncwatch.media.transcode_pool import JobUpdate, TranscodeJob
from syncwatch.observability.logs import get_logger
from syncwatch.store.repositories.videos import (
    JobProgress,
    NewVideo,
    VideoRecord,
    VideoRepository,
    VideoStatus,
)

# A claimed job whose worker sent no heartbeat for this long is orphaned. It
# must exceed the longest silent stretch of a live worker: the 120 s retry
# backoff plus a 130 s watchdog kill.
STALE_AFTER_MS = 10 * 60 * 1000
# A job handed out this many times without finishing failed with "worker_lost".
MAX_CLAIMS = 3

_STATUS_OF: dict[str, VideoStatus] = {
    "processing": "processing",
    "retrying": "processing",
    "ready": "ready",
    "failed": "failed",
}

__all__ = ["MAX_CLAIMS", "STALE_AFTER_MS", "DatabaseJobQueue", "VideoRecord", "VideoStore"]

log = get_logger("syncwatch.media")


def video_prefix(video_id: str) -> str:
    return f"videos/{video_id}"


def source_key(video_id: str) -> str:
    return f"{video_prefix(video_id)}/source"


def hls_prefix(video_id: str) -> str:
    return f"{video_prefix(video_id)}/hls"


class VideoStore:
    def __init__(self, videos: VideoRepository, clock: Clock) -> None:
        self._videos = videos
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
        video = _new_video(video_id, uploader_id, room_code, filename, size, expires_at)
        return await self._videos.create_pending(
            video,
            duration_ms=media.duration_ms,
            media_info_json=json.dumps(asdict(media)),
            now_ms=self._clock.now_ms(),
        )

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
        video = _new_video(video_id, uploader_id, room_code, filename, size, expires_at)
        await self._videos.create_rejected(video, reason=reason, now_ms=self._clock.now_ms())

    async def get(self, video_id: str) -> VideoRecord | None:
        return await self._videos.get(video_id)

    async def stored_bytes(self, user_id: str) -> int:
        """Bytes of the user's originals that count against the quota."""
        return await self._videos.stored_bytes(user_id)

    async def expired(self, limit: int = 100) -> list[str]:
        """Ids of videos past their expiry (never one being transcoded right now)."""
        return await self._videos.expired(self._clock.now_ms(), limit=limit)

    async def delete(self, video_id: str) -> None:
        await self._videos.delete(video_id)

    async def ids_of_uploader(self, uploader_id: str) -> list[str]:
        return await self._videos.ids_of_uploader(uploader_id)

    async def queue_length(self) -> int:
        return await self._videos.queue_length()

    async def oldest_pending_created_ms(self) -> int | None:
        """When the longest-waiting pending job was queued (None when none waits)."""
        return await self._videos.oldest_pending_created_ms()

    async def claim(self, worker_id: str) -> TranscodeJob | None:
        """Take the oldest runnable job for `worker_id`, or None when there is none."""
        now = self._clock.now_ms()
        claimed = await self._videos.claim(
            worker_id, now_ms=now, stale_before_ms=now - STALE_AFTER_MS, max_claims=MAX_CLAIMS
        )
        if claimed is None:
            return None
        return TranscodeJob(
            job_id=claimed.job_id,
            video_id=claimed.video_id,
            source_key=claimed.source_key,
            media=MediaInfo(**json.loads(claimed.media_info_json)),
            output_prefix=hls_prefix(claimed.video_id),
        )

    async def apply(self, update: JobUpdate, worker_id: str) -> bool:
        """Record a pool update; False when the job is no longer this worker's."""
        progress = JobProgress(
            status=_STATUS_OF[update.state],
            progress=int(update.progress),
            manifest_key=update.master_key if update.playable else None,
            error=update.reason if update.state == "failed" else None,
            last_error=update.reason,
        )
        return await self._videos.report(
            update.job_id, update.video_id, worker_id, progress, now_ms=self._clock.now_ms()
        )

    async def release(self, job_id: str, worker_id: str) -> None:
        """Give a job back to the queue (this worker stops before finishing it)."""
        await self._videos.release(job_id, worker_id, now_ms=self._clock.now_ms())


def _new_video(
    video_id: str,
    uploader_id: str,
    room_code: str | None,
    filename: str,
    size: int,
    expires_at: int,
) -> NewVideo:
    return NewVideo(
        id=video_id,
        uploader_id=uploader_id,
        room_code=room_code,
        filename=filename,
        size=size,
        source_key=source_key(video_id),
        expires_at=expires_at,
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
            try:
                job = await self._store.claim(self.worker_id)
            except Exception as error:
                # A database outage is a wait: raised, it paused the whole media service
                # (uploads too), and one raised as the process stopped became its error.
                if not is_database_outage(error):
                    raise
                log.warning("the database is unavailable: transcode jobs wait for it")
                job = None
            if job is not None:
                return job
            with trio.move_on_after(self._poll_interval_s):
                await wakeup.wait()
