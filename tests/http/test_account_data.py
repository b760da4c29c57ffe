"""Export my data, delete my account, reset a password with a one-time link (issue 12 §4).
On SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from syncwatch.auth.password_reset import PasswordResets
from syncwatch.media.video_store import video_prefix

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
ME = "/api/v1/auth/me"
EXPORT = "/api/v1/auth/me/export"
DELETE = "/api/v1/auth/me/delete"
RESET = "/api/v1/auth/password-reset"
PASSWORD = "correct horse"


async def sign_up(client: Any, username: str) -> dict[str, Any]:
    response = await client.post(
        REGISTER,
        json={"email": f"{username}@example.org", "username": username, "password": PASSWORD},
    )
    assert response.status_code == 201
    body = await response.get_json()
    cookie = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("sw_refresh="))
    return {
        "id": body["user"]["id"],
        "bearer": {"Authorization": f"Bearer {body['accessToken']}"},
        "cookie": {"Cookie": cookie.split(";")[0]},
    }


async def room_of(client: Any, person: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/rooms",
        json={"maxParticipants": 5, "playbackControl": "owner_only", "name": "Movie night"},
        headers=person["bearer"],
    )
    assert response.status_code == 201
    room: dict[str, Any] = await response.get_json()
    return room


async def say(
    services: Any, room: dict[str, Any], person: dict[str, Any], name: str, text: str
) -> None:
    now = services.clock.now_ms()
    await services.repositories.chat.add(room["id"], person["id"], name, "user", text, None, now)


async def befriend(services: Any, one: dict[str, Any], other: dict[str, Any]) -> None:
    now = services.clock.now_ms()
    await services.repositories.friendships.request(one["id"], other["id"], now)
    await services.repositories.friendships.accept(one["id"], other["id"], now)


async def test_the_export_holds_the_persons_data_and_nobody_elses(
    client: Any, services: Any
) -> None:
    ann = await sign_up(client, "ann")
    bob = await sign_up(client, "bob")
    anns_room = await room_of(client, ann)
    await say(services, anns_room, ann, "ann", "hello from ann")
    await say(services, anns_room, bob, "bob", "bob's own words")
    await befriend(services, ann, bob)
    cid = await sign_up(client, "cid")
    await services.repositories.blocks.block(ann["id"], cid["id"], services.clock.now_ms())

    response = await client.get(EXPORT, headers=ann["bearer"])

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="syncwatch-ann.json"'
    exported = await response.get_json()
    assert exported["format"] == "syncwatch-export/1"
    assert exported["account"]["username"] == "ann"
    assert exported["account"]["email"] == "ann@example.org"
    assert [r["code"] for r in exported["roomsOwned"]] == [anns_room["code"]]
    assert [m["content"] for m in exported["chatMessages"]] == ["hello from ann"]
    assert [(f["username"], f["status"]) for f in exported["friends"]] == [("bob", "accepted")]
    assert [b["username"] for b in exported["blockedPeople"]] == ["cid"]
    assert len(exported["sessions"]) == 1
    assert "auth.register" in {e["eventType"] for e in exported["securityEvents"]}
    text = json.dumps(exported)
    assert "bob's own words" not in text
    assert "passwordHash" not in text
    assert "$argon2" not in text


async def test_deleting_the_account_removes_the_personal_data_and_keeps_the_audit_log(
    client: Any, services: Any, components: Any
) -> None:
    ann = await sign_up(client, "ann")
    bob = await sign_up(client, "bob")
    anns_room = await room_of(client, ann)
    bobs_room = await room_of(client, bob)
    await say(services, bobs_room, ann, "ann", "ann was here")
    await say(services, bobs_room, bob, "bob", "bob stays")
    await befriend(services, ann, bob)
    media = components.media
    await media.videos.create_rejected(
        video_id="v-ann",
        uploader_id=ann["id"],
        room_code=None,
        filename="a.mp4",
        size=3,
        reason="test",
        expires_at=services.clock.now_ms() + 3_600_000,
    )
    await media.storage.put_bytes(f"{video_prefix('v-ann')}/source", b"abc")

    wrong = await client.post(DELETE, json={"password": "not it"}, headers=ann["bearer"])
    assert (wrong.status_code, (await wrong.get_json())["code"]) == (403, "wrong_current_password")
    assert (await client.get(ME, headers=ann["bearer"])).status_code == 200

    deleted = await client.post(DELETE, json={"password": PASSWORD}, headers=ann["bearer"])

    assert deleted.status_code == 204
    assert any(c.startswith("sw_refresh=;") for c in deleted.headers.get_all("Set-Cookie"))
    assert (await client.get(ME, headers=ann["bearer"])).status_code == 401
    assert (await client.post(REFRESH, headers=ann["cookie"])).status_code == 401
    gone = await client.post(LOGIN, json={"login": "ann", "password": PASSWORD})
    assert gone.status_code == 401
    assert (await client.get(f"/api/v1/rooms/{anns_room['code']}")).status_code == 404
    lines = await services.repositories.chat.recent(bobs_room["id"], viewer=bob["id"])
    assert [line.content for line in lines] == ["bob stays"]
    friends = await (await client.get("/api/v1/friends", headers=bob["bearer"])).get_json()
    assert friends["friends"] == []
    assert await media.videos.get("v-ann") is None
    assert not await media.storage.exists(f"{video_prefix('v-ann')}/source")
    await services.audit.flush()
    kept = {e.event_type for e in await services.repositories.audit.list(actor_id=ann["id"])}
    assert {"auth.register", "auth.account_deleted"} <= kept
    # The name is free again: a new person may take it.
    assert (await sign_up(client, "ann"))["id"] != ann["id"]


async def test_a_reset_link_sets_a_new_password_once_and_signs_out_everywhere(
    client: Any, services: Any
) -> None:
    ann = await sign_up(client, "ann")
    resets = PasswordResets(
        settings=services.settings,
        repositories=services.repositories,
        hasher=services.hasher,
        clock=services.clock,
        audit=services.audit,
        revocations=services.auth.revocations,
    )
    link = await resets.issue("ANN@example.org")
    assert link.url.startswith(f"{services.settings.public_url.rstrip('/')}/reset-password#token=")
    token = link.url.split("#token=", 1)[1]

    done = await client.post(RESET, json={"token": token, "newPassword": "battery staple"})

    assert done.status_code == 204
    assert (await client.get(ME, headers=ann["bearer"])).status_code == 401
    assert (await client.post(REFRESH, headers=ann["cookie"])).status_code == 401
    old = await client.post(LOGIN, json={"login": "ann", "password": PASSWORD})
    assert old.status_code == 401
    new = await client.post(LOGIN, json={"login": "ann", "password": "battery staple"})
    assert new.status_code == 200
    again = await client.post(RESET, json={"token": token, "newPassword": "another one"})
    assert (again.status_code, (await again.get_json())["code"]) == (400, "invalid_reset_link")


async def test_a_reset_link_lapses_after_30_minutes_and_a_newer_one_replaces_it(
    client: Any, services: Any
) -> None:
    await sign_up(client, "ann")
    resets = PasswordResets(
        settings=services.settings,
        repositories=services.repositories,
        hasher=services.hasher,
        clock=services.clock,
        audit=services.audit,
        revocations=services.auth.revocations,
    )
    first = (await resets.issue("ann")).url.split("#token=", 1)[1]
    second = (await resets.issue("ann")).url.split("#token=", 1)[1]
    replaced = await client.post(RESET, json={"token": first, "newPassword": "battery staple"})
    assert replaced.status_code == 400
    digest = hashlib.sha256(second.encode()).hexdigest()
    later = services.clock.now_ms() + 30 * 60 * 1000 + 1
    assert await services.repositories.password_resets.redeem(digest, later) is None
    fresh = await client.post(RESET, json={"token": second, "newPassword": "battery staple"})
    assert fresh.status_code == 204
