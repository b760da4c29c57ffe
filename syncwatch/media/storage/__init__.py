"""Where media objects live: one interface, two implementations.

`MediaStorage` stores uploaded originals and HLS output under slash-separated
keys (`videos/{id}/hls/720p/seg_00001.ts`). `files.FileStorage` keeps them
under a directory; `s3.S3Storage` in an S3-compatible bucket (MinIO, AWS,
moto). `open_storage(url)` picks one, once, at startup:

    file:///var/lib/syncwatch/media
    s3://ACCESS_KEY:SECRET_KEY@minio:9000/bucket[/key/prefix]?secure=false&region=us-east-1

Access and secret keys are percent-decoded, so keys holding `/`, `:` or `@`
are written percent-encoded. `secure` defaults to true (HTTPS).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import parse_qs, unquote, urlsplit

from syncwatch.errors import NotFound


class ObjectNotFound(NotFound):
    code, title = "not_found", "No such media object"


@dataclass(frozen=True, slots=True)
class Location:
    """How to reach an object from outside the storage: exactly one is set."""

    path: Path | None = None
    url: str | None = None

    @property
    def for_ffmpeg(self) -> str:
        """A string ffmpeg accepts as `-i` (a local path or an HTTP URL)."""
        return str(self.path) if self.path is not None else str(self.url)


@runtime_checkable
class MediaStorage(Protocol):
    async def put_file(self, key: str, path: Path, *, content_type: str | None = None) -> None:
        """Store the file at `path` under `key`; readers never see a half-written object."""

    async def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        """Store `data` under `key`, replacing any previous object atomically."""

    async def read(self, key: str, *, start: int = 0, length: int | None = None) -> bytes:
        """Bytes `start .. start+length` of the object (to its end when length is None)."""

    def read_chunks(
        self, key: str, *, start: int = 0, length: int | None = None, chunk_size: int = 65536
    ) -> AsyncIterator[bytes]:
        """The same range as `read`, streamed, for serving large objects."""

    async def exists(self, key: str) -> bool: ...

    async def size(self, key: str) -> int:
        """Size in bytes; raises `ObjectNotFound`."""

    async def list_prefix(self, prefix: str) -> list[str]:
        """Every key under `prefix`, sorted."""

    async def delete_prefix(self, prefix: str) -> int:
        """Delete every key under `prefix`; returns how many were deleted."""

    async def locate(
        self, key: str, *, expires_s: int = 3600, cache_control: str | None = None
    ) -> Location:
        """A local path (files) or a presigned GET URL valid `expires_s` seconds (S3).

        `cache_control` is the Cache-Control the S3 server sends with the object
        when the URL is fetched (ignored for local paths).
        """


def validate_key(key: str) -> str:
    """Keys are relative slash paths without `.`/`..` parts; anything else is a bug."""
    parts = key.split("/")
    if not key or key.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"invalid storage key: {key!r}")
    return key


def validate_prefix(prefix: str) -> str:
    """A prefix is a key that may end with `/`; the empty prefix means everything."""
    trimmed = prefix.rstrip("/")
    if trimmed:
        validate_key(trimmed)
    return trimmed


async def open_storage(url: str) -> MediaStorage:
    """Build the storage the URL names (see the module docstring for the forms)."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        from syncwatch.media.storage.files import FileStorage

        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise ValueError("file storage URLs are file:///absolute/path")
        return FileStorage(Path(unquote(parts.path)))
    if parts.scheme == "s3":
        from syncwatch.media.storage.s3 import S3Storage

        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        bucket, _, key_prefix = parts.path.lstrip("/").partition("/")
        if not parts.hostname or not bucket:
            raise ValueError("S3 storage URLs are s3://ACCESS:SECRET@host:port/bucket[/prefix]")
        endpoint = parts.hostname + (f":{parts.port}" if parts.port else "")
        storage = S3Storage(
            endpoint=endpoint,
            access_key=unquote(parts.username or ""),
            secret_key=unquote(parts.password or ""),
            bucket=bucket,
            key_prefix=key_prefix.strip("/"),
            secure=query.get("secure", "true").lower() not in ("false", "0", "no"),
            region=query.get("region"),
        )
        await storage.ensure_bucket()
        return storage
    raise ValueError(f"unsupported media storage URL scheme: {parts.scheme!r}")
