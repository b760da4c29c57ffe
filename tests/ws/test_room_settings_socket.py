"""Live room settings over a real server, on SQLite and PostgreSQL: the owner's
changes reach the members, the room's row (what HTTP shows, what joins check) and
the chat, and a failing player's report is a line everyone reads."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.ws import create_room, guest, register, room_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_name_seats_and_password_change_live_and_in_the_row(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    member = await register(http, "bob")
    room = await create_room(http, owner, name="Movie night", maxParticipants=4)
    code = room["code"]
    async with (
        room_client(live_server, code, owner) as ann,
        room_client(live_server, code, member) as bob,
    ):
        sent = await ann.send(
            "room:settings", {"name": "Friday film", "maxParticipants": 3, "password": "s3cret!"}
        )
        assert (await ann.reply_to(sent))["type"] == "ack"
        update = await bob.expect("room:settings")
        assert update["data"]["name"] == "Friday film"
        assert update["data"]["maxParticipants"] == 3
        assert update["data"]["hasPassword"] is True
        line = await bob.expect("chat:message")
        assert line["data"]["event"]["kind"] == "settings"
        assert line["data"]["event"]["changes"] == {
            "name": "Friday film",
            "maxParticipants": 3,
            "password": "set",
        }
        assert "s3cret!" not in str(line)

        shown = (await http.get(f"/api/v1/rooms/{code}")).json()
        assert (shown["name"], shown["maxParticipants"], shown["hasPassword"]) == (
            "Friday film",
            3,
            True,
        )
        carol = await register(http, "carol")
        wrong = await http.post(
            f"/api/v1/rooms/{code}/join", json={"password": "nope"}, headers=bearer(carol)
        )
        assert wrong.json()["code"] == "wrong_password"
        right = await http.post(
            f"/api/v1/rooms/{code}/join", json={"password": "s3cret!"}, headers=bearer(carol)
        )
        assert right.status_code == 200, right.text

        cleared = await ann.send("room:settings", {"removePassword": True})
        assert (await ann.reply_to(cleared))["type"] == "ack"
        assert (await http.get(f"/api/v1/rooms/{code}")).json()["hasPassword"] is False

        too_few = await ann.send("room:settings", {"maxParticipants": 1})
        refusal = await ann.reply_to(too_few)
        assert refusal["data"]["code"] == "validation_error"
        not_owner = await bob.send("room:settings", {"name": "Bob's now"})
        assert (await bob.reply_to(not_owner))["data"]["code"] == "not_owner"


async def test_guests_write_once_the_owner_lets_them(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    visitor = await guest(http, "Visitor")
    code = (await create_room(http, owner))["code"]
    async with (
        room_client(live_server, code, owner) as ann,
        room_client(live_server, code, visitor) as guest_client,
    ):
        refused = await guest_client.send("chat:message", {"content": "hello?"})
        assert (await guest_client.reply_to(refused))["data"]["code"] == "forbidden"
        allowed = await ann.send("room:settings", {"guestsMayChat": True})
        await ann.reply_to(allowed)
        assert (await guest_client.expect("room:settings"))["data"]["guestsMayChat"] is True
        hello = await guest_client.send("chat:message", {"content": "hello!"})
        assert (await guest_client.reply_to(hello))["type"] == "ack"
        said = await ann.expect("chat:message", timeout=5)
        while said["data"].get("kind") != "user":
            said = await ann.expect("chat:message")
        assert said["data"]["content"] == "hello!"


async def test_a_failing_source_is_told_to_the_room(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    member = await register(http, "bob")
    code = (await create_room(http, owner))["code"]
    url = "https://cdn.example.org/gone.mp4"
    async with (
        room_client(live_server, code, owner) as ann,
        room_client(live_server, code, member) as bob,
    ):
        await ann.reply_to(await ann.send("sync:source", {"sourceType": "url", "url": url}))
        report = await bob.send("media:failed", {"sourceId": url, "reason": "not_found"})
        assert (await bob.reply_to(report))["data"] == {"told": True}
        line = await ann.expect("chat:message")
        while line["data"]["event"]["kind"] != "media_failed":
            line = await ann.expect("chat:message")
        assert line["data"]["event"]["reason"] == "not_found"
        assert line["data"]["event"]["username"] == "bob"
        bogus = await bob.send("media:failed", {"sourceId": url, "reason": "gremlins"})
        assert (await bob.reply_to(bogus))["data"]["code"] == "bad_message"


async def test_choosing_the_same_automod_rule_twice_is_one_line_and_one_audit_row(
    services: Any, http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    member = await register(http, "bob")
    code = (await create_room(http, owner))["code"]
    async with (
        room_client(live_server, code, owner) as ann,
        room_client(live_server, code, member) as bob,
    ):
        for _ in range(2):
            sent = await ann.send("room:settings", {"automod": {"links": False}})
            assert (await ann.reply_to(sent))["type"] == "ack"
        # Every line bob reads until ann's next chat: the settings line is there once.
        said = await ann.send("chat:message", {"content": "done"})
        assert (await ann.reply_to(said))["type"] == "ack"
        settings_lines = []
        while (line := (await bob.expect("chat:message"))["data"]).get("content") != "done":
            if line["event"]["kind"] == "settings":
                settings_lines.append(line["event"]["changes"])
        assert settings_lines == [{"automod": "changed"}]
    await services.audit.flush()
    events = await services.repositories.audit.list(event_type="room.settings_changed")
    assert len(events) == 1
