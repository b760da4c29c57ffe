"""A session that is signed out loses its sockets at once (issue 12 §5.12): the room
socket and `/ws/me` hear `invalid_token` and close 4001; the sockets of other
sessions carry on, and the signed-out token cannot open a new one."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.sessions import PASSWORD, bearer, me_socket, sign_in, sign_up
from tests.support.ws import create_room, room_client


async def told_signed_out(client: Any) -> None:
    refusal = await client.expect("error")
    assert refusal["data"]["code"] == "invalid_token"
    assert await client.closed_with() == 4001


async def test_logout_closes_the_sessions_room_and_user_sockets(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await sign_up(http, "ann")
    http.cookies.clear()
    room = await create_room(http, ann["token"])
    async with (
        room_client(live_server, room["code"], ann["token"]) as in_room,
        me_socket(live_server, ann["token"]) as mine,
    ):
        out = await http.post(
            "/api/v1/auth/logout",
            headers={**bearer(ann), "Cookie": f"sw_refresh={ann['cookie']}"},
        )
        assert out.status_code == 204
        await told_signed_out(in_room)
        await told_signed_out(mine)
    async with room_client(live_server, room["code"], ann["token"], expect_welcome=False) as again:
        assert await again.closed_with() == 4001


async def test_signing_out_another_session_closes_only_its_sockets(
    http: httpx.AsyncClient, live_server: str
) -> None:
    laptop = await sign_up(http, "bea")
    phone = await sign_in(http, "bea")
    http.cookies.clear()
    room = await create_room(http, laptop["token"], playbackControl="all")
    async with (
        room_client(live_server, room["code"], phone["token"]) as on_phone,
        me_socket(live_server, laptop["token"]) as on_laptop,
    ):
        sessions = (await http.get("/api/v1/auth/sessions", headers=bearer(laptop))).json()
        phone_session = next(s["id"] for s in sessions["sessions"] if not s["current"])
        ended = await http.delete(f"/api/v1/auth/sessions/{phone_session}", headers=bearer(laptop))
        assert ended.status_code == 204
        await told_signed_out(on_phone)
        # The laptop's socket still answers.
        ping = await on_laptop.send("presence:heartbeat")
        assert (await on_laptop.reply_to(ping))["type"] == "ack"


async def test_a_password_change_closes_the_other_sessions_sockets(
    http: httpx.AsyncClient, live_server: str
) -> None:
    laptop = await sign_up(http, "cid")
    phone = await sign_in(http, "cid")
    http.cookies.clear()
    room = await create_room(http, laptop["token"])
    async with (
        room_client(live_server, room["code"], phone["token"]) as on_phone,
        me_socket(live_server, laptop["token"]) as on_laptop,
    ):
        changed = await http.post(
            "/api/v1/auth/password",
            json={"currentPassword": PASSWORD, "newPassword": "battery staple"},
            headers=bearer(laptop),
        )
        assert changed.json() == {"signedOut": 1}
        await told_signed_out(on_phone)
        ping = await on_laptop.send("presence:heartbeat")
        assert (await on_laptop.reply_to(ping))["type"] == "ack"
