"""The media service: uploads in, playable videos out, one object for the app.

`MediaService` wires the parts together: the tus server's finished uploads
are probed, stored and queued (`VideoStore`); the `TranscodePool` works the
queue and every `JobUpdate` lands in the database and in the metrics. Its
`run` is a core service (see `syncwatch/components.py`); its janitor expires
abandoned uploads and expired videos. An error either cannot handle (storage
refusing a deletion, the database gone) ends the service, and so the process,
loudly: it is never left running without them. HTTP lives in `routes.py`,
which only calls this object.
"""

from __future__ import annotations

import os
import resource
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trio

from syncwatch.blocking import run_blocking
from syncwatch.clock import Clock
from syncwatch.errors import NotFound, NotReady
from syncwatch.fabric import Fabric
from syncwatch.ids import new_id
from syncwatch.media.ffmpeg import FfmpegTools, ProbeFailed, ffmpeg_version, locate_tools, probe
from syncwatch.media.job_runner import ProcessLimits
from syncwatch.media.ladder import TranscodeSettings
from syncwatch.media.metrics import MediaMetrics, duration_bucket
from syncwatch.media.storage import MediaStorage
from syncwatch.media.subtitle_tracks import MEDIA_PATH, SubtitleTracks
from syncwatch.media.transcode_pool import DEFAULT_RETRY_BACKOFF_S, JobUpdate, TranscodePool
from syncwatch.media.tus import CompletedUpload, TusLimits, TusServer
from syncwatch.media.upload_limits import BandwidthThrottle, UploadRateLimiter
from syncwatch.media.video_store import (
    DatabaseJobQueue,
    VideoRecord,
    VideoStore,
    source_key,
    video_prefix,
)
from syncwatch.observability.logs import get_logger
from syncwatch.observability.tracing import Tracer
from syncwatch.store import Database
from syncwatch.store.repositories.subtitles import SubtitleRepository
from syncwatch.store.repositories.videos import VideoRepository

log = get_logger("syncwatch.media")

UPLOADS_PATH = "/api/v1/videos/uploads"
# How often abandoned uploads are looked for.
JANITOR_INTERVAL_S = 600.0
# Uploaded videos are kept this long (spec 6.1 Video.expiresAt).
VIDEO_TTL_S = 7 * 24 * 3600

