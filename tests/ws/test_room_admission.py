"""Who may join a room (docs/protocol.md "Who may join"), over a real server on SQLite and
PostgreSQL: bans that hold a browser and a guest's address, the privacy presets, guests,
invitations, and the joining limits; the REST pre-flight and the hello agree."""

from __future__ import annotations

import json
from typing import Any

import httpx
from trio_websocket import open_websocket_url

from syncwatch.http.device import DEVICE_COOKIE
from tests.support.social import make_friends, me_socket
from tests.support.ws import (
    PROTOCOL,
    RoomClient,
    create_room,
    guest,
    register,
    room_client,
    ws_url,
)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def user_id(http: httpx.AsyncClient, token: str) -> str:
    found: str = (await http.get("/api/v1/auth/me", headers=bearer(token))).json()["id"]
    return found


async def pre_flight(http: httpx.AsyncClient, code: str, token: str) -> httpx.Response:
    return await http.post(f"/api/v1/rooms/{code}/join", json={}, headers=bearer(token))


async def refused_hello(
    live_server: str, code: str, token: str, *, headers: list[tuple[str, str]] | None = None
) -> tuple[dict[str, Any], int]:
    """The `error` answering a refused hello (id `h1`), and the close code that follows it."""
    async with open_websocket_url(ws_url(live_server, code), extra_headers=headers) as ws:
        hello = {"protocolVersion": PROTOCOL, "token": token}
        await ws.send_message(json.dumps({"type": "hello", "id": "h1", "data": hello}))
        client = RoomClient(ws)
        error = await client.expect("error")
        assert error["re"] == "h1"
        return error, await client.closed_with()


