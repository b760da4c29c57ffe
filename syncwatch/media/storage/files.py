"""Media objects as files under one root directory.

A key maps to the path `root/key`. Writes go to a temporary file in the same
directory and are renamed into place, so a reader (or a crash) never sees a
half-written segment or playlist. Blocking file-system calls run through
`run_blocking("storage", ...)`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from syncwatch.blocking import run_blocking
from syncwatch.media.storage import Location, ObjectNotFound, validate_key, validate_prefix


class FileStorage:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def path_for(self, key: str) -> Path:
        return self.root / validate_key(key)

    async def put_file(self, key: str, path: Path, *, content_type: str | None = None) -> None:
        await run_blocking("storage", self._install, self.path_for(key), source=path)

    async def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        await run_blocking("storage", self._install, self.path_for(key), data=data)

    async def read(self, key: str, *, start: int = 0, length: int | None = None) -> bytes:
        return await run_blocking("storage", self._read, self.path_for(key), start, length)

    async def read_chunks(
        self, key: str, *, start: int = 0, length: int | None = None, chunk_size: int = 65536
    ) -> AsyncIterator[bytes]:
        path = self.path_for(key)
        remaining = length if length is not None else await self.size(key) - start
        position = start
        while remaining > 0:
            chunk = await run_blocking(
                "storage", self._read, path, position, min(chunk_size, remaining)
            )
            if not chunk:
                return
            position += len(chunk)
            remaining -= len(chunk)
            yield chunk

    async def exists(self, key: str) -> bool:
        return await run_blocking("storage", self.path_for(key).is_file)

    async def size(self, key: str) -> int:
        path = self.path_for(key)
        try:
            return (await run_blocking("storage", path.stat)).st_size
        except FileNotFoundError as exc:
            raise ObjectNotFound(f"no object {key!r}") from exc

    async def list_prefix(self, prefix: str) -> list[str]:
        return await run_blocking("storage", self._list, validate_prefix(prefix))

    async def delete_prefix(self, prefix: str) -> int:
        return await run_blocking("storage", self._delete, validate_prefix(prefix))

    async def locate(
        self, key: str, *, expires_s: int = 3600, cache_control: str | None = None
    ) -> Location:
        path = self.path_for(key)
        # exists(), not is_file(): a named pipe is a valid ffmpeg input too.
        if not await run_blocking("storage", path.exists):
            raise ObjectNotFound(f"no object {key!r}")
        return Location(path=path)

    # --- blocking halves, run in worker threads --------------------------------

    @staticmethod
    def _install(target: Path, *, source: Path | None = None, data: bytes | None = None) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is not None and FileStorage._link(source, target):
            return
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                if source is not None:
                    with source.open("rb") as src:
                        shutil.copyfileobj(src, out, 1024 * 1024)
                else:
                    out.write(data or b"")
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @staticmethod
    def _link(source: Path, target: Path) -> bool:
        """Store a finished file by hard link: an 8 GiB upload in no time.

        Callers hand over files they will not change again (a completed upload,
        a closed segment). False when the file systems differ: copy instead.
        """
        temporary = target.parent / f".incoming-{secrets.token_hex(8)}"
        try:
            os.link(source, temporary)
        except OSError:
            return False
        try:
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return True

    @staticmethod
    def _read(path: Path, start: int, length: int | None) -> bytes:
        try:
            with path.open("rb") as src:
                src.seek(start)
                return src.read() if length is None else src.read(length)
        except FileNotFoundError as exc:
            raise ObjectNotFound(f"no object at {path.name!r}") from exc

    def _list(self, prefix: str) -> list[str]:
        base = self.root / prefix if prefix else self.root
        if base.is_file():
            return [prefix]
        keys = [
            path.relative_to(self.root).as_posix()
            for path in base.rglob("*")
            if path.is_file() and not path.name.startswith(".incoming-")
        ]
        return sorted(keys)

    def _delete(self, prefix: str) -> int:
        keys = self._list(prefix)
        for key in keys:
            (self.root / key).unlink(missing_ok=True)
        base = self.root / prefix if prefix else None
        if base is not None and base.is_dir():
            shutil.rmtree(base, ignore_errors=True)
        return len(keys)
