"""A person's use of a running SyncWatch, from outside, over HTTP and WebSocket.

`fill_instance` signs two people up, makes them friends, opens a room, plays,
chats, uploads a clip and waits until it is transcoded; `check_instance` comes
back later (after a restart, a restore, through a proxy) and checks that all of
it is still there and that the video plays: its HLS playlists and a segment
are served. Used by the image, TLS and backup tests against real servers.
"""

from __future__ import annotations

import base64
import json
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import trio
from trio_websocket import open_websocket_url

PROTOCOL = "1.0.0"
PASSWORD = "correct horse battery"
TUS = {"Tus-Resumable": "1.0.0"}
TRANSCODE_DEADLINE_S = 120


@dataclass
class Filled:
    """What `fill_instance` left behind, to be found again."""

    owner: str
    friend: str
    room_code: str
    chat_text: str
    video_id: str
    sequence_number: int


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def websocket_url(base_url: str, code: str) -> str:
    return base_url.replace("https://", "wss://").replace("http://", "ws://") + f"/ws/rooms/{code}"


class RoomSocket:
    """One member's room connection: send requests, wait for their replies."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.counter = 0

    async def receive(self) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await self.ws.get_message())
        return message

    async def request(self, type_: str, data: dict[str, Any]) -> dict[str, Any]:
        self.counter += 1
        message_id = f"r{self.counter}"
        await self.ws.send_message(json.dumps({"type": type_, "id": message_id, "data": data}))
        with trio.fail_after(10):
            while True:
                message = await self.receive()
                if message["type"] in ("ack", "error") and message.get("re") == message_id:
                    assert message["type"] == "ack", message
                    return message


@asynccontextmanager
async def room_socket(
    base_url: str, code: str, token: str, ssl_context: ssl.SSLContext | None = None
) -> AsyncIterator[tuple[RoomSocket, dict[str, Any]]]:
    """A member's room connection after hello; yields it with the welcome's data."""
    async with open_websocket_url(
        websocket_url(base_url, code), ssl_context=ssl_context, max_message_size=4 * 1024 * 1024
    ) as ws:
        socket = RoomSocket(ws)
        hello = {"protocolVersion": PROTOCOL, "token": token}
        await ws.send_message(json.dumps({"type": "hello", "data": hello}))
        with trio.fail_after(10):
            while True:
                message = await socket.receive()
                assert message["type"] != "error", message
                if message["type"] == "welcome":
                    break
        yield socket, message["data"]


async def register(http: httpx.AsyncClient, username: str) -> str:
    response = await http.post(
        "/api/v1/auth/register",
        json={"email": f"{username}@example.org", "username": username, "password": PASSWORD},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["accessToken"])


async def login(http: httpx.AsyncClient, username: str) -> str:
    response = await http.post("/api/v1/auth/login", json={"login": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["accessToken"])


async def upload(http: httpx.AsyncClient, token: str, data: bytes, room_code: str) -> str:
    """A tus upload of `data` (an mp4 clip) in two chunks; returns the video id."""

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    created = await http.post(
        "/api/v1/videos/uploads",
        headers={
            **bearer(token),
            **TUS,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": f"filename {b64('clip.mp4')},roomCode {b64(room_code)}",
        },
    )
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    middle = len(data) // 2
    for offset, chunk in ((0, data[:middle]), (middle, data[middle:])):
        patched = await http.patch(
            location,
            content=chunk,
            headers={
                **bearer(token),
                **TUS,
                "Content-Type": "application/offset+octet-stream",
                "Upload-Offset": str(offset),
            },
        )
        assert patched.status_code == 204, patched.text
    return location.rstrip("/").rsplit("/", 1)[1]


async def wait_until_ready(http: httpx.AsyncClient, token: str, video_id: str) -> None:
    with trio.fail_after(TRANSCODE_DEADLINE_S):
        while True:
            status = await http.get(f"/api/v1/videos/{video_id}/status", headers=bearer(token))
            body = status.json()
            assert body["status"] != "failed", body
            if body["status"] == "ready":
                return
            await trio.sleep(0.25)


async def fill_instance(
    http: httpx.AsyncClient, clip: bytes, *, ssl_context: ssl.SSLContext | None = None
) -> Filled:
    owner_token = await register(http, "alice_sw")
    friend_token = await register(http, "bob_sw")
    owner_me = (await http.get("/api/v1/auth/me", headers=bearer(owner_token))).json()
    requested = await http.post(
        "/api/v1/friends/request", json={"username": "bob_sw"}, headers=bearer(owner_token)
    )
    assert requested.status_code == 201, requested.text
    accepted = await http.post(
        "/api/v1/friends/accept", json={"userId": owner_me["id"]}, headers=bearer(friend_token)
    )
    assert accepted.status_code == 200, accepted.text

    created = await http.post(
        "/api/v1/rooms",
        json={"name": "Movie night", "maxParticipants": 5, "playbackControl": "all"},
        headers=bearer(owner_token),
    )
    assert created.status_code == 201, created.text
    code = created.json()["code"]

    video_id = await upload(http, owner_token, clip, code)
    await wait_until_ready(http, owner_token, video_id)

    chat_text = "popcorn is ready"
    async with room_socket(str(http.base_url), code, owner_token, ssl_context) as (room, _):
        await room.request("sync:source", {"sourceType": "upload", "sourceId": video_id})
        await room.request("sync:play", {})
        await room.request("chat:message", {"content": chat_text})
        paused = await room.request("sync:pause", {})
    return Filled(
        owner="alice_sw",
        friend="bob_sw",
        room_code=code,
        chat_text=chat_text,
        video_id=video_id,
        sequence_number=int(paused["data"]["sequenceNumber"]),
    )


async def check_hls_plays(http: httpx.AsyncClient, token: str, video_id: str) -> None:
    """The manifest, a variant playlist and its first segment are served, with the
    contract's cache headers."""
    manifest = await http.get(f"/api/v1/videos/{video_id}/manifest", headers=bearer(token))
    assert manifest.status_code == 200, manifest.text
    master_url = manifest.json()["manifestUrl"]
    master = await http.get(master_url)
    assert master.status_code == 200, master.text
    assert master.text.startswith("#EXTM3U")
    assert "max-age=5" in master.headers["Cache-Control"]
    variant_name = next(
        line for line in master.text.splitlines() if line and not line.startswith("#")
    )
    variant_url = master_url.rsplit("/", 1)[0] + "/" + variant_name
    variant = await http.get(variant_url)
    assert variant.status_code == 200, variant.text
    segment_name = next(
        line for line in variant.text.splitlines() if line and not line.startswith("#")
    )
    segment = await http.get(variant_url.rsplit("/", 1)[0] + "/" + segment_name)
    if segment.status_code in (302, 307):  # S3 storage: a presigned redirect
        segment = await http.get(segment.headers["Location"])
    assert segment.status_code == 200
    assert len(segment.content) > 1000
    assert segment.headers["Cache-Control"] == "public, max-age=31536000, immutable"


async def check_instance(
    http: httpx.AsyncClient, filled: Filled, *, ssl_context: ssl.SSLContext | None = None
) -> None:
    """Everyone and everything `fill_instance` made is still there, and the video plays."""
    owner_token = await login(http, filled.owner)
    friend_token = await login(http, filled.friend)
    friends = (await http.get("/api/v1/friends", headers=bearer(friend_token))).json()
    assert [friend["username"] for friend in friends["friends"]] == [filled.owner]
    room = await http.get(f"/api/v1/rooms/{filled.room_code}")
    assert room.status_code == 200, room.text
    assert room.json()["name"] == "Movie night"
    status = await http.get(f"/api/v1/videos/{filled.video_id}/status", headers=bearer(owner_token))
    assert status.json()["status"] == "ready", status.text
    async with room_socket(str(http.base_url), filled.room_code, owner_token, ssl_context) as (
        _,
        welcome,
    ):
        assert welcome["state"]["sourceId"] == filled.video_id
        assert welcome["state"]["sequenceNumber"] >= filled.sequence_number
        assert filled.chat_text in [message.get("content") for message in welcome["chat"]]
    await check_hls_plays(http, owner_token, filled.video_id)
