"""The transcoding metrics of spec 8.2, registered on the application's registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class MediaMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.transcoding_duration = Histogram(
            "syncwatch_transcoding_duration_seconds",
            "Wall time of successful transcodes, by source duration and top rendition.",
            ("video_duration_bucket", "resolution"),
            buckets=(10, 30, 60, 300, 600, 1800, 3600, 7200),
            registry=registry,
        )
        self.transcoding_failures = Counter(
            "syncwatch_transcoding_failures_total",
            "Uploads that did not become playable, by reason (timeout, stalled, undecodable, ...).",
            ("failure_reason",),
            registry=registry,
        )
        self.queue_length = Gauge(
            "syncwatch_transcoding_queue_length",
            "Transcode jobs waiting for a worker.",
            registry=registry,
        )
        self.oldest_queued_age = Gauge(
            "syncwatch_transcoding_queue_oldest_age_seconds",
            "How long the oldest waiting transcode job has waited (0 when none waits).",
            registry=registry,
        )
        self.active_jobs = Gauge(
            "syncwatch_transcoding_active_jobs",
            "Transcode jobs running in this process.",
            registry=registry,
        )


def duration_bucket(duration_s: float) -> str:
    """A coarse label for the source duration, so the histogram stays small."""
    for limit, label in ((60, "under_1m"), (600, "under_10m"), (3600, "under_1h")):
        if duration_s < limit:
            return label
    return "1h_or_more"
