"""CONTRACT.md §1 "rooms" over a real server."""

from __future__ import annotations

import httpx
import trio

from tests.support.ws import create_room, guest, register, room_client

ALPHABET = set("234679ACDEFGHJKMNPQRTUVWXYZ")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_create_get_and_the_room_object(http: httpx.AsyncClient) -> None:
    token = await register(http, "ann")
    room = await create_room(http, token, name="Movie night", maxParticipants=3)
    assert len(room["code"]) == 8
    assert set(room["code"]) <= ALPHABET
    assert room["name"] == "Movie night"
    assert room["maxParticipants"] == 3
    assert room["hasPassword"] is False
    assert room["playbackControl"] == "owner_only"
    assert room["expiresAt"] > room["createdAt"]
    fetched = (await http.get(f"/api/v1/rooms/{room['code']}")).json()
    assert fetched["participantCount"] == 0
    assert fetched["id"] == room["id"]
    lower = await http.get(f"/api/v1/rooms/{room['code'].lower()}")
    assert lower.status_code == 200


async def test_guests_cannot_create_rooms(http: httpx.AsyncClient) -> None:
    token = await guest(http, "Visitor")
    response = await http.post("/api/v1/rooms", json={"maxParticipants": 2}, headers=bearer(token))
    assert response.status_code == 401
    anonymous = await http.post("/api/v1/rooms", json={"maxParticipants": 2})
    assert anonymous.status_code == 401


async def test_room_fields_are_validated(http: httpx.AsyncClient) -> None:
    token = await register(http, "ann")
    for body in (
        {"maxParticipants": 6},
        {"maxParticipants": 1},
        {"maxParticipants": "5"},
        {"maxParticipants": 3, "playbackControl": "anyone"},
    ):
        response = await http.post("/api/v1/rooms", json=body, headers=bearer(token))
        assert response.status_code == 422, body


async def test_five_rooms_an_hour_per_user(http: httpx.AsyncClient) -> None:
    token = await register(http, "ann")
    statuses = [
        (
            await http.post("/api/v1/rooms", json={"maxParticipants": 2}, headers=bearer(token))
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [201] * 5 + [429]


async def test_unknown_room_is_404(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/v1/rooms/ZZZZZZZZ")
    assert response.status_code == 404
    assert response.json()["code"] == "room_not_found"


async def test_join_checks_the_password_and_blocks_after_three_misses(
    http: httpx.AsyncClient,
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner, password="open sesame")
    assert room["hasPassword"] is True
    visitor = await guest(http, "Visitor")
    url = f"/api/v1/rooms/{room['code']}/join"
    ok = await http.post(url, json={"password": "open sesame"}, headers=bearer(visitor))
    assert ok.status_code == 200
    assert ok.json()["participantId"]
    assert ok.json()["room"]["code"] == room["code"]
    for _ in range(3):
        wrong = await http.post(url, json={"password": "guess"}, headers=bearer(visitor))
        assert wrong.status_code == 403
        assert wrong.json()["code"] == "wrong_password"
    blocked = await http.post(url, json={"password": "open sesame"}, headers=bearer(visitor))
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 25 * 60


async def test_join_says_room_full_when_every_seat_is_taken(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner, maxParticipants=2)
    friend = await register(http, "bob")
    third = await register(http, "cat")
    async with (
        room_client(live_server, room["code"], owner),
        room_client(live_server, room["code"], friend),
    ):
        response = await http.post(f"/api/v1/rooms/{room['code']}/join", headers=bearer(third))
        assert response.status_code == 409
        assert response.json()["code"] == "room_full"
        count = (await http.get(f"/api/v1/rooms/{room['code']}")).json()["participantCount"]
        assert count == 2


async def test_only_the_owner_deletes_and_members_are_told(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    friend = await register(http, "bob")
    room = await create_room(http, owner)
    code = room["code"]
    async with room_client(live_server, code, friend) as member:
        refused = await http.delete(f"/api/v1/rooms/{code}", headers=bearer(friend))
        assert refused.status_code == 403
        assert refused.json()["code"] == "not_owner"
        deleted = await http.delete(f"/api/v1/rooms/{code}", headers=bearer(owner))
        assert deleted.status_code == 204
        assert await member.closed_with() == 4004
    assert (await http.get(f"/api/v1/rooms/{code}")).status_code == 404
    with trio.fail_after(5):
        async with room_client(live_server, code, friend, expect_welcome=False) as late:
            assert await late.closed_with() == 4004
