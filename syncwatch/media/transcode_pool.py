"""The transcode pool: N workers turning uploaded sources into HLS.

`TranscodePool.run` is a long-lived service (start it with
`await nursery.start(pool.run)`). Its workers take `TranscodeJob`s from a
`JobSource`, plan the ladder, run ffmpeg through `job_runner` with retries and
backoff, publish the output through `HlsPublisher` while it grows, and report
every step as a `JobUpdate` to one async callback. Progress updates are
coalesced (the newest wins), so a slow callback delays reports but never
ffmpeg, and never piles them up.

Cancelling the pool cancels every attempt: each ffmpeg process group is
killed, the work directories are removed and partial outputs are deleted from
storage. A cancelled job is not reported as failed: whoever owns the queue
hands it out again later.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import trio
from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode

from syncwatch.blocking import run_blocking
from syncwatch.errors import ServiceUnavailable
from syncwatch.ids import new_id
from syncwatch.media.ffmpeg import FfmpegTools, MediaInfo, locate_tools
from syncwatch.media.hls_publisher import HlsPublisher
from syncwatch.media.job_runner import ProcessLimits, TranscodeFailed, run_ffmpeg
from syncwatch.media.ladder import TranscodeSettings, build_hls_command, plan_ladder
from syncwatch.media.progress import ProgressEvent
from syncwatch.media.storage import MediaStorage, ObjectNotFound
from syncwatch.media.subtitle_extraction import PublishedSubtitle, extract_subtitles
from syncwatch.media.subtitles import SUBTITLE_CONTENT_TYPE
from syncwatch.observability.logs import get_logger
from syncwatch.observability.tracing import Tracer

log = get_logger("syncwatch.media.transcode")

# Spec 4.6.4: three retries after the first attempt.
DEFAULT_RETRY_BACKOFF_S: tuple[float, ...] = (5.0, 30.0, 120.0)
# How often a running job's new segments are copied to storage.
PUBLISH_INTERVAL_S = 2.0
# At most one progress report per job per this many seconds.
REPORT_INTERVAL_S = 1.0
# Longest wait for storage while deleting a cancelled or failed job's output.
CLEANUP_TIMEOUT_S = 30.0

JobState = Literal["processing", "retrying", "ready", "failed"]


@dataclass(frozen=True, slots=True)
class TranscodeJob:
    job_id: str
    video_id: str
    # Storage key of the uploaded original; ffmpeg reads it in place (a local
    # path or a presigned URL).
    source_key: str
    media: MediaInfo
    # Storage prefix for the HLS output, e.g. `videos/{id}/hls`.
    output_prefix: str

    @property
    def subtitles_prefix(self) -> str:
        """Where the file's own subtitle tracks go: `videos/{id}/subtitles`, beside the HLS."""
        return f"{self.output_prefix.rsplit('/', 1)[0]}/subtitles"


@dataclass(frozen=True, slots=True)
class JobUpdate:
    job_id: str
    video_id: str
    state: JobState
    progress: float
    attempt: int
    speed: float | None = None
    # True once the master playlist is in storage: players may start.
    playable: bool = False
    master_key: str | None = None
    reason: str | None = None
    detail: str | None = None
    # Wall-clock seconds of the successful attempt (for the duration histogram).
    elapsed_s: float | None = None
    retry_in_s: float | None = None
    # On "ready": the text subtitle tracks found in the file, already in storage.
    subtitles: tuple[PublishedSubtitle, ...] = ()


UpdateCallback = Callable[[JobUpdate], Awaitable[None]]


class JobSource(Protocol):
    async def next_job(self) -> TranscodeJob:
        """Wait for and hand out the next job to run."""

    async def release(self, job: TranscodeJob) -> None:
        """Take back a job the pool stopped (cancelled) before it finished."""


class MemoryJobQueue:
    """A bounded in-process queue: the job source when no database queue is used."""

    def __init__(self, max_pending: int = 100) -> None:
        self._send, self._receive = trio.open_memory_channel[TranscodeJob](max_pending)

    def submit(self, job: TranscodeJob) -> None:
        try:
            self._send.send_nowait(job)
        except trio.WouldBlock:
            raise ServiceUnavailable("The transcoding queue is full; try again later.") from None

    @property
    def pending(self) -> int:
        return self._receive.statistics().current_buffer_used

    async def next_job(self) -> TranscodeJob:
        return await self._receive.receive()

    async def release(self, job: TranscodeJob) -> None:
        # In-process jobs die with the process; nobody is left to run them.
        await trio.lowlevel.checkpoint()


@dataclass(slots=True)
class PoolStatistics:
    active_jobs: int = 0
    completed: int = 0
    failed: int = 0
    # Trio-clock times; the health endpoint turns them into ages.
    last_completed_at: float | None = None
    last_failed_at: float | None = None
    active: dict[str, float] = field(default_factory=dict)


