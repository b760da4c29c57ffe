"""A small room-protocol client for tests, on trio-websocket (an independent client)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import trio
from trio_websocket import ConnectionClosed, WebSocketConnection, open_websocket_url

PROTOCOL = "1.0.0"


class RoomClient:
    def __init__(self, ws: WebSocketConnection) -> None:
        self.ws = ws
        self.welcome: dict[str, Any] = {}
        self._counter = 0

    async def send(self, type_: str, data: dict[str, Any] | None = None, **extra: Any) -> str:
        self._counter += 1
        message_id = extra.pop("id", f"m{self._counter}")
        await self.ws.send_message(
            json.dumps({"type": type_, "id": message_id, "data": data or {}, **extra})
        )
        return message_id

    async def receive(self, timeout: float = 5) -> dict[str, Any]:
        with trio.fail_after(timeout):
            message: dict[str, Any] = json.loads(await self.ws.get_message())
            return message

    async def expect(self, type_: str, timeout: float = 5, **match: Any) -> dict[str, Any]:
        """The next message of `type_` (and matching fields), skipping others."""
        with trio.fail_after(timeout):
            while True:
                message = await self.receive(timeout)
                if message["type"] == type_ and all(message.get(k) == v for k, v in match.items()):
                    return message

    async def reply_to(self, message_id: str, timeout: float = 5) -> dict[str, Any]:
        """The `ack` or `error` answering `message_id`."""
        with trio.fail_after(timeout):
            while True:
                message = await self.receive(timeout)
                if message["type"] in ("ack", "error") and message.get("re") == message_id:
                    return message

    async def closed_with(self, timeout: float = 5) -> int:
        """Read until the server closes; return the close code."""
        with trio.fail_after(timeout):
            try:
                while True:
                    await self.ws.get_message()
            except ConnectionClosed as closed:
                return int(closed.reason.code)


def ws_url(base_url: str, code: str) -> str:
    return base_url.replace("http://", "ws://") + f"/ws/rooms/{code}"


@asynccontextmanager
async def room_client(
    base_url: str,
    code: str,
    token: str,
    *,
    expect_welcome: bool = True,
    queue_size: int = 1024,
    headers: list[tuple[str, str]] | None = None,
    **hello: Any,
) -> AsyncIterator[RoomClient]:
    async with open_websocket_url(
        ws_url(base_url, code),
        message_queue_size=queue_size,
        max_message_size=4 * 1024 * 1024,
        extra_headers=headers,
    ) as ws:
        client = RoomClient(ws)
        data = {"protocolVersion": PROTOCOL, "token": token, **hello}
        await ws.send_message(json.dumps({"type": "hello", "data": data}))
        if expect_welcome:
            client.welcome = (await client.expect("welcome"))["data"]
        yield client


async def register(http: httpx.AsyncClient, username: str) -> str:
    response = await http.post(
        "/api/v1/auth/register",
        json={
            "email": f"{username}@example.org",
            "username": username,
            "password": "correct horse",
        },
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["accessToken"]
    return token


async def guest(http: httpx.AsyncClient, nickname: str) -> str:
    response = await http.post("/api/v1/auth/guest", json={"nickname": nickname})
    assert response.status_code == 200, response.text
    token: str = response.json()["accessToken"]
    return token


async def create_room(http: httpx.AsyncClient, token: str, **body: Any) -> dict[str, Any]:
    payload = {"maxParticipants": 5, "playbackControl": "owner_only", **body}
    response = await http.post(
        "/api/v1/rooms", json=payload, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.text
    room: dict[str, Any] = response.json()
    return room
