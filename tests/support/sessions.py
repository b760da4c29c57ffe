"""Signing in from several devices, and a `/ws/me` socket, for the sign-out tests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from trio_websocket import open_websocket_url

from tests.support.ws import RoomClient

PASSWORD = "correct horse"


async def sign_up(http: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await http.post(
        "/api/v1/auth/register",
        json={"email": f"{username}@example.org", "username": username, "password": PASSWORD},
    )
    assert response.status_code == 201, response.text
    return {"token": response.json()["accessToken"], "cookie": response.cookies["sw_refresh"]}


async def sign_in(http: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await http.post("/api/v1/auth/login", json={"login": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"token": response.json()["accessToken"], "cookie": response.cookies["sw_refresh"]}


@asynccontextmanager
async def me_socket(base_url: str, token: str) -> AsyncIterator[RoomClient]:
    url = base_url.replace("http://", "ws://") + "/ws/me"
    async with open_websocket_url(url, message_queue_size=16) as ws:
        client = RoomClient(ws)
        hello = {"type": "hello", "data": {"protocolVersion": "1.0.0", "token": token}}
        await ws.send_message(json.dumps(hello))
        client.welcome = (await client.expect("welcome"))["data"]
        yield client


def bearer(device: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {device['token']}"}
