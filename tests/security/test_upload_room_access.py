"""Only people who may change a room's video can attach an upload to it (issue 12 §5.7).

An upload naming a room (`Upload-Metadata: roomCode …`) tells that room's members
its filename and progress, so a stranger must not be able to push notices into
any room they know the code of.
"""

from __future__ import annotations

import base64

import httpx
import trio

from tests.support.ws import create_room, register, room_client

UPLOADS = "/api/v1/videos/uploads"
HOSTILE_NAME = "<img src=x onerror=alert(1)>.mp4"


def metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


async def create_upload(
    http: httpx.AsyncClient, token: str, room_code: str | None, filename: str = "clip.mp4"
) -> httpx.Response:
    values = {"filename": filename} | ({} if room_code is None else {"roomCode": room_code})
    return await http.post(
        UPLOADS,
        headers={
            "Authorization": f"Bearer {token}",
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "1000",
            "Upload-Metadata": metadata(**values),
        },
    )


async def test_a_stranger_cannot_attach_an_upload_to_someone_elses_room(
    http: httpx.AsyncClient,
) -> None:
    owner = await register(http, "owner1")
    stranger = await register(http, "stranger1")
    room = await create_room(http, owner)

    refused = await create_upload(http, stranger, room["code"], HOSTILE_NAME)

    assert refused.status_code == 403
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == "source_forbidden"
    assert "Location" not in refused.headers
    # Without a room, the same person may upload for themselves.
    assert (await create_upload(http, stranger, None)).status_code == 201


async def test_the_owner_may_attach_an_upload_even_before_joining(
    http: httpx.AsyncClient,
) -> None:
    owner = await register(http, "owner2")
    room = await create_room(http, owner)
    assert (await create_upload(http, owner, room["code"].lower())).status_code == 201


async def test_a_member_may_attach_an_upload_only_while_the_policy_lets_them_set_the_source(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "owner3")
    member = await register(http, "member3")
    owner_only = await create_room(http, owner, playbackControl="owner_only")
    everyone = await create_room(http, owner, playbackControl="all")

    async with room_client(live_server, owner_only["code"], member):
        refused = await create_upload(http, member, owner_only["code"])
        assert (refused.status_code, refused.json()["code"]) == (403, "source_forbidden")
    async with room_client(live_server, everyone["code"], member):
        assert (await create_upload(http, member, everyone["code"])).status_code == 201
    # Once they have left (the room takes the departure in a moment), the room is no
    # longer theirs to put a video in.
    with trio.fail_after(3):
        while (gone := await create_upload(http, member, everyone["code"])).status_code == 201:
            await trio.sleep(0.05)
    assert (gone.status_code, gone.json()["code"]) == (403, "source_forbidden")


async def test_an_upload_naming_no_existing_room_is_a_404(http: httpx.AsyncClient) -> None:
    token = await register(http, "uploader4")
    refused = await create_upload(http, token, "ZZZZZZZZ")
    assert (refused.status_code, refused.json()["code"]) == (404, "room_not_found")
