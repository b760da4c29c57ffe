"""Friends (CONTRACT.md §1) and the user socket `/ws/me` (§3)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from trio_websocket import open_websocket_url

from tests.support.ws import RoomClient, create_room, guest, register


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def me_socket(base_url: str, token: str) -> AsyncIterator[RoomClient]:
    async with open_websocket_url(base_url.replace("http://", "ws://") + "/ws/me") as ws:
        client = RoomClient(ws)
        hello = {"type": "hello", "data": {"protocolVersion": "1.0.0", "token": token}}
        await ws.send_message(json.dumps(hello))
        client.welcome = (await client.expect("welcome"))["data"]
        yield client


async def befriend(http: httpx.AsyncClient, a: str, b: str, b_name: str) -> dict[str, Any]:
    sent = await http.post("/api/v1/friends/request", json={"username": b_name}, headers=bearer(a))
    assert sent.status_code == 201, sent.text
    requester_id = (await http.get("/api/v1/auth/me", headers=bearer(a))).json()["id"]
    accepted = await http.post(
        "/api/v1/friends/accept", json={"userId": requester_id}, headers=bearer(b)
    )
    assert accepted.status_code == 200, accepted.text
    body: dict[str, Any] = accepted.json()
    return body


async def test_request_accept_list_and_remove(http: httpx.AsyncClient) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    sent = await http.post("/api/v1/friends/request", json={"username": "bob"}, headers=bearer(ann))
    assert sent.status_code == 201
    assert (await http.get("/api/v1/friends", headers=bearer(ann))).json()["outgoing"][0][
        "username"
    ] == "bob"
    incoming = (await http.get("/api/v1/friends", headers=bearer(bob))).json()["incoming"]
    assert [entry["username"] for entry in incoming] == ["ann"]
    again = await http.post(
        "/api/v1/friends/request", json={"username": "bob"}, headers=bearer(ann)
    )
    assert again.status_code == 409
    accepted = await http.post(
        "/api/v1/friends/accept", json={"userId": incoming[0]["userId"]}, headers=bearer(bob)
    )
    assert accepted.status_code == 200
    listing = (await http.get("/api/v1/friends", headers=bearer(ann))).json()
    assert [f["username"] for f in listing["friends"]] == ["bob"]
    assert listing["incoming"] == listing["outgoing"] == []
    bob_id = listing["friends"][0]["userId"]
    assert (await http.delete(f"/api/v1/friends/{bob_id}", headers=bearer(ann))).status_code == 204
    assert (await http.delete(f"/api/v1/friends/{bob_id}", headers=bearer(ann))).status_code == 404


async def test_unknown_users_self_requests_and_guests(http: httpx.AsyncClient) -> None:
    ann = await register(http, "ann")
    nobody = await http.post(
        "/api/v1/friends/request", json={"username": "zed"}, headers=bearer(ann)
    )
    assert nobody.status_code == 404
    selfish = await http.post(
        "/api/v1/friends/request", json={"username": "ann"}, headers=bearer(ann)
    )
    assert selfish.status_code == 422
    missing = await http.post("/api/v1/friends/accept", json={"userId": "x"}, headers=bearer(ann))
    assert missing.status_code == 404
    visitor = await guest(http, "V")
    assert (await http.get("/api/v1/friends", headers=bearer(visitor))).status_code == 401
    assert (await http.get("/api/v1/friends")).status_code == 401


async def test_presence_requests_and_invitations_arrive_on_ws_me(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    async with me_socket(live_server, bob) as bob_socket:
        assert bob_socket.welcome["friends"] == []
        await http.post("/api/v1/friends/request", json={"username": "bob"}, headers=bearer(ann))
        request = await bob_socket.expect("friend:request")
        assert request["data"]["fromUsername"] == "ann"
        await http.post(
            "/api/v1/friends/accept",
            json={"userId": request["data"]["fromUserId"]},
            headers=bearer(bob),
        )
        async with me_socket(live_server, ann) as ann_socket:
            assert ann_socket.welcome["friends"] == [
                {"userId": bob_socket.welcome["you"]["userId"], "username": "bob", "online": True}
            ]
            online = await bob_socket.expect("friend:presence")
            assert online["data"]["online"] is True
            room = await create_room(http, ann, name="Friday film")
            invite = await ann_socket.send(
                "room:invite",
                {"userId": bob_socket.welcome["you"]["userId"], "roomCode": room["code"]},
            )
            assert (await ann_socket.reply_to(invite))["type"] == "ack"
            invitation = await bob_socket.expect("room:invitation")
            assert invitation["data"]["roomCode"] == room["code"]
            assert invitation["data"]["roomName"] == "Friday film"
        offline = await bob_socket.expect("friend:presence")
        assert offline["data"]["online"] is False


async def test_invitations_only_between_friends(http: httpx.AsyncClient, live_server: str) -> None:
    ann = await register(http, "ann")
    await register(http, "bob")
    bob_id = (
        await http.post("/api/v1/auth/login", json={"login": "bob", "password": "correct horse"})
    ).json()["user"]["id"]
    room = await create_room(http, ann)
    async with me_socket(live_server, ann) as ann_socket:
        refused = await ann_socket.reply_to(
            await ann_socket.send("room:invite", {"userId": bob_id, "roomCode": room["code"]})
        )
        assert refused["type"] == "error"
        assert refused["data"]["code"] == "forbidden"
        garbage = await ann_socket.reply_to(await ann_socket.send("room:invite", {"userId": 5}))
        assert garbage["data"]["code"] == "bad_message"
