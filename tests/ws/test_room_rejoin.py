"""Coming back to a room over real sockets: without the password once admitted, a full
room said before the password, a closed room said as closed (SQLite and PostgreSQL)."""

from __future__ import annotations

import httpx

from tests.support.ws import create_room, guest, register, room_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_someone_admitted_comes_back_without_the_password_until_kicked(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    visitor = await guest(http, "Visitor")
    stranger = await guest(http, "Stranger")
    room = await create_room(http, owner, password="open sesame")
    code = room["code"]
    join = f"/api/v1/rooms/{code}/join"

    before = await http.post(join, json={}, headers=bearer(visitor))
    assert before.status_code == 403
    assert before.json()["code"] == "wrong_password"
    async with room_client(live_server, code, visitor, password="open sesame"):
        pass  # admitted, then the page reloads (or the connection drops)

    again = await http.post(join, json={}, headers=bearer(visitor))
    assert again.status_code == 200, again.text
    async with room_client(live_server, code, visitor) as back:
        assert back.welcome["you"]["participantId"] == again.json()["participantId"]
        async with room_client(live_server, code, owner) as ann:
            kick = await ann.send("room:kick", {"participantId": back.welcome["you"]["userId"]})
            assert (await ann.reply_to(kick))["type"] == "ack"
        assert await back.closed_with() == 4003

    # Kicked: the password again. Someone never admitted always needed it.
    for token in (visitor, stranger):
        refused = await http.post(join, json={}, headers=bearer(token))
        assert refused.status_code == 403, refused.text
        async with room_client(live_server, code, token, expect_welcome=False) as c:
            assert await c.closed_with() == 4003
    # Asking without a password is not a guess: the three tries are all still there.
    ok = await http.post(join, json={"password": "open sesame"}, headers=bearer(stranger))
    assert ok.status_code == 200


async def test_a_full_room_says_so_before_asking_for_its_password(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    friend = await register(http, "bob")
    late = await guest(http, "Late")
    room = await create_room(http, owner, maxParticipants=2, password="open sesame")
    code = room["code"]
    async with (
        room_client(live_server, code, owner),
        room_client(live_server, code, friend, password="open sesame"),
    ):
        public = (await http.get(f"/api/v1/rooms/{code}")).json()
        assert public["participantCount"] == public["maxParticipants"] == 2
        refused = await http.post(f"/api/v1/rooms/{code}/join", json={}, headers=bearer(late))
        assert refused.status_code == 409
        assert refused.json()["code"] == "room_full"


async def test_a_closed_room_says_its_owner_closed_it(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    friend = await register(http, "bob")
    room = await create_room(http, owner)
    code = room["code"]
    async with room_client(live_server, code, friend) as member:
        assert (
            await http.delete(f"/api/v1/rooms/{code}", headers=bearer(owner))
        ).status_code == 204
        assert await member.closed_with() == 4004
        assert member.ws.closed is not None
        assert member.ws.closed.reason == "room_closed"

    later = await http.get(f"/api/v1/rooms/{code}")
    assert later.status_code == 404
    assert later.json()["code"] == "room_not_found"  # CONTRACT §1, for clients that know no more
    assert later.json()["reason"] == "closed_by_owner"
    joined = await http.post(f"/api/v1/rooms/{code}/join", json={}, headers=bearer(friend))
    assert joined.json()["reason"] == "closed_by_owner"
    async with room_client(live_server, code, friend, expect_welcome=False) as visitor:
        assert await visitor.closed_with() == 4004
        assert visitor.ws.closed is not None
        assert visitor.ws.closed.reason == "room_closed"
    unknown = await http.get("/api/v1/rooms/ZZZZZZZZ")
    assert "reason" not in unknown.json()