# Told of every job update, with the video's row as it now stands.
UpdateListener = Callable[[JobUpdate, VideoRecord | None], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class MediaConfig:
    spool_dir: Path
    work_dir: Path
    workers: int = 1
    transcode: TranscodeSettings = field(default_factory=TranscodeSettings)
    limits: ProcessLimits = field(default_factory=ProcessLimits)
    tus: TusLimits = field(default_factory=TusLimits)
    upload_bandwidth_bits_per_s: int = 50_000_000
    uploads_per_hour: int = 3
    retry_backoff_s: tuple[float, ...] = DEFAULT_RETRY_BACKOFF_S

    @classmethod
    def from_settings(cls, settings: Any) -> MediaConfig:
        """From the application's `Settings` (data_dir, transcode_*, upload_*)."""
        data_dir = Path(settings.data_dir)
        return cls(
            spool_dir=data_dir / "uploads",
            work_dir=data_dir / "transcode",
            workers=settings.transcode_workers,
            transcode=TranscodeSettings(preset=settings.transcode_preset),
            upload_bandwidth_bits_per_s=int(settings.upload_bandwidth_mbit * 1_000_000),
            uploads_per_hour=settings.upload_limit_per_hour,
        )


class MediaService:
    def __init__(
        self,
        *,
        config: MediaConfig,
        db: Database,
        storage: MediaStorage,
        clock: Clock,
        metrics: MediaMetrics,
        tools: FfmpegTools | None = None,
        update_listeners: Sequence[UpdateListener] = (),
        tracer: Tracer | None = None,
        fabric: Fabric | None = None,
    ) -> None:
        self.config = config
        self.storage = storage
        self.videos = VideoStore(VideoRepository(db), clock)
        self.subtitles = SubtitleTracks(storage, SubtitleRepository(db), clock)
        self.metrics = metrics
        self._clock = clock
        self._tools = tools or locate_tools()
        self.queue = DatabaseJobQueue(self.videos, worker_id=f"{socket.gethostname()}:{new_id()}")
        self.tus = TusServer(
            spool_dir=config.spool_dir,
            base_path=UPLOADS_PATH,
            on_complete=self._accept_upload,
            clock=clock,
            limits=config.tus,
            throttle=BandwidthThrottle(config.upload_bandwidth_bits_per_s),
            rate_limiter=UploadRateLimiter(config.uploads_per_hour, fabric=fabric, clock=clock),
            stored_bytes=self.videos.stored_bytes,
        )
        self.pool = TranscodePool(
            storage=storage,
            jobs=self.queue,
            work_root=config.work_dir,
            on_update=self._record,
            workers=config.workers,
            settings=config.transcode,
            limits=config.limits,
            retry_backoff_s=config.retry_backoff_s,
            tools=self._tools,
            tracer=tracer,
        )
        self.update_listeners = list(update_listeners)

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        async with trio.open_nursery() as nursery:
            await nursery.start(self.pool.run)
            nursery.start_soon(self._janitor)
            await self._refresh_queue_gauge()
            task_status.started()

    # --- uploads -----------------------------------------------------------

    async def _accept_upload(self, upload: CompletedUpload) -> None:
        """A finished upload: refuse what cannot play, store and queue the rest."""
        video_id = upload.upload_id
        if await self.videos.get(video_id) is not None:
            return  # accepted before: this is a retried hand-over
        expires_at = self._clock.now_ms() + VIDEO_TTL_S * 1000
        filename = (upload.filename or f"upload.{upload.container.value}")[:255]
        try:
            info = await probe(upload.path, tools=self._tools)
        except ProbeFailed as refused:
            log.info("upload refused", video_id=video_id, reason=refused.reason)
            self.metrics.transcoding_failures.labels(refused.reason).inc()
            await self.videos.create_rejected(
                video_id=video_id,
                uploader_id=upload.user_id,
                room_code=upload.room_code,
                filename=filename,
                size=upload.size,
                reason=refused.reason,
                expires_at=expires_at,
            )
            return
        await self.storage.put_file(source_key(video_id), upload.path)
        await self.videos.create_pending(
            video_id=video_id,
            uploader_id=upload.user_id,
            room_code=upload.room_code,
            filename=filename,
            size=upload.size,
            media=info,
            expires_at=expires_at,
        )
        log.info(
            "upload queued",
            video_id=video_id,
            duration_s=info.duration_s,
            size=upload.size,
            codec=info.video_codec,
        )
        self.queue.notify()
        await self._refresh_queue_gauge()

    # --- transcoding -------------------------------------------------------

    async def _record(self, update: JobUpdate) -> None:
        owned = await self.videos.apply(update, self.queue.worker_id)
        if not owned:
            log.warning("update for a job this worker no longer owns", job_id=update.job_id)
            return
        if update.state == "ready":
            await self.subtitles.record_embedded(update)
            record = await self.videos.get(update.video_id)
            duration_s = (record.duration_ms or 0) / 1000 if record else 0.0
            self.metrics.transcoding_duration.labels(
                duration_bucket(duration_s), "hls_ladder"
            ).observe(update.elapsed_s or 0.0)
        elif update.state in ("failed", "retrying"):
            self.metrics.transcoding_failures.labels(update.reason or "unknown").inc()
        if update.state in ("ready", "failed"):
            log.info(
                "transcode finished",
                video_id=update.video_id,
                state=update.state,
                reason=update.reason,
                attempt=update.attempt,
            )
            await self._refresh_queue_gauge()
        self.metrics.active_jobs.set(self.pool.statistics.active_jobs)
        if self.update_listeners:
            video = await self.videos.get(update.video_id)
            for listener in self.update_listeners:
                await listener(update, video)

    async def _refresh_queue_gauge(self) -> None:
        self.metrics.queue_length.set(await self.videos.queue_length())

    async def refresh_queue_metrics(self) -> None:
        """The queue's length and the age of its oldest job, read at each scrape."""
        await self._refresh_queue_gauge()
        oldest = await self.videos.oldest_pending_created_ms()
        age_s = 0.0 if oldest is None else max(0.0, (self._clock.now_ms() - oldest) / 1000)
        self.metrics.oldest_queued_age.set(age_s)

    async def _janitor(self) -> None:
        while True:
            expired = await self.tus.expire_abandoned()
            if expired:
                log.info("abandoned uploads deleted", count=expired)
            removed = await self.expire_videos()
            if removed:
                log.info("expired videos deleted", count=removed)
            await trio.sleep(JANITOR_INTERVAL_S)

    async def expire_videos(self) -> int:
        """Delete videos past their expiry: objects first, then the row (so a
        storage failure leaves the row to be tried again)."""
        removed = 0
        for video_id in await self.videos.expired():
            await self.storage.delete_prefix(video_prefix(video_id))
            await self.videos.delete(video_id)
            removed += 1
        return removed

    async def forget_uploads(self, uploader_id: str) -> int:
        """Delete every video a person uploaded (their account is being deleted): objects
        first, then the row, as for an expired video."""
        removed = 0
        for video_id in await self.videos.ids_of_uploader(uploader_id):
            await self.storage.delete_prefix(video_prefix(video_id))
            await self.videos.delete(video_id)
            removed += 1
        return removed

    # --- queries for the HTTP layer ---------------------------------------

    async def status(self, video_id: str) -> dict[str, Any]:
        record = await self.videos.get(video_id)
        if record is None:
            raise NotFound(f"No video {video_id!r}.")
        body: dict[str, Any] = {
            "id": record.id,
            "status": record.status,
            "progress": record.progress,
        }
        if record.duration_ms is not None:
            body["durationMs"] = record.duration_ms
        if record.error:
            body["error"] = record.error
        return body

    async def video(self, video_id: str) -> VideoRecord:
        record = await self.videos.get(video_id)
        if record is None:
            raise NotFound(f"No video {video_id!r}.")
        return record

    async def manifest_url(self, video_id: str) -> str:
        """The master playlist's root-relative URL, once players can start."""
        record = await self.videos.get(video_id)
        if record is None:
            raise NotFound(f"No video {video_id!r}.")
        if record.manifest_key is None:
            raise NotReady(
                f"The video is {record.status}; no playlist yet.",
                videoStatus=record.status,
                progress=record.progress,
            )
        return f"{MEDIA_PATH}/{record.manifest_key}"

    async def health(self) -> dict[str, Any]:
        """Spec 8.6.2's transcoder health."""
        version = await ffmpeg_version(self._tools)
        stats = self.pool.statistics
        queue_depth = await self.videos.queue_length()
        load_1m = os.getloadavg()[0]
        body: dict[str, Any] = {
            "healthy": version is not None and stats.active_jobs <= self.pool.workers,
            "activeJobs": stats.active_jobs,
            "queueDepth": queue_depth,
            "workers": self.pool.workers,
            "ffmpegAvailable": version is not None,
            "ffmpegVersion": version,
            "cpuUsagePercent": round(min(100.0, load_1m / (os.cpu_count() or 1) * 100), 1),
            "memoryUsageMB": round(await run_blocking("files", _resident_bytes) / 1024 / 1024, 1),
            "completedJobs": stats.completed,
            "failedJobs": stats.failed,
        }
        now_trio, now_ms = trio.current_time(), self._clock.now_ms()
        for key, at in (
            ("lastJobCompletedAt", stats.last_completed_at),
            ("lastJobFailedAt", stats.last_failed_at),
        ):
            if at is not None:
                body[key] = int(now_ms - (now_trio - at) * 1000)
        return body


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
