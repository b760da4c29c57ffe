"""`manifest.json`: what a backup holds, with a checksum for every file.

A backup is a directory:

    manifest.json              this description (written last: its presence means complete)
    database.sqlite3           SQLite, from the online backup API, or
    database.pgdump            PostgreSQL, `pg_dump --format=custom`
    media/<key>                every media object (uploads and HLS), by storage key
    secret_key                 the generated secret key, when the data dir holds one

Pure data and (de)serialisation; nothing here touches a file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FORMAT = "syncwatch-backup"
FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
MEDIA_DIRECTORY = "media"
SECRET_KEY_FILE = "secret_key"  # noqa: S105  (a file name, not a secret)


class BackupError(Exception):
    """A backup operation failed for a reason the message explains to an operator."""


class ManifestInvalid(BackupError):
    """Not a SyncWatch backup, or one of a format this version cannot read."""


@dataclass(frozen=True, slots=True)
class MediaObject:
    key: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class DatabasePart:
    engine: Literal["sqlite", "postgresql"]
    file: str
    size: int
    sha256: str
    rows: dict[str, int]


@dataclass(frozen=True, slots=True)
class Manifest:
    created_at: str
    syncwatch_version: str
    schema_version: int
    database: DatabasePart
    media: tuple[MediaObject, ...]
    secret_key_sha256: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def media_bytes(self) -> int:
        return sum(item.size for item in self.media)

    def to_json(self) -> str:
        body = {
            "format": FORMAT,
            "formatVersion": FORMAT_VERSION,
            "createdAt": self.created_at,
            "syncwatchVersion": self.syncwatch_version,
            "schemaVersion": self.schema_version,
            "database": asdict(self.database),
            "media": {
                "count": len(self.media),
                "bytes": self.media_bytes,
                "objects": [asdict(item) for item in self.media],
            },
            "secretKeySha256": self.secret_key_sha256,
            "seconds": self.seconds,
        }
        return json.dumps(body, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            body: dict[str, Any] = json.loads(text)
        except json.JSONDecodeError as error:
            raise ManifestInvalid(f"{MANIFEST_FILE} is not JSON: {error}") from None
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise ManifestInvalid(f"{MANIFEST_FILE} does not describe a SyncWatch backup")
        if body.get("formatVersion") != FORMAT_VERSION:
            raise ManifestInvalid(
                f"backup format {body.get('formatVersion')!r} is not one this version reads "
                f"({FORMAT_VERSION})"
            )
        try:
            database = body["database"]
            return cls(
                created_at=str(body["createdAt"]),
                syncwatch_version=str(body["syncwatchVersion"]),
                schema_version=int(body["schemaVersion"]),
                database=DatabasePart(
                    engine=database["engine"],
                    file=str(database["file"]),
                    size=int(database["size"]),
                    sha256=str(database["sha256"]),
                    rows={str(k): int(v) for k, v in database["rows"].items()},
                ),
                media=tuple(
                    MediaObject(str(item["key"]), int(item["size"]), str(item["sha256"]))
                    for item in body["media"]["objects"]
                ),
                secret_key_sha256=body.get("secretKeySha256"),
                seconds={str(k): float(v) for k, v in body.get("seconds", {}).items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ManifestInvalid(f"{MANIFEST_FILE} is incomplete: {error!r}") from None


def row_count_differences(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    """Readable lines for every table whose row count differs (missing tables included)."""
    return [
        f"table {table}: {found.get(table, 'missing')} rows, the backup recorded {count}"
        for table, count in sorted(expected.items())
        if found.get(table) != count
    ]
