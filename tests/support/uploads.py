"""Uploads over the HTTP API, as the media tests drive them (tus 1.0.0)."""

from __future__ import annotations

import base64
from typing import Any

import trio

from syncwatch.components import Components
from syncwatch.media.transcode_pool import JobUpdate
from syncwatch.media.video_store import VideoRecord

UPLOADS = "/api/v1/videos/uploads"
TUS = {"Tus-Resumable": "1.0.0"}
PATCH = {**TUS, "Content-Type": "application/offset+octet-stream"}


class Finished:
    """Waits for a video's transcode to end, told by the media service itself."""

    def __init__(self, components: Components) -> None:
        self.updates: dict[str, JobUpdate] = {}
        self._events: dict[str, trio.Event] = {}
        components.media.update_listeners.append(self._record)

    async def _record(self, update: JobUpdate, video: VideoRecord | None) -> None:
        if update.state in ("ready", "failed"):
            self.updates[update.video_id] = update
            self._events.setdefault(update.video_id, trio.Event()).set()

    async def wait(self, video_id: str) -> JobUpdate:
        with trio.fail_after(60):
            await self._events.setdefault(video_id, trio.Event()).wait()
        return self.updates[video_id]


async def register_uploader(client: Any, username: str = "uploader") -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": f"{username}@example.org",
            "username": username,
            "password": "correct horse",
        },
    )
    assert response.status_code == 201, await response.get_data()
    return {"Authorization": f"Bearer {(await response.get_json())['accessToken']}"}


def upload_metadata(filename: str) -> str:
    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    # No roomCode: naming a room needs a real one whose video the uploader may change
    # (tests/security/test_upload_room_access.py).
    return f"filename {b64(filename)}"


async def upload_in_two_patches(
    client: Any, auth: dict[str, str], data: bytes, name: str
) -> tuple[str, Any]:
    created = await client.post(
        UPLOADS,
        headers={
            **auth,
            **TUS,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": upload_metadata(name),
        },
    )
    assert created.status_code == 201, await created.get_data()
    location = created.headers["Location"]
    middle = len(data) // 2
    first = await client.patch(
        location, data=data[:middle], headers={**auth, **PATCH, "Upload-Offset": "0"}
    )
    assert first.status_code == 204, await first.get_data()
    last = await client.patch(
        location, data=data[middle:], headers={**auth, **PATCH, "Upload-Offset": str(middle)}
    )
    return location.rsplit("/", 1)[1], last
