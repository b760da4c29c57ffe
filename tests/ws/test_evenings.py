"""History, templates and scheduled rooms over HTTP (issue 14 §5), as the web app uses
them, against a live server on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import httpx
import trio

from tests.support.social import bearer, make_friends, me_socket, user_id
from tests.support.ws import create_room, register, room_client

SOURCE = {"sourceType": "url", "url": "https://e.org/films/night-of-the-hunter.mp4"}


async def test_watch_history_says_what_when_and_with_whom_and_can_be_cleared(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    room = await create_room(http, ann, name="Film club")
    before = int(time.time() * 1000) - 1000
    async with (
        room_client(live_server, room["code"], ann) as owner,
        room_client(live_server, room["code"], bob),
    ):
        assert (await owner.reply_to(await owner.send("sync:source", SOURCE)))["type"] == "ack"
    with trio.fail_after(5):
        while not (await http.get("/api/v1/me/history", headers=bearer(ann))).json()["entries"]:
            await trio.sleep(0.05)
    entries = (await http.get("/api/v1/me/history", headers=bearer(ann))).json()["entries"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["title"] == "night-of-the-hunter.mp4"
    assert entry["roomName"] == "Film club"
    assert entry["roomCode"] == room["code"]
    assert entry["companions"] == ["bob"]
    assert before <= entry["startedAt"] <= entry["endedAt"]
    bobs = (await http.get("/api/v1/me/history", headers=bearer(bob))).json()["entries"]
    assert [e["companions"] for e in bobs] == [["ann"]]
    assert (await http.delete("/api/v1/me/history", headers=bearer(ann))).status_code == 204
    assert (await http.get("/api/v1/me/history", headers=bearer(ann))).json() == {"entries": []}
    assert len((await http.get("/api/v1/me/history", headers=bearer(bob))).json()["entries"]) == 1


async def test_a_room_saved_as_a_template_makes_rooms_with_its_settings(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    room = await create_room(http, ann, maxParticipants=3, playbackControl="all")
    async with room_client(live_server, room["code"], ann) as owner:
        await owner.reply_to(await owner.send("room:settings", {"privacy": "friends_only"}))
    saved = await http.post(
        "/api/v1/templates",
        json={"name": "Movie night", "roomCode": room["code"]},
        headers=bearer(ann),
    )
    assert saved.status_code == 201, saved.text
    assert saved.json()["settings"] == {
        "maxParticipants": 3,
        "playbackControl": "all",
        "autoHandover": True,
        "privacy": "friends_only",
        "guestsAllowed": True,
    }
    theirs = await http.post(
        "/api/v1/templates", json={"name": "Mine", "roomCode": room["code"]}, headers=bearer(bob)
    )
    assert theirs.status_code == 403
    listed = (await http.get("/api/v1/templates", headers=bearer(ann))).json()["templates"]
    assert [t["name"] for t in listed] == ["Movie night"]
    made = await http.post(f"/api/v1/templates/{listed[0]['id']}/rooms", headers=bearer(ann))
    assert made.status_code == 201, made.text
    assert made.json()["name"] == "Movie night"
    assert made.json()["maxParticipants"] == 3
    assert made.json()["playbackControl"] == "all"
    async with room_client(live_server, made.json()["code"], ann) as owner:
        assert owner.welcome["room"]["privacy"] == "friends_only"
    other = await http.post(f"/api/v1/templates/{listed[0]['id']}/rooms", headers=bearer(bob))
    assert other.status_code == 404
    deleted = await http.delete(f"/api/v1/templates/{listed[0]['id']}", headers=bearer(ann))
    assert deleted.status_code == 204


async def test_a_scheduled_room_invites_friends_and_says_when_it_opens(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann = await register(http, "ann")
    bob = await register(http, "bob")
    cat = await register(http, "cat")
    await make_friends(http, ann, bob, "bob")
    room = await create_room(http, ann, name="Premiere")
    starts_at = int(time.time() * 1000) + 3600_000
    path = f"/api/v1/rooms/{room['code']}/schedule"
    too_soon = await http.post(
        path, json={"startsAt": int(time.time() * 1000)}, headers=bearer(ann)
    )
    assert too_soon.status_code == 422
    stranger = await http.post(
        path,
        json={"startsAt": starts_at, "invite": [await user_id(http, cat)]},
        headers=bearer(ann),
    )
    assert stranger.status_code == 403
    not_owner = await http.post(path, json={"startsAt": starts_at}, headers=bearer(bob))
    assert not_owner.status_code == 403
    async with me_socket(live_server, bob) as bob_socket:
        scheduled = await http.post(
            path,
            json={"startsAt": starts_at, "invite": [await user_id(http, bob)]},
            headers=bearer(ann),
        )
        assert scheduled.status_code == 200, scheduled.text
        invitation = await bob_socket.expect("room:invitation")
        assert invitation["data"]["startsAt"] == starts_at
    assert (await http.get(path, headers=bearer(cat))).json()["startsAt"] == starts_at
    upcoming = (await http.get("/api/v1/schedules", headers=bearer(bob))).json()["schedules"]
    assert [(s["roomName"], s["startsAt"]) for s in upcoming] == [("Premiere", starts_at)]
    assert (await http.get("/api/v1/schedules", headers=bearer(cat))).json()["schedules"] == []
    refreshed = (await http.get(f"/api/v1/rooms/{room['code']}", headers=bearer(ann))).json()
    assert refreshed["expiresAt"] > starts_at, "the room is kept past its start"
    assert (await http.delete(path, headers=bearer(ann))).status_code == 204
    assert (await http.get(path, headers=bearer(ann))).status_code == 404
