"""Media objects in an S3-compatible bucket, through the `minio` client.

Every client call blocks, so each runs through `run_blocking("storage", ...)`.
Objects appear atomically on S3 by nature, so no temporary names are needed.
Readers outside the server (browsers, ffmpeg) get presigned GET URLs.
A prefix is a folder: `list_prefix("videos/a")` never returns `videos/ab/...`.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

from minio import Minio
from minio.deleteobjects import DeleteObject
from minio.error import S3Error

from syncwatch.blocking import run_blocking
from syncwatch.media.storage import Location, ObjectNotFound, validate_key, validate_prefix

_MISSING_CODES = frozenset({"NoSuchKey", "NoSuchObject", "ResourceNotFound"})


class S3Storage:
    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        key_prefix: str = "",
        secure: bool = True,
        region: str | None = None,
    ) -> None:
        self.bucket = bucket
        self._key_prefix = f"{key_prefix}/" if key_prefix else ""
        self._client = Minio(
            endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region
        )

    async def ensure_bucket(self) -> None:
        if not await run_blocking("storage", self._client.bucket_exists, self.bucket):
            await run_blocking("storage", self._client.make_bucket, self.bucket)

    def _name(self, key: str) -> str:
        return self._key_prefix + validate_key(key)

    def _folder(self, prefix: str) -> str:
        trimmed = validate_prefix(prefix)
        return self._key_prefix + (f"{trimmed}/" if trimmed else "")

    async def put_file(self, key: str, path: Path, *, content_type: str | None = None) -> None:
        await run_blocking(
            "storage",
            self._client.fput_object,
            self.bucket,
            self._name(key),
            str(path),
            content_type=content_type or "application/octet-stream",
        )

    async def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        await run_blocking(
            "storage",
            self._client.put_object,
            self.bucket,
            self._name(key),
            io.BytesIO(data),
            len(data),
            content_type=content_type or "application/octet-stream",
        )

    async def read(self, key: str, *, start: int = 0, length: int | None = None) -> bytes:
        if length == 0:
            return b""
        return await run_blocking("storage", self._read, self._name(key), start, length or 0)

    async def read_chunks(
        self, key: str, *, start: int = 0, length: int | None = None, chunk_size: int = 1 << 20
    ) -> AsyncIterator[bytes]:
        remaining = length if length is not None else await self.size(key) - start
        position = start
        while remaining > 0:
            chunk = await self.read(key, start=position, length=min(chunk_size, remaining))
            if not chunk:
                return
            position += len(chunk)
            remaining -= len(chunk)
            yield chunk

    async def exists(self, key: str) -> bool:
        try:
            await self.size(key)
        except ObjectNotFound:
            return False
        return True

    async def size(self, key: str) -> int:
        try:
            stat = await run_blocking(
                "storage", self._client.stat_object, self.bucket, self._name(key)
            )
        except S3Error as exc:
            raise _translate(exc, key) from exc
        return int(stat.size or 0)

    async def list_prefix(self, prefix: str) -> list[str]:
        names = await run_blocking("storage", self._list, self._folder(prefix))
        return sorted(name[len(self._key_prefix) :] for name in names)

    async def delete_prefix(self, prefix: str) -> int:
        names = await run_blocking("storage", self._list, self._folder(prefix))
        if names:
            await run_blocking("storage", self._delete, names)
        return len(names)

    async def locate(
        self, key: str, *, expires_s: int = 3600, cache_control: str | None = None
    ) -> Location:
        await self.size(key)  # a URL to nothing helps nobody: fail here instead
        url = await run_blocking(
            "storage",
            self._client.presigned_get_object,
            self.bucket,
            self._name(key),
            expires=timedelta(seconds=expires_s),
            response_headers={"response-cache-control": cache_control} if cache_control else None,
        )
        return Location(url=url)

    # --- blocking halves, run in worker threads --------------------------------

    def _read(self, name: str, start: int, length: int) -> bytes:
        try:
            response = self._client.get_object(self.bucket, name, offset=start, length=length)
        except S3Error as exc:
            raise _translate(exc, name) from exc
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def _list(self, folder: str) -> list[str]:
        return [
            obj.object_name
            for obj in self._client.list_objects(self.bucket, prefix=folder, recursive=True)
            if obj.object_name is not None
        ]

    def _delete(self, names: list[str]) -> None:
        errors = list(
            self._client.remove_objects(self.bucket, (DeleteObject(name) for name in names))
        )
        if errors:
            raise RuntimeError(f"could not delete {len(errors)} objects: {errors[0]}")


def _translate(exc: S3Error, key: str) -> Exception:
    if exc.code in _MISSING_CODES:
        return ObjectNotFound(f"no object {key!r}")
    return exc