async def test_a_banned_user_is_told_then_closed_and_refused_on_rest_and_hello(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    cat = await register(http, "cat")
    code = (await create_room(http, ann))["code"]
    async with (
        room_client(live_server, code, ann) as owner,
        room_client(live_server, code, cat) as member,
    ):
        await owner.send("room:ban", {"participantId": member.welcome["you"]["participantId"]})
        told = await member.expect("error")
        assert told["data"]["code"] == "banned"
        assert await member.closed_with() == 4003
    response = await pre_flight(http, code, cat)
    assert (response.status_code, response.json()["code"]) == (403, "banned")
    error, close = await refused_hello(live_server, code, cat)
    assert (error["data"]["code"], close) == ("banned", 4003)
    # The owner's own join is never refused.
    assert (await pre_flight(http, code, ann)).status_code == 200


async def test_a_kicked_member_is_told_why_before_the_close(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    code = (await create_room(http, ann))["code"]
    async with (
        room_client(live_server, code, ann) as owner,
        room_client(live_server, code, bob) as member,
    ):
        await owner.send("room:kick", {"participantId": member.welcome["you"]["participantId"]})
        assert (await member.expect("error"))["data"]["code"] == "kicked"
        assert await member.closed_with() == 4003


async def test_a_banned_guest_with_a_new_identity_is_held_by_browser_and_by_address(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    code = (await create_room(http, ann))["code"]
    # The browser got its device cookie with its first API response.
    first = await guest(http, "Troll")
    device = http.cookies.get(DEVICE_COOKIE)
    assert device is not None
    assert len(device) == 22
    cookie = [("Cookie", f"{DEVICE_COOKIE}={device}")]
    async with (
        room_client(live_server, code, ann) as owner,
        room_client(live_server, code, first, headers=cookie) as troll,
    ):
        await owner.send("room:ban", {"participantId": troll.welcome["you"]["participantId"]})
        assert await troll.closed_with() == 4003
    again = await guest(http, "Troll2")  # a fresh guest identity, same browser
    error, close = await refused_hello(live_server, code, again, headers=cookie)
    assert (error["data"]["code"], close) == ("banned", 4003)
    refused = await pre_flight(http, code, again)
    assert refused.json()["code"] == "banned"
    # Without the cookie the guest's address (loopback here) still holds them...
    elsewhere = httpx.AsyncClient(base_url=live_server)
    async with elsewhere:
        third = await guest(elsewhere, "Troll3")
        assert (await pre_flight(elsewhere, code, third)).json()["code"] == "banned"
        # ...but never a signed-in account that shares the address.
        dan = await register(elsewhere, "dan")
        assert (await pre_flight(elsewhere, code, dan)).status_code == 200
        # The banned browser is held whoever signs in on it.
        error, close = await refused_hello(live_server, code, dan, headers=cookie)
        assert (error["data"]["code"], close) == ("banned", 4003)


async def test_friends_only_admits_the_owners_friends_and_refuses_others_and_guests(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    eve = await register(http, "eve")
    await make_friends(http, ann, bob, "bob")
    room = await create_room(http, ann, privacy="friends_only")
    assert (room["privacy"], room["guestsAllowed"]) == ("friends_only", True)
    code = room["code"]
    assert (await pre_flight(http, code, bob)).status_code == 200
    refused = await pre_flight(http, code, eve)
    assert (refused.status_code, refused.json()["code"]) == (403, "friends_only")
    error, close = await refused_hello(live_server, code, eve)
    assert (error["data"]["code"], close) == ("friends_only", 4003)
    visitor = await guest(http, "Visitor")
    assert (await pre_flight(http, code, visitor)).json()["code"] == "guests_not_allowed"
    async with room_client(live_server, code, bob) as friend:
        assert friend.welcome["room"]["privacy"] == "friends_only"


async def test_a_private_room_admits_the_people_its_owner_invited(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    cat = await register(http, "cat")
    await make_friends(http, ann, bob, "bob")
    await make_friends(http, bob, cat, "cat")
    code = (await create_room(http, ann, privacy="private"))["code"]
    refused = await pre_flight(http, code, bob)
    assert (refused.status_code, refused.json()["code"]) == (403, "invitation_required")
    error, close = await refused_hello(live_server, code, bob)
    assert (error["data"]["code"], close) == ("invitation_required", 4003)
    bob_id, cat_id = await user_id(http, bob), await user_id(http, cat)
    async with me_socket(live_server, bob) as bob_me:
        # A member cannot let a friend of theirs into the owner's private room.
        answer = await bob_me.reply_to(
            await bob_me.send("room:invite", {"userId": cat_id, "roomCode": code})
        )
        assert answer["data"]["code"] == "not_owner"
        async with me_socket(live_server, ann) as ann_me:
            answer = await ann_me.reply_to(
                await ann_me.send("room:invite", {"userId": bob_id, "roomCode": code})
            )
            assert answer["type"] == "ack"
        assert (await bob_me.expect("room:invitation"))["data"]["roomCode"] == code
    assert (await pre_flight(http, code, bob)).status_code == 200
    async with room_client(live_server, code, bob) as invited:
        assert invited.welcome["you"]["role"] == "participant"
    assert (await pre_flight(http, code, cat)).json()["code"] == "invitation_required"


async def test_guests_refused_per_room_and_a_live_change_keeps_who_is_here(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    code = (await create_room(http, ann, guestsAllowed=False))["code"]
    visitor = await guest(http, "Visitor")
    error, close = await refused_hello(live_server, code, visitor)
    assert (error["data"]["code"], close) == ("guests_not_allowed", 4003)
    async with (
        room_client(live_server, code, ann) as owner,
        room_client(live_server, code, bob) as member,
    ):
        acked = await owner.reply_to(await owner.send("room:settings", {"privacy": "private"}))
        assert acked["type"] == "ack"
        assert (await member.expect("room:settings"))["data"]["privacy"] == "private"
        # Bob is here already: a second connection of his is still admitted...
        async with room_client(live_server, code, bob) as again:
            assert again.welcome["room"]["privacy"] == "private"
        # ...and the stored room now says private to a newcomer.
        cat = await register(http, "cat")
        assert (await pre_flight(http, code, cat)).json()["code"] == "invitation_required"
        room = (await http.get(f"/api/v1/rooms/{code}")).json()
        assert (room["privacy"], room["guestsAllowed"]) == ("private", False)


async def test_wrong_room_codes_per_address_are_limited_with_retry_after_and_audited(
    services: Any, http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    code = (await create_room(http, ann))["code"]
    limit = services.settings.room_code_limit_per_hour
    for attempt in range(limit):
        missing = await http.get(f"/api/v1/rooms/ZZZZZZZ{'23467'[attempt % 5]}")
        assert missing.status_code == 404
    # Now even a right code is refused to this address, with Retry-After.
    blocked = await http.get(f"/api/v1/rooms/{code}")
    assert (blocked.status_code, blocked.json()["code"]) == (429, "rate_limited")
    assert 3000 < int(blocked.headers["Retry-After"]) <= 3600
    assert (await pre_flight(http, code, ann)).status_code == 429
    error, close = await refused_hello(live_server, code, ann)
    assert (error["data"]["code"], close) == ("rate_limited", 4008)
    assert error["data"]["retryAfter"] > 3000
    await services.audit.flush()
    events = await services.repositories.audit.list(event_type="room.code_guesses_blocked")
    assert len(events) == 1


async def test_joins_per_user_per_minute_are_limited_with_retry_after_and_audited_once(
    services: Any, http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    code = (await create_room(http, ann))["code"]
    limit = services.settings.room_join_limit_per_minute
    for _ in range(limit):
        assert (await pre_flight(http, code, bob)).status_code == 200
    refused = await pre_flight(http, code, bob)
    assert (refused.status_code, refused.json()["code"]) == (429, "rate_limited")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    error, close = await refused_hello(live_server, code, bob)
    assert (error["data"]["code"], close) == ("rate_limited", 4008)
    # Another person is not held up by bob's joins.
    assert (await pre_flight(http, code, ann)).status_code == 200
    await services.audit.flush()
    events = await services.repositories.audit.list(event_type="room.join_rate_limited")
    assert [event.actor_id for event in events] == [await user_id(http, bob)]
