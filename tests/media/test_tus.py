"""The tus 1.0.0 server as a client sees it: create, resume, finish, refuse."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from pathlib import Path

import pytest
import trio
import trio.testing

from syncwatch.errors import (
    BadRequest,
    PayloadTooLarge,
    RateLimited,
    UnsupportedFormat,
)
from syncwatch.media.magic import Container
from syncwatch.media.tus import (
    CompletedUpload,
    OffsetMismatch,
    QuotaExceeded,
    TusLimits,
    TusServer,
    TusVersionUnsupported,
    UploadNotFound,
)
from syncwatch.media.upload_limits import BandwidthThrottle, UploadRateLimiter
from tests.support.media import MediaFixtures

TUS = {"Tus-Resumable": "1.0.0"}
PATCH = {**TUS, "Content-Type": "application/offset+octet-stream"}
USER = "user-1"


def _spool_files(spool: Path) -> list[Path]:
    return list(spool.iterdir())


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


class Completions:
    def __init__(self) -> None:
        self.uploads: list[CompletedUpload] = []
        self.contents: list[bytes] = []

    async def __call__(self, upload: CompletedUpload) -> None:
        self.uploads.append(upload)
        self.contents.append(upload.path.read_bytes())


def _server(
    spool: Path,
    completions: Callable[[CompletedUpload], Awaitable[None]],
    **options: object,
) -> TusServer:
    options.setdefault("throttle", BandwidthThrottle(rate_bits_per_s=0))
    return TusServer(
        spool_dir=spool, base_path="/api/v1/videos/uploads", on_complete=completions, **options
    )  # type: ignore[arg-type]


async def _body(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def _cut_after(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    """A body whose connection drops after the given chunks."""
    for chunk in chunks:
        yield chunk
    raise ConnectionResetError("client went away")


async def _create(server: TusServer, length: int, name: str = "holiday.mp4") -> str:
    response = await server.create(
        user_id=USER,
        headers={
            **TUS,
            "Upload-Length": str(length),
            "Upload-Metadata": f"filename {_b64(name)},roomCode {_b64('ABCD2345')}",
        },
    )
    assert response.status == 201
    return response.headers["Location"].rsplit("/", 1)[1]


async def _offset(server: TusServer, upload_id: str) -> int:
    response = await server.head(upload_id, user_id=USER, headers=TUS)
    assert response.status == 200
    return int(response.headers["Upload-Offset"])


def test_options_advertise_version_size_and_extensions(tmp_path: Path) -> None:
    headers = _server(tmp_path, Completions()).options().headers

    assert headers["Tus-Version"] == "1.0.0"
    assert headers["Tus-Max-Size"] == str(8 * 1024**3)
    assert headers["Tus-Extension"] == "creation,termination,expiration"


async def test_an_upload_in_two_patches_completes_with_its_metadata(
    tmp_path: Path, media: MediaFixtures
) -> None:
    data = media.h264_mp4.read_bytes()
    completions = Completions()
    server = _server(tmp_path, completions)

    upload_id = await _create(server, len(data))
    first = await server.patch(
        upload_id, user_id=USER, headers={**PATCH, "Upload-Offset": "0"}, body=_body([data[:1000]])
    )
    second = await server.patch(
        upload_id,
        user_id=USER,
        headers={**PATCH, "Upload-Offset": "1000"},
        body=_body([data[1000:5000], data[5000:]]),
    )

    assert first.status == second.status == 204
    assert first.headers["Upload-Offset"] == "1000"
    assert second.headers["Upload-Offset"] == str(len(data))
    (done,) = completions.uploads
    assert completions.contents == [data]
    assert (done.upload_id, done.filename, done.room_code) == (upload_id, "holiday.mp4", "ABCD2345")
    assert done.container is Container.MP4
    assert await _offset(server, upload_id) == len(data)  # a lost final reply is recoverable
    assert not done.path.exists()


async def test_a_patch_cut_midway_resumes_from_what_arrived(
    tmp_path: Path, media: MediaFixtures
) -> None:
    data = media.vp9_webm.read_bytes()
    completions = Completions()
    server = _server(tmp_path, completions)
    upload_id = await _create(server, len(data))

    with pytest.raises(ConnectionResetError):
        await server.patch(
            upload_id,
            user_id=USER,
            headers={**PATCH, "Upload-Offset": "0"},
            body=_cut_after([data[:3000], data[3000:7000]]),
        )
    offset = await _offset(server, upload_id)
    await server.patch(
        upload_id,
        user_id=USER,
        headers={**PATCH, "Upload-Offset": str(offset)},
        body=_body([data[offset:]]),
    )

    assert offset == 7000
    assert completions.contents == [data]


async def test_an_upload_survives_a_server_restart(tmp_path: Path, media: MediaFixtures) -> None:
    data = media.h264_mp4.read_bytes()
    completions = Completions()
    before = _server(tmp_path, completions)
    upload_id = await _create(before, len(data))
    await before.patch(
        upload_id, user_id=USER, headers={**PATCH, "Upload-Offset": "0"}, body=_body([data[:4096]])
    )

    after = _server(tmp_path, completions)
    head = await after.head(upload_id, user_id=USER, headers=TUS)
    await after.patch(
        upload_id,
        user_id=USER,
        headers={**PATCH, "Upload-Offset": "4096"},
        body=_body([data[4096:]]),
    )

    assert head.headers["Upload-Offset"] == "4096"
    assert head.headers["Upload-Length"] == str(len(data))
    assert "filename " + _b64("holiday.mp4") in head.headers["Upload-Metadata"]
    assert completions.contents == [data]


async def test_a_wrong_offset_is_a_conflict_and_stores_nothing(
    tmp_path: Path, media: MediaFixtures
) -> None:
    data = media.h264_mp4.read_bytes()
    server = _server(tmp_path, Completions())
    upload_id = await _create(server, len(data))

    with pytest.raises(OffsetMismatch) as caught:
        await server.patch(
            upload_id,
            user_id=USER,
            headers={**PATCH, "Upload-Offset": "10"},
            body=_body([data[10:100]]),
        )

    assert caught.value.status == 409
    assert await _offset(server, upload_id) == 0


async def test_an_oversized_upload_is_refused_at_creation(tmp_path: Path) -> None:
    server = _server(tmp_path, Completions())

    with pytest.raises(PayloadTooLarge) as caught:
        await server.create(user_id=USER, headers={**TUS, "Upload-Length": str(8 * 1024**3 + 1)})

    assert (caught.value.status, caught.value.code) == (413, "too_large")
    assert _spool_files(tmp_path) == []


async def test_bytes_that_are_not_a_video_are_refused_before_being_stored(
    tmp_path: Path, media: MediaFixtures
) -> None:
    forged = media.forged_mp4.read_bytes()
    server = _server(tmp_path, Completions())
    upload_id = await _create(server, len(forged), name="totally-a-video.mp4")

    with pytest.raises(UnsupportedFormat) as caught:
        await server.patch(
            upload_id, user_id=USER, headers={**PATCH, "Upload-Offset": "0"}, body=_body([forged])
        )

    assert caught.value.status == 415
    assert _spool_files(tmp_path) == []
    with pytest.raises(UploadNotFound):
        await server.head(upload_id, user_id=USER, headers=TUS)


async def test_magic_bytes_spread_over_tiny_chunks_are_still_checked(
    tmp_path: Path, media: MediaFixtures
) -> None:
    data = media.vp9_webm.read_bytes()
    completions = Completions()
    server = _server(tmp_path, completions)
    upload_id = await _create(server, len(data))

    await server.patch(
        upload_id, user_id=USER, headers={**PATCH, "Upload-Offset": "0"}, body=_body([data[:10]])
    )
    await server.patch(
        upload_id, user_id=USER, headers={**PATCH, "Upload-Offset": "10"}, body=_body([data[10:]])
    )

    assert completions.uploads[0].container is Container.WEBM


async def test_the_wrong_content_type_or_version_is_refused(tmp_path: Path) -> None:
    server = _server(tmp_path, Completions())
    upload_id = await _create(server, 100)

    with pytest.raises(UnsupportedFormat):
        await server.patch(
            upload_id,
            user_id=USER,
            headers={**TUS, "Content-Type": "video/mp4", "Upload-Offset": "0"},
            body=_body([b"x"]),
        )
    with pytest.raises(TusVersionUnsupported) as caught:
        await server.head(upload_id, user_id=USER, headers={"Tus-Resumable": "0.2.2"})
    assert caught.value.status == 412
    with pytest.raises(BadRequest):
        await server.create(user_id=USER, headers={**TUS, "Upload-Length": "-5"})
    with pytest.raises(BadRequest):
        await server.create(
            user_id=USER,
            headers={**TUS, "Upload-Length": "5", "Upload-Metadata": "filename not*base64"},
        )


async def test_termination_deletes_the_upload(tmp_path: Path) -> None:
    server = _server(tmp_path, Completions())
    upload_id = await _create(server, 1000)
    await server.patch(
        upload_id,
        user_id=USER,
        headers={**PATCH, "Upload-Offset": "0"},
        body=_body([b"\x1a\x45\xdf\xa3" + b"\x00" * 396]),
    )

    response = await server.terminate(upload_id, user_id=USER, headers=TUS)

    assert response.status == 204
    assert _spool_files(tmp_path) == []
    with pytest.raises(UploadNotFound):
        await server.head(upload_id, user_id=USER, headers=TUS)


async def test_someone_elses_upload_does_not_exist_for_you(tmp_path: Path) -> None:
    server = _server(tmp_path, Completions())
    upload_id = await _create(server, 1000)

    with pytest.raises(UploadNotFound):
        await server.head(upload_id, user_id="intruder", headers=TUS)
    with pytest.raises(UploadNotFound):
        await server.terminate(upload_id, user_id="intruder", headers=TUS)


async def test_the_user_quota_counts_uploads_in_progress_and_stored_videos(
    tmp_path: Path,
) -> None:
    async def stored(user_id: str) -> int:
        return 15 * 1000**3

    server = _server(tmp_path, Completions(), stored_bytes=stored)
    await _create(server, 3 * 1000**3)

    with pytest.raises(QuotaExceeded) as caught:
        await _create(server, 3 * 1000**3)

    assert caught.value.status == 413


async def test_a_fourth_upload_within_an_hour_is_rate_limited(
    autojump_clock: trio.testing.MockClock, tmp_path: Path
) -> None:
    server = _server(tmp_path, Completions(), rate_limiter=UploadRateLimiter(3, 3600))
    for _ in range(3):
        await _create(server, 100)
        await trio.sleep(60)

    with pytest.raises(RateLimited) as caught:
        await _create(server, 100)
    assert caught.value.retry_after == 3600 - 180

    await trio.sleep(caught.value.retry_after)
    await _create(server, 100)


async def test_abandoned_uploads_expire(
    autojump_clock: trio.testing.MockClock, tmp_path: Path
) -> None:
    from syncwatch.clock import Clock

    server = _server(tmp_path, Completions(), clock=Clock(), limits=TusLimits(expiry_s=3600))
    kept = await _create(server, 1000)
    abandoned = await _create(server, 1000)
    await trio.sleep(1800)
    await server.patch(
        kept,
        user_id=USER,
        headers={**PATCH, "Upload-Offset": "0"},
        body=_body([b"\x1a\x45\xdf\xa3" + b"\x00" * 396]),
    )
    await trio.sleep(1801)

    assert await server.expire_abandoned() == 1
    with pytest.raises(UploadNotFound):
        await server.head(abandoned, user_id=USER, headers=TUS)
    assert await _offset(server, kept) == 400


async def test_bandwidth_is_throttled_per_user(
    autojump_clock: trio.testing.MockClock, tmp_path: Path
) -> None:
    throttle = BandwidthThrottle(rate_bits_per_s=8_000_000)  # 1 MB/s, 1 MB burst
    server = _server(tmp_path, Completions(), throttle=throttle)
    upload_id = await _create(server, 5_000_000)
    chunk = b"\x1a\x45\xdf\xa3" + b"\x00" * 499_996
    started = trio.current_time()

    await server.patch(
        upload_id,
        user_id=USER,
        headers={**PATCH, "Upload-Offset": "0"},
        body=_body([chunk] + [b"\x00" * 500_000] * 7),
    )

    # 4 MB at 1 MB/s after a free 1 MB burst: 3 s.
    assert trio.current_time() - started == pytest.approx(3.0, abs=0.01)


async def test_a_failed_hand_over_is_retried_when_the_client_asks_for_the_offset(
    tmp_path: Path, media: MediaFixtures
) -> None:
    data = media.h264_mp4.read_bytes()
    completions = Completions()
    failures = [RuntimeError("storage is down")]

    async def flaky(upload: CompletedUpload) -> None:
        if failures:
            raise failures.pop()
        await completions(upload)

    server = _server(tmp_path, flaky)
    upload_id = await _create(server, len(data))
    with pytest.raises(RuntimeError):
        await server.patch(
            upload_id, user_id=USER, headers={**PATCH, "Upload-Offset": "0"}, body=_body([data])
        )

    assert await _offset(server, upload_id) == len(data)
    assert completions.contents == [data]
