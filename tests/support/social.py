"""The user socket `/ws/me` from outside: open it like the web app does, and make friends."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from trio_websocket import open_websocket_url

from tests.support.ws import RoomClient


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def me_socket(base_url: str, token: str, queue_size: int = 64) -> AsyncIterator[RoomClient]:
    url = base_url.replace("http://", "ws://") + "/ws/me"
    async with open_websocket_url(url, message_queue_size=queue_size) as ws:
        client = RoomClient(ws)
        hello = {"type": "hello", "data": {"protocolVersion": "1.0.0", "token": token}}
        await ws.send_message(json.dumps(hello))
        client.welcome = (await client.expect("welcome"))["data"]
        yield client


async def user_id(http: httpx.AsyncClient, token: str) -> str:
    found: str = (await http.get("/api/v1/auth/me", headers=bearer(token))).json()["id"]
    return found


async def make_friends(http: httpx.AsyncClient, a: str, b: str, b_name: str) -> None:
    sent = await http.post("/api/v1/friends/request", json={"username": b_name}, headers=bearer(a))
    assert sent.status_code == 201, sent.text
    accepted = await http.post(
        "/api/v1/friends/accept", json={"userId": await user_id(http, a)}, headers=bearer(b)
    )
    assert accepted.status_code == 200, accepted.text
