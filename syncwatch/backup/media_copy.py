"""Media objects copied out of storage into a backup directory, and back in.

Works through the `MediaStorage` interface, so files and S3 are the same to it.
Every object is streamed once and hashed on the way; the manifest records its
size and SHA-256, and a restore or verification hashes it again.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

import trio

from syncwatch.backup.manifest import BackupError, MediaObject
from syncwatch.blocking import run_blocking
from syncwatch.media.hls_publisher import PLAYLIST_CONTENT_TYPE, SEGMENT_CONTENT_TYPE
from syncwatch.media.storage import MediaStorage, validate_key

# Objects copied at once: enough to hide S3 round trips, few enough for two cores.
PARALLEL_COPIES = 8
CHUNK_BYTES = 1024 * 1024

# HLS types as the publisher stores them (mimetypes knows neither on every system).
_CONTENT_TYPES = {".m3u8": PLAYLIST_CONTENT_TYPE, ".ts": SEGMENT_CONTENT_TYPE}


class MediaCorrupt(BackupError):
    """An object in the backup is missing or does not match its checksum."""


def content_type(key: str) -> str | None:
    suffix = Path(key).suffix.lower()
    return _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(key)[0]


async def _copy_out(storage: MediaStorage, key: str, target: Path) -> MediaObject:
    digest = hashlib.sha256()
    size = 0
    await run_blocking("storage", lambda: target.parent.mkdir(parents=True, exist_ok=True))
    handle = await run_blocking("storage", target.open, "wb")
    try:
        async for chunk in storage.read_chunks(key, chunk_size=CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            await run_blocking("storage", handle.write, chunk)
    finally:
        await run_blocking("storage", handle.close)
    return MediaObject(key=key, size=size, sha256=digest.hexdigest())


async def copy_out(storage: MediaStorage, directory: Path) -> list[MediaObject]:
    """Every object in `storage`, written under `directory` by key; sorted by key."""
    keys = await storage.list_prefix("")
    copied: list[MediaObject] = []
    limiter = trio.CapacityLimiter(PARALLEL_COPIES)

    async def one(key: str) -> None:
        async with limiter:
            copied.append(await _copy_out(storage, key, directory / validate_key(key)))

    async with trio.open_nursery() as nursery:
        for key in keys:
            nursery.start_soon(one, key)
    return sorted(copied, key=lambda item: item.key)


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file (blocking)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


async def check_copies(objects: list[MediaObject], directory: Path) -> list[str]:
    """The problems with the copies under `directory`, one readable line each."""
    problems: list[str] = []
    limiter = trio.CapacityLimiter(PARALLEL_COPIES)

    async def one(item: MediaObject) -> None:
        path = directory / validate_key(item.key)
        async with limiter:
            if not await run_blocking("storage", path.is_file):
                problems.append(f"media object {item.key} is missing")
                return
            size, sha256 = await run_blocking("storage", file_digest, path)
        if (size, sha256) != (item.size, item.sha256):
            problems.append(f"media object {item.key} does not match its checksum")

    async with trio.open_nursery() as nursery:
        for item in objects:
            nursery.start_soon(one, item)
    return sorted(problems)


async def copy_in(objects: list[MediaObject], directory: Path, storage: MediaStorage) -> None:
    """Put every object back into `storage`, which must hold nothing yet."""
    if await storage.list_prefix(""):
        raise MediaCorrupt("the target media storage is not empty: restore into an empty one")
    limiter = trio.CapacityLimiter(PARALLEL_COPIES)

    async def one(item: MediaObject) -> None:
        async with limiter:
            await storage.put_file(
                item.key, directory / validate_key(item.key), content_type=content_type(item.key)
            )

    async with trio.open_nursery() as nursery:
        for item in objects:
            nursery.start_soon(one, item)
