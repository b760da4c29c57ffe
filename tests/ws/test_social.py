"""The friends screen's server side (issue 14 §1): search, blocks, the notification centre,
chosen statuses and "watching <room> · 2 of 5" over `/ws/me`, as the web app uses them."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import TypeAdapter

from syncwatch.protocol.user_messages import UserServerMessage
from tests.support.social import bearer, make_friends, me_socket, user_id
from tests.support.ws import create_room, register, room_client

USER_SERVER_MESSAGE: TypeAdapter[UserServerMessage] = TypeAdapter(UserServerMessage)


def exactly_a_protocol_message(frame: dict[str, Any]) -> dict[str, Any]:
    model = USER_SERVER_MESSAGE.validate_python(frame)
    assert model.to_wire() == frame
    return frame


async def test_people_are_found_by_the_start_of_their_username(http: httpx.AsyncClient) -> None:
    ann = await register(http, "ann")
    for name in ("bobby", "bob", "bo_x", "carol"):
        await register(http, name)
    found = await http.get("/api/v1/friends/search", params={"q": "BO"}, headers=bearer(ann))
    assert found.status_code == 200
    assert [u["username"] for u in found.json()["users"]] == ["bob", "bo_x", "bobby"]
    assert {u["relation"] for u in found.json()["users"]} == {"none"}
    literal = await http.get("/api/v1/friends/search", params={"q": "bo_"}, headers=bearer(ann))
    assert [u["username"] for u in literal.json()["users"]] == ["bo_x"]
    await http.post("/api/v1/friends/request", json={"username": "bob"}, headers=bearer(ann))
    again = await http.get("/api/v1/friends/search", params={"q": "bob"}, headers=bearer(ann))
    assert again.json()["users"][0] == {
        "userId": again.json()["users"][0]["userId"],
        "username": "bob",
        "relation": "outgoing",
    }
    empty = await http.get("/api/v1/friends/search", params={"q": " "}, headers=bearer(ann))
    assert empty.status_code == 422
    assert empty.headers["content-type"] == "application/problem+json"


async def test_a_blocked_person_cannot_request_invite_find_or_see_presence(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    await make_friends(http, ann, bob, "bob")
    bob_id = await user_id(http, bob)
    async with me_socket(live_server, bob) as bob_socket:
        assert bob_socket.welcome["friends"][0]["username"] == "ann"
        blocked = await http.post(
            "/api/v1/friends/block", json={"userId": bob_id}, headers=bearer(ann)
        )
        assert blocked.status_code == 204
        gone = exactly_a_protocol_message(await bob_socket.expect("friend:removed"))
        assert gone["data"]["userId"] == await user_id(http, ann)
        lists = (await http.get("/api/v1/friends", headers=bearer(ann))).json()
        assert lists["friends"] == []
        assert [b["username"] for b in lists["blocked"]] == ["bob"]
        assert (await http.get("/api/v1/friends", headers=bearer(bob))).json()["friends"] == []
        # Bob can't ask again, nor can ann while she blocks him.
        asked = await http.post(
            "/api/v1/friends/request", json={"username": "ann"}, headers=bearer(bob)
        )
        assert asked.status_code == 403
        search = await http.get("/api/v1/friends/search", params={"q": "an"}, headers=bearer(bob))
        assert search.json()["users"] == []
        room = await create_room(http, ann)
        async with me_socket(live_server, ann) as ann_socket:
            # Bob sees nothing of ann coming online.
            refused = await ann_socket.reply_to(
                await ann_socket.send("room:invite", {"userId": bob_id, "roomCode": room["code"]})
            )
            assert refused["data"]["code"] == "forbidden"
        unblocked = await http.delete(f"/api/v1/friends/block/{bob_id}", headers=bearer(ann))
        assert unblocked.status_code == 204
        assert (
            await http.post(
                "/api/v1/friends/request", json={"username": "ann"}, headers=bearer(bob)
            )
        ).status_code == 201
        kinds = [f["type"] for f in await drain(bob_socket)]
        assert "friend:presence" not in kinds


async def drain(client: Any) -> list[dict[str, Any]]:
    frames = []
    ping = await client.send("time:ping", {"t0": 1})
    while True:
        frame = await client.receive()
        if frame["type"] == "time:pong" or frame.get("re") == ping:
            return frames
        frames.append(frame)


async def test_requests_and_invitations_wait_in_the_notification_centre(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    await make_friends(http, ann, bob, "bob")
    room = await create_room(http, ann, name="Friday film")
    bob_id = await user_id(http, bob)
    async with me_socket(live_server, ann) as ann_socket:
        # Bob is offline: the invitation is kept for him (and admits him to the room).
        ack = await ann_socket.reply_to(
            await ann_socket.send("room:invite", {"userId": bob_id, "roomCode": room["code"]})
        )
        assert ack["type"] == "ack"
    centre = (await http.get("/api/v1/notifications", headers=bearer(bob))).json()
    assert centre["unread"] == 2
    assert [n["kind"] for n in centre["notifications"]] == ["room_invitation", "friend_request"]
    invitation = centre["notifications"][0]
    assert invitation["roomCode"] == room["code"]
    assert invitation["roomName"] == "Friday film"
    assert invitation["fromUsername"] == "ann"
    assert invitation["read"] is False
    async with me_socket(live_server, bob) as bob_socket, me_socket(live_server, bob) as tab:
        assert bob_socket.welcome["unreadNotifications"] == 2
        read = await http.post(
            "/api/v1/notifications/read", json={"ids": [invitation["id"]]}, headers=bearer(bob)
        )
        assert read.json() == {"unread": 1}
        # Every tab's bell follows.
        assert (await tab.expect("notifications:unread"))["data"] == {"unread": 1}
        await http.post(
            "/api/v1/friends/request",
            json={"username": "bob"},
            headers=bearer(await register(http, "cat")),
        )
        pushed = exactly_a_protocol_message(await bob_socket.expect("notification"))
        assert pushed["data"]["unread"] == 2
        assert pushed["data"]["notification"]["fromUsername"] == "cat"
    # A reload (a new socket, a new listing) finds the same count.
    async with me_socket(live_server, bob) as again:
        assert again.welcome["unreadNotifications"] == 2
    everything = await http.post("/api/v1/notifications/read", headers=bearer(bob))
    assert everything.json() == {"unread": 0}
    assert (await http.delete("/api/v1/notifications", headers=bearer(bob))).status_code == 204
    assert (await http.get("/api/v1/notifications", headers=bearer(bob))).json() == {
        "notifications": [],
        "unread": 0,
    }


async def test_friends_see_the_room_and_head_count_unless_it_is_private_or_you_are_invisible(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    cat = await register(http, "cat")
    await make_friends(http, ann, bob, "bob")
    room = await create_room(http, ann, name="Friday film", maxParticipants=5)
    async with me_socket(live_server, bob) as bob_socket, me_socket(live_server, ann) as ann_me:
        online = exactly_a_protocol_message(await bob_socket.expect("friend:presence"))
        assert online["data"]["status"] == "online"
        assert "activity" not in online["data"]
        async with room_client(live_server, room["code"], ann) as owner:
            watching = exactly_a_protocol_message(await bob_socket.expect("friend:presence"))
            assert watching["data"]["activity"] == {
                "roomCode": room["code"],
                "roomName": "Friday film",
                "members": 1,
                "maxMembers": 5,
            }
            async with room_client(live_server, room["code"], cat):
                two = await bob_socket.expect("friend:presence")
                assert two["data"]["activity"]["members"] == 2
            one = await bob_socket.expect("friend:presence")
            assert one["data"]["activity"]["members"] == 1
            listing = (await http.get("/api/v1/friends", headers=bearer(bob))).json()
            assert listing["friends"][0]["activity"]["roomCode"] == room["code"]
            assert listing["friends"][0]["status"] == "online"

            # Invisible: offline for everyone, and the room is never sent.
            chosen = await ann_me.reply_to(
                await ann_me.send("presence:set", {"status": "invisible"})
            )
            assert chosen["type"] == "ack"
            hidden = exactly_a_protocol_message(await bob_socket.expect("friend:presence"))
            assert hidden["data"] == {
                "userId": hidden["data"]["userId"],
                "username": "ann",
                "online": False,
                "status": "offline",
            }
            await ann_me.reply_to(await ann_me.send("presence:set", {"status": "online"}))
            back = await bob_socket.expect("friend:presence")
            assert back["data"]["activity"]["roomCode"] == room["code"]

            # A private room is not shown, even to friends.
            await owner.reply_to(await owner.send("room:settings", {"privacy": "private"}))
            async with me_socket(live_server, bob) as later:
                assert later.welcome["friends"][0]["status"] == "online"
                assert "activity" not in later.welcome["friends"][0]
        left = await bob_socket.expect("friend:presence")
        assert "activity" not in left["data"]