class TranscodePool:
    def __init__(
        self,
        *,
        storage: MediaStorage,
        jobs: JobSource,
        work_root: os.PathLike[str] | str,
        on_update: UpdateCallback,
        workers: int | None = None,
        settings: TranscodeSettings | None = None,
        limits: ProcessLimits | None = None,
        retry_backoff_s: Sequence[float] = DEFAULT_RETRY_BACKOFF_S,
        tools: FfmpegTools | None = None,
        tracer: Tracer | None = None,
    ) -> None:
        self.workers = workers or max(1, (os.cpu_count() or 2) // 2)
        # Spec 8.3: one span per job, attempts and retries included (no-op unless configured).
        self._tracer = tracer or trace.NoOpTracer()
        self._storage = storage
        self._jobs = jobs
        self._work_root = Path(work_root)
        self._on_update = on_update
        self._settings = settings or TranscodeSettings()
        self._limits = limits or ProcessLimits()
        self._backoff = tuple(retry_backoff_s)
        self._tools = tools or locate_tools()
        self.statistics = PoolStatistics()

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        await self._sweep_work_root()
        async with trio.open_nursery() as nursery:
            for _ in range(self.workers):
                nursery.start_soon(self._work)
            task_status.started()

    async def _sweep_work_root(self) -> None:
        """Delete what a previous process left behind.

        A server that was killed outright (no cancellation ran) may have left
        work directories, and ffmpeg processes still writing into them: those
        fail at their next segment once the directory is gone, and exit.
        """
        leftovers = await run_blocking("files", _make_and_list, self._work_root)
        for leftover in leftovers:
            log.warning("removing work left by a previous run", path=str(leftover))
            await run_blocking("files", shutil.rmtree, leftover, ignore_errors=True)

    async def _work(self) -> None:
        while True:
            job = await self._jobs.next_job()
            finished = False
            try:
                await self.process(job)
                finished = True
            finally:
                if not finished:
                    with trio.CancelScope(shield=True), trio.move_on_after(CLEANUP_TIMEOUT_S):
                        await self._jobs.release(job)

    async def process(self, job: TranscodeJob) -> JobUpdate:
        """Run `job` to its end (ready or failed), retrying as configured."""
        stats = self.statistics
        stats.active_jobs += 1
        stats.active[job.job_id] = trio.current_time()
        with self._tracer.start_as_current_span(
            "transcode job", attributes={"transcode.job_id": job.job_id, "video.id": job.video_id}
        ) as span:
            try:
                final = await self._attempts(job)
            finally:
                stats.active_jobs -= 1
                stats.active.pop(job.job_id, None)
            span.set_attribute("transcode.state", final.state)
            span.set_attribute("transcode.attempts", final.attempt)
            if final.reason:
                span.set_attribute("transcode.failure_reason", final.reason)
                span.set_status(Status(StatusCode.ERROR, final.reason))
        if final.state == "ready":
            stats.completed += 1
            stats.last_completed_at = trio.current_time()
        else:
            stats.failed += 1
            stats.last_failed_at = trio.current_time()
        await self._notify(final)
        return final

    async def _attempts(self, job: TranscodeJob) -> JobUpdate:
        attempt = 0
        while True:
            attempt += 1
            try:
                try:
                    return await self._attempt(job, attempt)
                except ObjectNotFound as missing:
                    raise TranscodeFailed("source_missing", str(missing)) from missing
                except TranscodeFailed:
                    raise
                except Exception as unexpected:
                    # Storage or file-system trouble: worth another try, never
                    # worth taking the whole pool (and the server) down.
                    log.exception("transcode attempt crashed", job_id=job.job_id)
                    raise TranscodeFailed("internal_error", repr(unexpected)[:300]) from unexpected
            except TranscodeFailed as failure:
                retries_left = attempt <= len(self._backoff)
                if not failure.retryable or not retries_left:
                    return JobUpdate(
                        job.job_id,
                        job.video_id,
                        "failed",
                        0.0,
                        attempt,
                        reason=failure.reason,
                        detail=failure.detail,
                    )
                delay = self._backoff[attempt - 1]
                await self._notify(
                    JobUpdate(
                        job.job_id,
                        job.video_id,
                        "retrying",
                        0.0,
                        attempt,
                        reason=failure.reason,
                        detail=failure.detail,
                        retry_in_s=delay,
                    )
                )
                await trio.sleep(delay)

    async def _attempt(self, job: TranscodeJob, attempt: int) -> JobUpdate:
        started = trio.current_time()
        work_dir = self._work_root / f"{job.job_id}-{attempt}"
        await run_blocking("files", work_dir.mkdir, parents=True, exist_ok=True)
        plan = plan_ladder(job.media, self._settings)
        publisher = HlsPublisher(
            self._storage, work_dir=work_dir, prefix=job.output_prefix, plan=plan
        )
        reports = _LatestUpdate()
        succeeded = False
        try:
            source = await self._storage.locate(job.source_key, expires_s=24 * 3600)
            argv = build_hls_command(
                plan,
                source=source.for_ffmpeg,
                output_dir=str(work_dir),
                tools=self._tools,
                settings=self._settings,
                # Fresh names per attempt: segments are cached as immutable.
                segment_stem=f"seg{secrets.token_hex(3)}",
            )

            def on_progress(event: ProgressEvent) -> None:
                reports.publish(
                    JobUpdate(
                        job.job_id,
                        job.video_id,
                        "processing",
                        event.percent,
                        attempt,
                        speed=event.speed,
                        playable=publisher.master_published,
                        master_key=publisher.master_key if publisher.master_published else None,
                    )
                )

            failure: TranscodeFailed | None = None
            async with trio.open_nursery() as nursery:
                nursery.start_soon(self._report, reports)
                nursery.start_soon(self._publish_periodically, publisher)
                try:
                    await run_ffmpeg(
                        argv,
                        duration_s=job.media.duration_s,
                        log_path=work_dir / "ffmpeg.log",
                        limits=self._limits,
                        on_progress=on_progress,
                        # The first report says "processing" as soon as ffmpeg runs.
                        on_spawn=lambda _pid: on_progress(_STARTED),
                    )
                except TranscodeFailed as raised:
                    failure = raised  # raised below, outside the nursery's exception group
                nursery.cancel_scope.cancel()
            if failure is not None:
                raise failure
            await publisher.sync()
            if not publisher.complete:
                raise TranscodeFailed("ffmpeg_error", "ffmpeg ended without closing every playlist")
            subtitles = await self._publish_subtitles(job, source.for_ffmpeg, work_dir)
            succeeded = True
            return JobUpdate(
                job.job_id,
                job.video_id,
                "ready",
                100.0,
                attempt,
                playable=True,
                master_key=publisher.master_key,
                elapsed_s=trio.current_time() - started,
                subtitles=subtitles,
            )
        finally:
            with trio.CancelScope(shield=True):
                await run_blocking("files", shutil.rmtree, work_dir, ignore_errors=True)
                if not succeeded:
                    # Bounded: a storage outage must not hold up shutdown forever.
                    with trio.move_on_after(CLEANUP_TIMEOUT_S):
                        await self._storage.delete_prefix(job.output_prefix)

    async def _publish_subtitles(
        self, job: TranscodeJob, source: str, work_dir: Path
    ) -> tuple[PublishedSubtitle, ...]:
        """The file's text subtitle tracks, as WebVTT objects beside the HLS output.

        A file whose subtitles cannot be read still plays: the failure is logged
        and the video is ready without them.
        """
        try:
            extracted = await extract_subtitles(
                source,
                work_dir=work_dir,
                duration_s=job.media.duration_s,
                tools=self._tools,
                limits=self._limits,
            )
        except TranscodeFailed as failure:
            log.warning("embedded subtitles not extracted", job_id=job.job_id, reason=str(failure))
            return ()
        published = []
        for track in extracted:
            track_id = new_id()
            key = f"{job.subtitles_prefix}/{track_id}.vtt"
            data = track.webvtt.encode()
            await self._storage.put_bytes(key, data, content_type=SUBTITLE_CONTENT_TYPE)
            published.append(
                PublishedSubtitle(
                    track_id, track.stream.label, track.stream.language, key, len(data)
                )
            )
        return tuple(published)

    async def _notify(self, update: JobUpdate) -> None:
        """Hand `update` to the callback; its failure (a database hiccup) is
        logged, never allowed to take the pool and the server down with it."""
        try:
            await self._on_update(update)
        except Exception:
            log.exception(
                "recording a transcode update failed", job_id=update.job_id, state=update.state
            )

    async def _report(self, reports: _LatestUpdate) -> None:
        while True:
            update = await reports.next()
            await self._notify(update)
            await trio.sleep(REPORT_INTERVAL_S)

    @staticmethod
    async def _publish_periodically(publisher: HlsPublisher) -> None:
        while True:
            await trio.sleep(PUBLISH_INTERVAL_S)
            await publisher.sync()


_STARTED = ProgressEvent(out_time_s=0.0, percent=0.0, speed=None, frame=None, finished=False)


def _make_and_list(root: Path) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    return list(root.iterdir())


class _LatestUpdate:
    """A one-slot mailbox where a newer update replaces an unread older one."""

    def __init__(self) -> None:
        self._value: JobUpdate | None = None
        self._arrived = trio.Event()

    def publish(self, update: JobUpdate) -> None:
        self._value = update
        self._arrived.set()

    async def next(self) -> JobUpdate:
        await self._arrived.wait()
        self._arrived = trio.Event()
        assert self._value is not None
        return self._value
