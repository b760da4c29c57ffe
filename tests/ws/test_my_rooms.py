"""`GET /api/v1/rooms/mine`: the rooms you own and the ones you joined lately, with
live participant counts, on SQLite and PostgreSQL."""

from __future__ import annotations

import httpx

from tests.support.ws import create_room, guest, register, room_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_owned_and_recently_joined_rooms_with_live_counts(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    first = await create_room(http, ann, name="Film club")
    second = await create_room(http, ann, name="Cartoons")
    bobs = await create_room(http, bob, name="Bob's den")
    async with (
        room_client(live_server, first["code"], ann),
        room_client(live_server, first["code"], bob),
        room_client(live_server, bobs["code"], ann),
    ):
        mine = (await http.get("/api/v1/rooms/mine", headers=bearer(ann))).json()
        owned = {room["code"]: room for room in mine["owned"]}
        assert set(owned) == {first["code"], second["code"]}
        assert owned[first["code"]]["participantCount"] == 2
        assert owned[second["code"]]["participantCount"] == 0
        assert owned[first["code"]]["name"] == "Film club"
        # A room you own is listed once, under "owned", even though you joined it.
        assert [room["code"] for room in mine["recent"]] == [bobs["code"]]
        assert mine["recent"][0]["participantCount"] == 1
        assert mine["recent"][0]["lastJoinedAt"] > 0

        bobs_view = (await http.get("/api/v1/rooms/mine", headers=bearer(bob))).json()
        assert [room["code"] for room in bobs_view["owned"]] == [bobs["code"]]
        assert [room["code"] for room in bobs_view["recent"]] == [first["code"]]


async def test_a_deleted_room_leaves_the_lists_and_guests_see_their_own(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    visitor = await guest(http, "Visitor")
    room = await create_room(http, ann)
    async with room_client(live_server, room["code"], visitor):
        pass
    seen = (await http.get("/api/v1/rooms/mine", headers=bearer(visitor))).json()
    assert seen["owned"] == []
    assert [r["code"] for r in seen["recent"]] == [room["code"]]
    deleted = await http.delete(f"/api/v1/rooms/{room['code']}", headers=bearer(ann))
    assert deleted.status_code == 204
    after = (await http.get("/api/v1/rooms/mine", headers=bearer(visitor))).json()
    assert after == {"owned": [], "recent": []}
    assert (await http.get("/api/v1/rooms/mine", headers=bearer(ann))).json()["owned"] == []


async def test_my_rooms_needs_a_token(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/v1/rooms/mine")
    assert response.status_code == 401
    assert response.headers["Content-Type"].startswith("application/problem+json")
