"""The storage contract, run on the file system and on a real S3 server."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from syncwatch.media.storage import MediaStorage, ObjectNotFound, open_storage


async def test_bytes_written_are_read_back_whole_and_by_range(storage: MediaStorage) -> None:
    await storage.put_bytes("videos/v1/hls/master.m3u8", b"0123456789")

    assert await storage.read("videos/v1/hls/master.m3u8") == b"0123456789"
    assert await storage.read("videos/v1/hls/master.m3u8", start=3, length=4) == b"3456"
    assert await storage.read("videos/v1/hls/master.m3u8", start=7) == b"789"
    assert await storage.size("videos/v1/hls/master.m3u8") == 10


async def test_a_file_is_stored_and_streamed_in_chunks(
    storage: MediaStorage, tmp_path: Path
) -> None:
    source = tmp_path / "segment.ts"
    payload = bytes(range(256)) * 1000
    source.write_bytes(payload)

    await storage.put_file("videos/v1/hls/360p/seg_00000.ts", source, content_type="video/mp2t")

    chunks = [
        chunk
        async for chunk in storage.read_chunks(
            "videos/v1/hls/360p/seg_00000.ts", start=1000, length=100_000, chunk_size=30_000
        )
    ]
    assert b"".join(chunks) == payload[1000:101_000]
    assert len(chunks) == 4


async def test_replacing_an_object_keeps_only_the_new_content(storage: MediaStorage) -> None:
    await storage.put_bytes("a/index.m3u8", b"old playlist, longer")
    await storage.put_bytes("a/index.m3u8", b"new")

    assert await storage.read("a/index.m3u8") == b"new"


async def test_missing_objects_are_reported_as_not_found(storage: MediaStorage) -> None:
    assert not await storage.exists("nothing/here")
    with pytest.raises(ObjectNotFound):
        await storage.size("nothing/here")
    with pytest.raises(ObjectNotFound):
        await storage.read("nothing/here")
    with pytest.raises(ObjectNotFound):
        await storage.locate("nothing/here")


async def test_prefixes_are_folders_when_listing_and_deleting(storage: MediaStorage) -> None:
    for key in ("videos/a/hls/1.ts", "videos/a/hls/2.ts", "videos/a/source", "videos/ab/source"):
        await storage.put_bytes(key, b"x")

    assert await storage.list_prefix("videos/a") == [
        "videos/a/hls/1.ts",
        "videos/a/hls/2.ts",
        "videos/a/source",
    ]
    assert await storage.delete_prefix("videos/a/") == 3
    assert await storage.list_prefix("videos") == ["videos/ab/source"]
    assert await storage.exists("videos/ab/source")
    assert await storage.delete_prefix("videos/none") == 0


async def test_keys_that_could_escape_the_store_are_refused(storage: MediaStorage) -> None:
    for bad in ("../etc/passwd", "/abs", "a//b", "a/./b", ""):
        with pytest.raises(ValueError):
            await storage.put_bytes(bad, b"x")


async def test_located_objects_are_readable_by_an_outside_reader(storage: MediaStorage) -> None:
    await storage.put_bytes("videos/v/hls/master.m3u8", b"#EXTM3U\n")

    location = await storage.locate("videos/v/hls/master.m3u8", expires_s=60)

    if location.path is not None:
        assert location.path.read_bytes() == b"#EXTM3U\n"
    else:
        assert location.url is not None
        async with httpx.AsyncClient() as client:
            response = await client.get(location.url)
        assert response.status_code == 200
        assert response.content == b"#EXTM3U\n"


async def test_file_urls_must_be_absolute(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        await open_storage("file://relative/dir")
    with pytest.raises(ValueError):
        await open_storage("ftp://host/bucket")
    opened = await open_storage(f"file://{tmp_path}/store")
    await opened.put_bytes("k", b"v")
    assert (tmp_path / "store" / "k").read_bytes() == b"v"


async def test_s3_url_carries_credentials_bucket_and_key_prefix(s3_endpoint: str) -> None:
    opened = await open_storage(
        f"s3://test-key:se%2Fc%40ret@{s3_endpoint}/prefixed/tenant/one?secure=false"
    )
    await opened.put_bytes("videos/x", b"1")

    assert await opened.list_prefix("videos") == ["videos/x"]
    other_tenant = await open_storage(f"s3://k:s@{s3_endpoint}/prefixed/tenant/two?secure=false")
    assert await other_tenant.list_prefix("") == []


async def test_a_stored_file_outlives_its_source(storage: MediaStorage, tmp_path: Path) -> None:
    # The tus server deletes a finished upload's part file once it is stored.
    source = tmp_path / "upload.part"
    source.write_bytes(b"finished upload")
    await storage.put_file("videos/v/source", source)

    source.unlink()

    assert await storage.read("videos/v/source") == b"finished upload"
