"""The tus 1.0.0 resumable-upload server (core, creation, termination, expiration).

`TusServer` is plain protocol logic: the HTTP layer hands it request headers
and an async iterator over the body, and sends back the `TusResponse` it
returns. Failures are raised as `SyncWatchError`s (413 `too_large` before any
byte is stored, 415 `unsupported_format` when the first bytes are not a video
container or the content type is wrong, 409 on an offset mismatch, ...), which
the HTTP layer maps to problem+json; `TUS_HEADERS` belongs on those too.

Partial uploads live in `spool_dir` as `{id}.part` next to a `{id}.json`
sidecar with the declared length, metadata and expiry. The offset is the part
file's size, so whatever was written before a dropped connection or a crash
counts, and a restarted server resumes from the same files. When the last
byte arrives, `on_complete` receives the finished file; after it returns the
part file is deleted (the callback moves or copies what it keeps) and the
sidecar stays until expiry so a client that missed the final response learns
that the upload is complete.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from email.utils import formatdate
from pathlib import Path
from typing import BinaryIO

import trio

from syncwatch.blocking import run_blocking
from syncwatch.clock import Clock
from syncwatch.errors import (
    BadRequest,
    Conflict,
    NotFound,
    PayloadTooLarge,
    SyncWatchError,
    UnsupportedFormat,
)
from syncwatch.ids import new_id
from syncwatch.media.magic import MAGIC_PROBE_BYTES, Container, require_video_container
from syncwatch.media.upload_limits import BandwidthThrottle, UploadRateLimiter

TUS_VERSION = "1.0.0"
TUS_HEADERS = {"Tus-Resumable": TUS_VERSION}
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
MAX_UPLOAD_BYTES = 8 * 1024**3


class TusVersionUnsupported(SyncWatchError):
    status, code, title = 412, "unsupported_tus_version", "Tus-Resumable 1.0.0 required"


class OffsetMismatch(Conflict):
    code, title = "offset_mismatch", "Upload-Offset does not match the stored offset"


class UploadBusy(Conflict):
    code, title = "upload_busy", "Another request is writing to this upload"


class QuotaExceeded(PayloadTooLarge):
    code, title = "quota_exceeded", "Upload quota exceeded"


class UploadNotFound(NotFound):
    code, title = "upload_not_found", "No such upload"


@dataclass(frozen=True, slots=True)
class TusLimits:
    max_size: int = MAX_UPLOAD_BYTES
    # Spec 4.6.4: 20 GB per user, counting stored videos and uploads in progress.
    quota_bytes: int = 20 * 1000**3
    # An upload untouched this long is abandoned and deleted.
    expiry_s: float = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class TusResponse:
    status: int
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class CompletedUpload:
    upload_id: str
    user_id: str
    path: Path
    size: int
    container: Container
    filename: str | None
    room_code: str | None
    metadata: dict[str, str]


@dataclass(frozen=True, slots=True)
class UploadRecord:
    """What the sidecar JSON holds."""

    id: str
    user_id: str
    length: int
    metadata: dict[str, str] = field(default_factory=dict)
    created_at_ms: int = 0
    expires_at_ms: int = 0
    container: str | None = None
    completed: bool = False


CompletionCallback = Callable[[CompletedUpload], Awaitable[None]]
StoredBytes = Callable[[str], Awaitable[int]]


async def _nothing_stored(_user_id: str) -> int:
    return 0


class TusServer:
    def __init__(
        self,
        *,
        spool_dir: Path,
        base_path: str,
        on_complete: CompletionCallback,
        clock: Clock | None = None,
        limits: TusLimits | None = None,
        throttle: BandwidthThrottle | None = None,
        rate_limiter: UploadRateLimiter | None = None,
        stored_bytes: StoredBytes = _nothing_stored,
    ) -> None:
        self._spool = spool_dir
        self._base_path = base_path.rstrip("/")
        self._on_complete = on_complete
        self._clock = clock or Clock()
        self.limits = limits or TusLimits()
        self._throttle = throttle or BandwidthThrottle()
        self._rate_limiter = rate_limiter or UploadRateLimiter()
        self._stored_bytes = stored_bytes
        self._records: dict[str, UploadRecord] | None = None
        self._busy: set[str] = set()

    # --- requests ----------------------------------------------------------

    def options(self) -> TusResponse:
        return TusResponse(
            204,
            {
                **TUS_HEADERS,
                "Tus-Version": TUS_VERSION,
                "Tus-Max-Size": str(self.limits.max_size),
                "Tus-Extension": "creation,termination,expiration",
            },
        )

    async def create(
        self, *, user_id: str, headers: Mapping[str, str], upload_id: str | None = None
    ) -> TusResponse:
        """Start an upload. `upload_id` is the id a trusted proxy chose for it (see
        `proxy_upload_id`); without one, or if it is taken, this server mints one."""
        fields = _lowered(headers)
        _require_tus(fields)
        if "upload-defer-length" in fields:
            raise BadRequest("Upload-Defer-Length is not supported; send Upload-Length.")
        length = _non_negative_int(fields.get("upload-length"), "Upload-Length")
        if length > self.limits.max_size:
            raise PayloadTooLarge(f"Uploads are limited to {self.limits.max_size} bytes.")
        metadata = parse_metadata(fields.get("upload-metadata", ""))
        records = await self._load()
        in_flight = sum(
            r.length for r in records.values() if r.user_id == user_id and not r.completed
        )
        if in_flight + await self._stored_bytes(user_id) + length > self.limits.quota_bytes:
            raise QuotaExceeded("This upload would exceed your storage quota.")
        counted = await self._rate_limiter.check_and_record(user_id)
        now_ms = self._clock.now_ms()
        if upload_id is None or upload_id in records:
            upload_id = new_id()
        record = UploadRecord(
            id=upload_id,
            user_id=user_id,
            length=length,
            metadata=metadata,
            created_at_ms=now_ms,
            expires_at_ms=now_ms + int(self.limits.expiry_s * 1000),
        )
        try:
            await run_blocking("files", self._create_files, record)
        except BaseException:
            with trio.CancelScope(shield=True):
                await self._rate_limiter.forget(user_id, counted)
            raise
        records[record.id] = record
        return TusResponse(
            201,
            {
                **TUS_HEADERS,
                "Location": f"{self._base_path}/{record.id}",
                "Upload-Expires": _http_date(record.expires_at_ms),
                "Upload-Offset": "0",
            },
        )

    async def head(
        self, upload_id: str, *, user_id: str, headers: Mapping[str, str]
    ) -> TusResponse:
        _require_tus(_lowered(headers))
        record = await self._find(upload_id, user_id)
        offset = await self._offset(record)
        if offset == record.length and not record.completed and upload_id not in self._busy:
            # Every byte arrived but handing the upload over failed last time
            # (the client saw an error). A client that now sees a full offset
            # would stop here, so the hand-over is retried now.
            self._busy.add(upload_id)
            try:
                record = await self._complete(record)
            finally:
                self._busy.discard(upload_id)
        response = {
            **TUS_HEADERS,
            "Upload-Offset": str(offset),
            "Upload-Length": str(record.length),
            "Upload-Expires": _http_date(record.expires_at_ms),
            "Cache-Control": "no-store",
        }
        if record.metadata:
            response["Upload-Metadata"] = render_metadata(record.metadata)
        return TusResponse(200, response)

    async def patch(
        self,
        upload_id: str,
        *,
        user_id: str,
        headers: Mapping[str, str],
        body: AsyncIterator[bytes],
    ) -> TusResponse:
        fields = _lowered(headers)
        _require_tus(fields)
        if fields.get("content-type", "").split(";")[0].strip() != OFFSET_CONTENT_TYPE:
            raise UnsupportedFormat(f"PATCH bodies must be {OFFSET_CONTENT_TYPE}.")
        claimed = _non_negative_int(fields.get("upload-offset"), "Upload-Offset")
        record = await self._find(upload_id, user_id)
        if upload_id in self._busy:
            raise UploadBusy("Another request is still writing to this upload.")
        self._busy.add(upload_id)
        try:
            record = await self._append(record, claimed, body)
        finally:
            self._busy.discard(upload_id)
        return TusResponse(
            204,
            {
                **TUS_HEADERS,
                "Upload-Offset": str(await self._offset(record)),
                "Upload-Expires": _http_date(record.expires_at_ms),
            },
        )

    async def terminate(
        self, upload_id: str, *, user_id: str, headers: Mapping[str, str]
    ) -> TusResponse:
        _require_tus(_lowered(headers))
        record = await self._find(upload_id, user_id)
        await self._delete(record.id)
        return TusResponse(204, dict(TUS_HEADERS))

    async def expire_abandoned(self) -> int:
        """Delete every upload past its expiry; returns how many. Run it periodically."""
        records = await self._load()
        now_ms = self._clock.now_ms()
        expired = [
            r.id for r in records.values() if r.expires_at_ms <= now_ms and r.id not in self._busy
        ]
        for upload_id in expired:
            await self._delete(upload_id)
        return len(expired)

    async def in_progress_bytes(self, user_id: str) -> int:
        records = await self._load()
        return sum(r.length for r in records.values() if r.user_id == user_id and not r.completed)

    # --- the append path -------------------------------------------------------

    async def _append(
        self, record: UploadRecord, claimed: int, body: AsyncIterator[bytes]
    ) -> UploadRecord:
        offset = await self._offset(record)
        if record.completed or claimed != offset:
            raise OffsetMismatch(
                f"The upload is at offset {offset}, not {claimed}.", uploadOffset=offset
            )
        head = b""
        if record.container is None and offset:
            head = await run_blocking("files", self._read_head, record.id)
        part = await run_blocking("files", self._part(record.id).open, "ab")
        try:
            async for chunk in body:
                if not chunk:
                    continue
                if offset + len(chunk) > record.length:
                    raise BadRequest("The body goes past Upload-Length.")
                if record.container is None:
                    head += chunk[:MAGIC_PROBE_BYTES]
                    ends_here = offset + len(chunk) == record.length
                    if len(head) >= MAGIC_PROBE_BYTES or ends_here:
                        record = await self._verify_container(record, head)
                await self._throttle.consume(record.user_id, len(chunk))
                await run_blocking("files", part.write, chunk)
                offset += len(chunk)
        finally:
            with trio.CancelScope(shield=True):
                await run_blocking("files", _sync_and_close, part)
        record = replace(
            record, expires_at_ms=self._clock.now_ms() + int(self.limits.expiry_s * 1000)
        )
        await self._save(record)
        if offset == record.length:
            record = await self._complete(record)
        return record

    async def _verify_container(self, record: UploadRecord, head: bytes) -> UploadRecord:
        try:
            container = require_video_container(head[:MAGIC_PROBE_BYTES])
        except UnsupportedFormat:
            await self._delete(record.id)
            raise
        record = replace(record, container=container.value)
        await self._save(record)
        return record

    async def _complete(self, record: UploadRecord) -> UploadRecord:
        if record.container is None:  # a zero-byte upload never showed any magic
            await self._delete(record.id)
            raise UnsupportedFormat("An empty file is not a video.")
        await self._on_complete(
            CompletedUpload(
                upload_id=record.id,
                user_id=record.user_id,
                path=self._part(record.id),
                size=record.length,
                container=Container(record.container),
                filename=record.metadata.get("filename"),
                room_code=record.metadata.get("roomCode"),
                metadata=record.metadata,
            )
        )
        record = replace(record, completed=True)
        await self._save(record)
        await run_blocking("files", self._part(record.id).unlink, missing_ok=True)
        return record

    # --- records on disk -------------------------------------------------------

    def _part(self, upload_id: str) -> Path:
        return self._spool / f"{upload_id}.part"

    def _sidecar(self, upload_id: str) -> Path:
        return self._spool / f"{upload_id}.json"

    async def _load(self) -> dict[str, UploadRecord]:
        if self._records is None:
            self._records = await run_blocking("files", self._read_all)
        return self._records

    def _read_all(self) -> dict[str, UploadRecord]:
        self._spool.mkdir(parents=True, exist_ok=True)
        records = {}
        for sidecar in self._spool.glob("*.json"):
            try:
                record = UploadRecord(**json.loads(sidecar.read_text()))
            except (OSError, ValueError, TypeError):
                continue  # a sidecar torn by a crash: expiry cleans its part file up
            records[record.id] = record
        return records

    async def _find(self, upload_id: str, user_id: str) -> UploadRecord:
        record = (await self._load()).get(upload_id)
        # Someone else's upload is "not found": ids are not secrets to confirm.
        if record is None or record.user_id != user_id:
            raise UploadNotFound(f"No upload {upload_id!r}.")
        if record.expires_at_ms <= self._clock.now_ms() and not record.completed:
            await self._delete(upload_id)
            raise UploadNotFound(f"Upload {upload_id!r} has expired.")
        return record

    async def _offset(self, record: UploadRecord) -> int:
        if record.completed:
            return record.length
        part = self._part(record.id)
        try:
            return (await run_blocking("files", part.stat)).st_size
        except FileNotFoundError:
            return 0

    def _read_head(self, upload_id: str) -> bytes:
        with self._part(upload_id).open("rb") as part:
            return part.read(MAGIC_PROBE_BYTES)

    def _create_files(self, record: UploadRecord) -> None:
        self._spool.mkdir(parents=True, exist_ok=True)
        self._part(record.id).touch()
        self._write_sidecar(record)

    async def _save(self, record: UploadRecord) -> None:
        (await self._load())[record.id] = record
        await run_blocking("files", self._write_sidecar, record)

    def _write_sidecar(self, record: UploadRecord) -> None:
        temporary = self._sidecar(record.id).with_suffix(".json.tmp")
        temporary.write_text(json.dumps(asdict(record)))
        os.replace(temporary, self._sidecar(record.id))

    async def _delete(self, upload_id: str) -> None:
        (await self._load()).pop(upload_id, None)

        def remove() -> None:
            self._part(upload_id).unlink(missing_ok=True)
            self._sidecar(upload_id).unlink(missing_ok=True)

        await run_blocking("files", remove)


def _sync_and_close(part: BinaryIO) -> None:
    """Make what was appended durable before the offset is reported (then close)."""
    try:
        part.flush()
        os.fsync(part.fileno())
    finally:
        part.close()


# --- header helpers ------------------------------------------------------------


def parse_metadata(header: str) -> dict[str, str]:
    """`Upload-Metadata: filename ZGVtby5tcDQ=,roomCode QUJDRDEyMzQ=` as a dict."""
    metadata: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in header.split(","))):
        key, _, encoded = pair.partition(" ")
        if not key or " " in encoded.strip():
            raise BadRequest("Upload-Metadata must be 'key base64value' pairs.")
        try:
            metadata[key] = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise BadRequest(f"Upload-Metadata value of {key!r} is not base64 UTF-8.") from exc
    return metadata


def render_metadata(metadata: Mapping[str, str]) -> str:
    return ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items()
    )


def _lowered(headers: Mapping[str, str]) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


def _require_tus(fields: Mapping[str, str]) -> None:
    if fields.get("tus-resumable") != TUS_VERSION:
        raise TusVersionUnsupported("Send Tus-Resumable: 1.0.0.", tusVersion=TUS_VERSION)


# Upload sizes and offsets fit in 19 digits (8 GiB needs 10); longer ones are refused
# before int() sees them.
_MAX_DIGITS = 19


def _non_negative_int(value: str | None, name: str) -> int:
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    digits = (value or "").strip()
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > _MAX_DIGITS:
        raise BadRequest(f"{name} must be a non-negative integer of at most {_MAX_DIGITS} digits.")
    return int(digits)


def _http_date(epoch_ms: int) -> str:
    return formatdate(epoch_ms / 1000, usegmt=True)
