"""Friends (CONTRACT.md §1) and the user socket `/ws/me` (§3)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import trio
from pydantic import TypeAdapter
from trio_websocket import ConnectionClosed, open_websocket_url

from syncwatch.protocol.user_messages import UserServerMessage
from syncwatch.settings import Settings
from tests.support.ws import RoomClient, create_room, guest, register

USER_SERVER_MESSAGE: TypeAdapter[UserServerMessage] = TypeAdapter(UserServerMessage)


def exactly_a_protocol_message(frame: dict[str, Any]) -> dict[str, Any]:
    """The frame is one of the /ws/me models of the protocol schema, field for field."""
    model = USER_SERVER_MESSAGE.validate_python(frame)
    assert model.type == frame["type"]
    assert model.to_wire() == frame
    return frame


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def me_socket(base_url: str, token: str, queue_size: int = 1) -> AsyncIterator[RoomClient]:
    url = base_url.replace("http://", "ws://") + "/ws/me"
    async with open_websocket_url(url, message_queue_size=queue_size) as ws:
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
        request = exactly_a_protocol_message(await bob_socket.expect("friend:request"))
        assert request["data"]["fromUsername"] == "ann"
        await http.post(
            "/api/v1/friends/accept",
            json={"userId": request["data"]["fromUserId"]},
            headers=bearer(bob),
        )
        async with me_socket(live_server, ann) as ann_socket:
            assert ann_socket.welcome["friends"] == [
                {
                    "userId": bob_socket.welcome["you"]["userId"],
                    "username": "bob",
                    "online": True,
                    "status": "online",
                }
            ]
            online = exactly_a_protocol_message(await bob_socket.expect("friend:presence"))
            assert online["data"]["online"] is True
            room = await create_room(http, ann, name="Friday film")
            invite = await ann_socket.send(
                "room:invite",
                {"userId": bob_socket.welcome["you"]["userId"], "roomCode": room["code"]},
            )
            assert exactly_a_protocol_message(await ann_socket.reply_to(invite))["type"] == "ack"
            invitation = exactly_a_protocol_message(await bob_socket.expect("room:invitation"))
            assert invitation["data"]["roomCode"] == room["code"]
            assert invitation["data"]["roomName"] == "Friday film"
        offline = exactly_a_protocol_message(await bob_socket.expect("friend:presence"))
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


async def test_an_accepted_request_is_announced_on_ws_me(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    async with me_socket(live_server, ann) as ann_socket:
        exactly_a_protocol_message({"type": "welcome", "data": ann_socket.welcome})
        await befriend(http, ann, bob, "bob")
        accepted = exactly_a_protocol_message(await ann_socket.expect("friend:accepted"))
        assert accepted["data"]["username"] == "bob"
        assert accepted["data"]["online"] is False


async def test_ws_me_answers_ping_and_heartbeat_and_refuses_room_messages(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    async with me_socket(live_server, ann) as ann_socket:
        await ann_socket.send("time:ping", {"t0": 12.5})
        pong = exactly_a_protocol_message(await ann_socket.expect("time:pong"))
        assert pong["data"]["t0"] == 12.5
        beat = await ann_socket.reply_to(await ann_socket.send("presence:heartbeat"))
        assert exactly_a_protocol_message(beat)["type"] == "ack"
        refused = await ann_socket.reply_to(await ann_socket.send("sync:play"))
        assert exactly_a_protocol_message(refused)["data"]["code"] == "bad_message"


async def test_ws_me_refuses_guests_bad_tokens_and_another_major(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    visitor = await guest(http, "V")
    url = live_server.replace("http://", "ws://") + "/ws/me"
    for token, version, code in [
        (visitor, "1.0.0", 4001),
        ("not-a-token", "1.0.0", 4001),
        (ann, "2.0.0", 4010),
    ]:
        async with open_websocket_url(url) as ws:
            hello = {"type": "hello", "data": {"protocolVersion": version, "token": token}}
            await ws.send_message(json.dumps(hello))
            assert await RoomClient(ws).closed_with() == code, (token, version)


async def test_a_flooding_ws_me_client_is_closed_with_4008(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    async with me_socket(live_server, ann, queue_size=1024) as ann_socket:
        # Thirty-one malformed frames in a row are abuse; a few more are in flight,
        # and the server may have closed before the client has sent them all.
        with contextlib.suppress(ConnectionClosed):
            for _ in range(40):
                await ann_socket.ws.send_message("garbage")
        errors = [await ann_socket.expect("error") for _ in range(31)]
        assert {error["data"]["code"] for error in errors} == {"bad_message"}
        assert await ann_socket.closed_with(timeout=10) == 4008


async def test_ws_me_is_closed_with_1012_when_the_server_stops(settings: Settings) -> None:
    from functools import partial

    from syncwatch.components import open_components
    from syncwatch.server import run_server

    async with open_components(settings) as process, trio.open_nursery() as nursery:
        stop = trio.Event()
        base = (await nursery.start(partial(run_server, process, stop=stop)))[0]
        async with httpx.AsyncClient(base_url=base) as api:
            ann = await register(api, "ann")
        async with me_socket(base, ann) as ann_socket:
            stop.set()
            assert await ann_socket.closed_with(timeout=10) == 1012
