"""Optional OpenTelemetry tracing (spec 8.3): off unless configured; when on, one
span per HTTP request (continuing the caller's trace), per room command and per
transcode job, caught here by an in-memory exporter on a real server."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import trio
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from syncwatch.observability.tracing import open_tracing
from syncwatch.services import Services, open_services
from syncwatch.settings import ConfigError, Settings, load_settings
from tests.support.environment import TEST_ENVIRONMENT
from tests.support.instance import bearer, register, room_socket, upload, wait_until_ready

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(transcode_preset="ultrafast", upload_bandwidth_mbit=0)


@pytest.fixture
async def services(settings: Settings, exporter: InMemorySpanExporter) -> AsyncIterator[Services]:
    async with open_services(
        settings, fabric_prefix=f"swtest:{secrets.token_hex(4)}:", span_exporter=exporter
    ) as found:
        yield found


def spans_named(exporter: InMemorySpanExporter, name: str) -> list[ReadableSpan]:
    return [span for span in exporter.get_finished_spans() if span.name == name]


async def finished(exporter: InMemorySpanExporter, name: str) -> ReadableSpan:
    """The one span of that name, once it has ended (a reply may arrive before that)."""
    with trio.fail_after(10):
        while not spans_named(exporter, name):
            await trio.sleep(0.01)
    (span,) = spans_named(exporter, name)
    return span


def test_without_an_endpoint_nothing_is_recorded(tmp_path: Any) -> None:
    settings = load_settings(environ=TEST_ENVIRONMENT, data_dir=tmp_path)
    with open_tracing(settings) as tracer, tracer.start_as_current_span("anything") as span:
        assert not span.is_recording()


def test_an_endpoint_must_be_an_http_url(tmp_path: Any) -> None:
    with pytest.raises(ConfigError, match="SYNCWATCH_TRACING_ENDPOINT"):
        load_settings(
            environ={**TEST_ENVIRONMENT, "SYNCWATCH_TRACING_ENDPOINT": "collector:4318"},
            data_dir=tmp_path,
        )


async def test_an_http_request_is_one_span_in_the_callers_trace(
    http: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    response = await http.get(
        "/api/v1/rooms/ABCD2345", headers={"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"}
    )
    assert response.status_code == 404
    span = await finished(exporter, "GET /api/v1/rooms/<code>")
    assert span.context is not None
    assert span.parent is not None
    assert f"{span.context.trace_id:032x}" == TRACE_ID
    assert f"{span.parent.span_id:016x}" == PARENT_ID
    assert span.attributes is not None
    assert span.attributes["http.response.status_code"] == 404
    assert span.attributes["http.route"] == "/api/v1/rooms/<code>"


async def test_room_commands_and_transcode_jobs_are_spans(
    http: httpx.AsyncClient, live_server: str, exporter: InMemorySpanExporter, clip: bytes
) -> None:
    token = await register(http, "traced_owner")
    created = await http.post(
        "/api/v1/rooms",
        json={"maxParticipants": 5, "playbackControl": "all"},
        headers=bearer(token),
    )
    code = created.json()["code"]
    video_id = await upload(http, token, clip, code)
    with trio.fail_after(120):
        await wait_until_ready(http, token, video_id)
    job = await finished(exporter, "transcode job")
    assert job.attributes is not None
    assert job.attributes["video.id"] == video_id
    assert job.attributes["transcode.state"] == "ready"
    assert job.attributes["transcode.attempts"] == 1

    async with room_socket(live_server, code, token) as (room, _):
        await room.request("sync:source", {"sourceType": "upload", "sourceId": video_id})
        played = await room.request("sync:play", {})
    command = await finished(exporter, "room sync:play")
    assert command.attributes is not None
    assert command.attributes["room.code"] == code
    assert command.attributes["sync.command_type"] == "PLAY"
    assert command.attributes["sync.sequence_number"] == played["data"]["sequenceNumber"]
    assert (await finished(exporter, "room sync:source")).attributes is not None
