"""Uploads, status, manifest and HLS delivery over HTTP (CONTRACT.md §1)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import trio

from syncwatch.components import Components
from syncwatch.settings import Settings
from tests.support.media import FFMPEG, MediaFixtures
from tests.support.uploads import (
    PATCH,
    TUS,
    UPLOADS,
    Finished,
    register_uploader,
    upload_in_two_patches,
)


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(transcode_preset="ultrafast", upload_bandwidth_mbit=0)


async def test_an_uploaded_video_becomes_hls_served_with_the_contract_headers(
    client: Any, components: Components, media: MediaFixtures, tmp_path: Path
) -> None:
    auth = await register_uploader(client)
    finished = Finished(components)

    options = await client.options(UPLOADS)
    video_id, last = await upload_in_two_patches(
        client, auth, media.h264_mp4.read_bytes(), "clip.mp4"
    )
    assert last.status_code == 204
    assert last.headers["Tus-Resumable"] == "1.0.0"
    assert (await finished.wait(video_id)).state == "ready"

    status = await (await client.get(f"/api/v1/videos/{video_id}/status", headers=auth)).get_json()
    manifest = await client.get(f"/api/v1/videos/{video_id}/manifest", headers=auth)
    master_url = (await manifest.get_json())["manifestUrl"]
    master = await client.get(master_url)
    variant_url = (
        master_url.rsplit("/", 1)[0]
        + "/"
        + next(
            line
            for line in (await master.get_data(as_text=True)).splitlines()
            if line and not line.startswith("#")
        )
    )
    variant = await client.get(variant_url)
    variant_text = await variant.get_data(as_text=True)
    segment_name = next(ln for ln in variant_text.splitlines() if ln.endswith(".ts"))
    segment_url = variant_url.rsplit("/", 1)[0] + "/" + segment_name
    segment = await client.get(segment_url)
    partial = await client.get(segment_url, headers={"Range": "bytes=188-375"})

    assert options.headers["Tus-Version"] == "1.0.0"
    assert status == {
        "id": video_id,
        "status": "ready",
        "progress": 100,
        "durationMs": pytest.approx(3000, abs=100),
    }
    # The address carries a grant (ADR 0010): /media/g/<grant>/videos/<id>/hls/master.m3u8.
    assert master_url.startswith("/media/g/")
    assert master_url.endswith(f"/videos/{video_id}/hls/master.m3u8")
    for playlist in (master, variant):
        assert playlist.status_code == 200
        assert playlist.headers["Cache-Control"] == "public, max-age=5, stale-while-revalidate=10"
        assert playlist.headers["Content-Type"].startswith("application/vnd.apple.mpegurl")
    assert "#EXT-X-ENDLIST" in variant_text
    assert segment.status_code == 200
    assert segment.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    body = await segment.get_data()
    assert partial.status_code == 206
    assert partial.headers["Content-Range"] == f"bytes 188-375/{len(body)}"
    assert await partial.get_data() == body[188:376]
    # The segment decodes: it is real video.
    (tmp_path / "seg.ts").write_bytes(body)
    decoded = await trio.run_process(
        [FFMPEG, "-v", "error", "-i", str(tmp_path / "seg.ts"), "-f", "null", "-"], check=False
    )
    assert decoded.returncode == 0


async def test_an_audio_only_upload_fails_with_its_reason(
    client: Any, media: MediaFixtures
) -> None:
    auth = await register_uploader(client)

    video_id, last = await upload_in_two_patches(
        client, auth, media.audio_only_m4a.read_bytes(), "song.mp4"
    )
    status = await client.get(f"/api/v1/videos/{video_id}/status", headers=auth)
    manifest = await client.get(f"/api/v1/videos/{video_id}/manifest", headers=auth)
    metrics = await (await client.get("/metrics")).get_data(as_text=True)

    assert last.status_code == 204
    assert (await status.get_json())["status"] == "failed"
    assert (await status.get_json())["error"] == "no_video_stream"
    assert manifest.status_code == 409
    assert (await manifest.get_json())["code"] == "not_ready"
    assert 'syncwatch_transcoding_failures_total{failure_reason="no_video_stream"} 1.0' in metrics
    assert "syncwatch_transcoding_queue_length 0.0" in metrics


async def test_oversized_and_forged_uploads_are_refused_as_problems(
    client: Any, media: MediaFixtures
) -> None:
    auth = await register_uploader(client)
    too_big = await client.post(
        UPLOADS, headers={**auth, **TUS, "Upload-Length": str(8 * 1024**3 + 1)}
    )
    forged = media.forged_mp4.read_bytes()
    created = await client.post(UPLOADS, headers={**auth, **TUS, "Upload-Length": str(len(forged))})
    location = created.headers["Location"]
    refused = await client.patch(
        location, data=forged, headers={**auth, **PATCH, "Upload-Offset": "0"}
    )
    wrong_offset = await client.patch(
        location, data=b"x", headers={**auth, **PATCH, "Upload-Offset": "5"}
    )

    assert too_big.status_code == 413
    assert (await too_big.get_json())["code"] == "too_large"
    assert too_big.headers["Content-Type"] == "application/problem+json"
    assert too_big.headers["Tus-Resumable"] == "1.0.0"
    assert refused.status_code == 415
    assert (await refused.get_json())["code"] == "unsupported_format"
    assert wrong_offset.status_code == 404  # the refused upload is gone


async def test_a_wrong_offset_is_409_and_head_reports_the_real_one(
    client: Any, media: MediaFixtures
) -> None:
    auth = await register_uploader(client)
    data = media.vp9_webm.read_bytes()
    created = await client.post(UPLOADS, headers={**auth, **TUS, "Upload-Length": str(len(data))})
    location = created.headers["Location"]
    await client.patch(location, data=data[:1000], headers={**auth, **PATCH, "Upload-Offset": "0"})

    conflict = await client.patch(
        location, data=data[500:], headers={**auth, **PATCH, "Upload-Offset": "500"}
    )
    head = await client.head(location, headers={**auth, **TUS})

    assert conflict.status_code == 409
    assert head.status_code == 200
    assert head.headers["Upload-Offset"] == "1000"
    assert head.headers["Cache-Control"] == "no-store"


async def test_guests_and_anonymous_callers_cannot_upload(client: Any) -> None:
    guest = await client.post("/api/v1/auth/guest", json={})
    guest_auth = {"Authorization": f"Bearer {(await guest.get_json())['accessToken']}"}

    as_guest = await client.post(UPLOADS, headers={**guest_auth, **TUS, "Upload-Length": "10"})
    anonymous = await client.post(UPLOADS, headers={**TUS, "Upload-Length": "10"})

    assert as_guest.status_code == 403
    assert anonymous.status_code == 401


async def test_unknown_videos_and_non_hls_paths_are_not_found(client: Any) -> None:
    auth = await register_uploader(client)

    status = await client.get("/api/v1/videos/nope/status", headers=auth)
    source = await client.get("/media/videos/abc/source")
    escape = await client.get("/media/videos/abc/hls/../../secret.ts")

    assert status.status_code == 404
    assert source.status_code == 404
    assert escape.status_code == 404


async def test_transcoder_health_reports_ffmpeg_and_the_queue(client: Any) -> None:
    response = await client.get("/health/transcoder")
    body = await response.get_json()

    assert response.status_code == 200
    assert body["healthy"] is True
    assert body["ffmpegAvailable"] is True
    assert body["activeJobs"] == 0
    assert body["queueDepth"] == 0
    assert {"cpuUsagePercent", "memoryUsageMB"} <= set(body)


async def _cut_body(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 16384):
        yield data[start : start + 16384]
    raise ConnectionAbortedError("the network went away")


async def test_over_a_real_socket_a_dropped_patch_resumes_where_it_stopped(
    http: httpx.AsyncClient, components: Components, media: MediaFixtures
) -> None:
    register = await http.post(
        "/api/v1/auth/register",
        json={"email": "net@example.org", "username": "net", "password": "correct horse"},
    )
    auth = {"Authorization": f"Bearer {register.json()['accessToken']}"}
    data = media.h264_720p_mp4.read_bytes()
    finished = Finished(components)
    created = await http.post(UPLOADS, headers={**auth, **TUS, "Upload-Length": str(len(data))})
    location = created.headers["Location"]

    # The dropped request gets a connection of its own, as a browser's would.
    async with httpx.AsyncClient(base_url=str(http.base_url)) as doomed:
        with pytest.raises(ConnectionAbortedError):
            await doomed.patch(
                location,
                content=_cut_body(data[: len(data) * 3 // 4]),
                headers={**auth, **PATCH, "Upload-Offset": "0"},
            )
    with trio.fail_after(10):
        while True:  # what a tus client does: ask for the offset, resume, back off on 409
            head = await http.head(location, headers={**auth, **TUS})
            offset = int(head.headers["Upload-Offset"])
            resumed = await http.patch(
                location,
                content=data[offset:],
                headers={**auth, **PATCH, "Upload-Offset": str(offset)},
            )
            if resumed.status_code != 409:
                break
            await trio.sleep(0.05)

    # Bytes the server read before the drop are kept; any still in flight are sent again.
    assert 0 <= offset <= len(data) * 3 // 4
    assert resumed.status_code == 204
    assert resumed.headers["Upload-Offset"] == str(len(data))
    assert (await finished.wait(location.rsplit("/", 1)[1])).state == "ready"


async def test_with_s3_storage_segments_redirect_to_presigned_urls(
    settings_factory: Callable[..., Settings], s3_endpoint: str, media: MediaFixtures
) -> None:
    from syncwatch.app import create_app
    from syncwatch.components import open_components

    settings = settings_factory(
        transcode_preset="ultrafast",
        storage_url=f"s3://key:secret@{s3_endpoint}/media-http?secure=false",
    )
    async with open_components(settings) as components:
        app = create_app(components)
        async with app.test_app() as test_app:
            client = test_app.test_client()
            auth = await register_uploader(client)
            finished = Finished(components)
            video_id, _ = await upload_in_two_patches(
                client, auth, media.silent_mp4.read_bytes(), "s.mp4"
            )
            assert (await finished.wait(video_id)).state == "ready"
            manifest = await client.get(f"/api/v1/videos/{video_id}/manifest", headers=auth)
            base = (await manifest.get_json())["manifestUrl"].rsplit("/", 1)[0]
            variant = await client.get(f"{base}/180p/index.m3u8")
            segment_name = next(
                line
                for line in (await variant.get_data(as_text=True)).splitlines()
                if line.endswith(".ts")
            )
            redirect = await client.get(f"{base}/180p/{segment_name}")

    assert variant.status_code == 200
    assert variant.headers["Cache-Control"] == "public, max-age=5, stale-while-revalidate=10"
    assert redirect.status_code == 302
    async with httpx.AsyncClient() as outside:
        fetched = await outside.get(redirect.headers["Location"])
    assert fetched.status_code == 200
    assert fetched.content[:1] == b"\x47"  # an MPEG-TS packet
    assert fetched.headers["Cache-Control"] == "public, max-age=31536000, immutable"
