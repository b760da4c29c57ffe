"""Optional OpenTelemetry tracing (spec 8.3): off unless configured.

With `SYNCWATCH_TRACING_ENDPOINT` (an OTLP/HTTP traces URL such as
`http://otel-collector:4318/v1/traces`) spans go there in batches, from the
SDK's own exporter thread, never from the Trio loop. Without it every tracer
call is OpenTelemetry's no-op: nothing is recorded and nothing is exported.

Spans: one per HTTP request (`syncwatch.http.hygiene`, continuing a W3C
`traceparent` from the caller), one per room command a member sends
(`syncwatch.rooms.room`), one per transcode job (`syncwatch.media.transcode_pool`).
Tests pass their own exporter (an in-memory one) to `open_tracing`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
)

from syncwatch import __version__
from syncwatch.settings import Settings

Tracer = trace.Tracer
INSTRUMENTATION = "syncwatch"


@contextmanager
def open_tracing(settings: Settings, *, exporter: SpanExporter | None = None) -> Iterator[Tracer]:
    """The process's tracer; flushes and stops the exporter on the way out."""
    if exporter is None and not settings.tracing_endpoint:
        yield trace.NoOpTracer()
        return
    provider = TracerProvider(
        resource=Resource.create({"service.name": "syncwatch", "service.version": __version__})
    )
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.tracing_endpoint))
        )
    try:
        yield provider.get_tracer(INSTRUMENTATION, __version__)
    finally:
        provider.shutdown()
