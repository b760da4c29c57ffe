"""Real answers of a running server match the OpenAPI document, successes and errors.

A person's use of the API, over a real socket: every response is checked
against `docs/openapi.json` by openapi-core as it arrives (status documented,
content type, body schema), and at the end every documented operation must
have been answered at least once.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from syncwatch.http.openapi import all_operations, openapi_document
from syncwatch.settings import Settings
from tests.support.media import MediaFixtures
from tests.support.ws import room_client

UPLOADS = "/api/v1/videos/uploads"
TUS = {"Tus-Resumable": "1.0.0"}
SRT = "1\n00:00:00,000 --> 00:00:01,000\nHello\n"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The contract is the same on both engines (the store has its own suite)."""
    return f"sqlite:///{tmp_path / 'syncwatch.db'}"


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(
        register_limit_per_hour=0,
        api_limit_per_minute=0,
        login_limit_per_minute=2,
        max_json_body_bytes=2048,
        transcode_preset="ultrafast",
        upload_bandwidth_mbit=0,
    )


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFixtures:
    return MediaFixtures(tmp_path_factory.mktemp("contract-media"))


class Checked:
    """Every response checked against the document; remembers what was answered."""

    def __init__(self) -> None:
        self.document = openapi_document()
        self.spec = OpenAPI.from_dict(
            self.document,
            config=Config(extra_media_type_deserializers={"application/problem+json": json.loads}),
        )
        self.templates = [
            (op.method, op.path, re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", op.path) + "$"))
            for op in all_operations()
        ]
        self.answered: set[tuple[str, str, int]] = set()

    async def __call__(self, response: httpx.Response) -> None:
        await response.aread()
        request = response.request
        self.spec.validate_response(
            MockRequest(
                f"{request.url.scheme}://{request.url.netloc.decode()}",
                request.method,
                request.url.path,
                args=dict(request.url.params),
            ),
            MockResponse(
                response.content,
                status_code=response.status_code,
                headers=dict(response.headers),
                content_type=response.headers.get("content-type", "").split(";")[0].strip(),
            ),
        )
        for method, path, pattern in self.templates:
            if method == request.method and pattern.match(request.url.path):
                self.answered.add((method, path, response.status_code))
                # Named, not only covered by `default`: the document lists what really comes.
                declared = self.document["paths"][path][method.lower()]["responses"]
                assert str(response.status_code) in declared, (method, path, response.status_code)


@pytest.fixture
async def api(live_server: str) -> AsyncIterator[tuple[httpx.AsyncClient, Checked]]:
    checked = Checked()
    async with httpx.AsyncClient(
        base_url=live_server, timeout=20, event_hooks={"response": [checked]}
    ) as client:
        yield client, checked


def bearer(session: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['accessToken']}"}


async def register(http: httpx.AsyncClient, name: str) -> dict[str, Any]:
    answer = await http.post(
        "/api/v1/auth/register",
        json={"email": f"{name}@example.org", "username": name, "password": "correct horse"},
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def accounts(http: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    ann = await register(http, "ann")
    assert (await http.post("/api/v1/auth/register", json={"email": "x"})).status_code == 422
    again = {"email": "ann@example.org", "username": "ann2", "password": "correct horse"}
    assert (await http.post("/api/v1/auth/register", json=again)).status_code == 409
    malformed = await http.post(
        "/api/v1/auth/register", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "bad_request"
    as_text = await http.post(
        "/api/v1/auth/register", content=b"hi", headers={"Content-Type": "text/plain"}
    )
    assert as_text.status_code == 415
    oversized = await http.post("/api/v1/auth/register", json={"email": "a" * 4000})
    assert oversized.status_code == 413
    assert oversized.json()["code"] == "too_large"
    foreign = await http.post("/api/v1/auth/guest", headers={"Origin": "https://elsewhere.example"})
    assert (foreign.status_code, foreign.json()["code"]) == (403, "origin_not_allowed")

    assert (await http.post("/api/v1/auth/refresh")).status_code == 200  # ann's cookie
    me = await http.get("/api/v1/auth/me", headers=bearer(ann))
    assert isinstance(me.json()["createdAt"], int)
    assert (await http.get("/api/v1/auth/me")).status_code == 401
    assert (await http.post("/api/v1/auth/logout")).status_code == 204
    assert (await http.post("/api/v1/auth/refresh")).status_code == 401

    # The logout ended the session of ann's first token: it is refused from now on.
    assert (await http.get("/api/v1/auth/me", headers=bearer(ann))).status_code == 401
    login = {"login": "ann", "password": "correct horse"}
    signed_in = await http.post("/api/v1/auth/login", json=login)
    assert signed_in.status_code == 200
    ann = signed_in.json()
    wrong = {**login, "password": "wrong horse"}
    assert (await http.post("/api/v1/auth/login", json=wrong)).status_code == 401
    limited = await http.post("/api/v1/auth/login", json=wrong)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    return ann, await register(http, "bob")


async def rooms(http: httpx.AsyncClient, ann: dict[str, Any], bob: dict[str, Any]) -> str:
    guest = (await http.post("/api/v1/auth/guest")).json()
    assert guest["user"]["guest"] is True
    assert (await http.get("/api/v1/auth/me", headers=bearer(guest))).status_code == 200
    body = {"maxParticipants": 3, "password": "popcorn"}
    assert (await http.post("/api/v1/rooms", json=body, headers=bearer(guest))).status_code == 401
    created = await http.post("/api/v1/rooms", json=body, headers=bearer(ann))
    assert created.status_code == 201
    code = created.json()["code"]
    assert (await http.get(f"/api/v1/rooms/{code}")).status_code == 200
    assert (await http.get("/api/v1/rooms/ZZZZZZZZ")).status_code == 404
    join = f"/api/v1/rooms/{code}/join"
    wrong = await http.post(join, json={"password": "nope"}, headers=bearer(bob))
    assert (wrong.status_code, wrong.json()["code"]) == (403, "wrong_password")
    assert (
        await http.post(join, json={"password": "popcorn"}, headers=bearer(bob))
    ).status_code == 200
    assert (await http.delete(f"/api/v1/rooms/{code}", headers=bearer(bob))).status_code == 403
    mine = await http.get("/api/v1/rooms/mine", headers=bearer(ann))
    assert [room["code"] for room in mine.json()["owned"]] == [code]
    return code


async def friends(http: httpx.AsyncClient, ann: dict[str, Any], bob: dict[str, Any]) -> None:
    asked = await http.post(
        "/api/v1/friends/request", json={"username": "bob"}, headers=bearer(ann)
    )
    assert asked.status_code == 201
    twice = await http.post(
        "/api/v1/friends/request", json={"username": "bob"}, headers=bearer(ann)
    )
    assert twice.status_code == 409
    me = await http.post("/api/v1/friends/request", json={"username": "ann"}, headers=bearer(ann))
    assert me.status_code == 422
    nobody = await http.post(
        "/api/v1/friends/request", json={"username": "zed"}, headers=bearer(ann)
    )
    assert nobody.status_code == 404
    assert (await http.get("/api/v1/friends", headers=bearer(bob))).json()["incoming"]
    accept = {"userId": ann["user"]["id"]}
    assert (
        await http.post("/api/v1/friends/accept", json=accept, headers=bearer(bob))
    ).status_code == 200
    assert (
        await http.post("/api/v1/friends/accept", json=accept, headers=bearer(bob))
    ).status_code == 404
    gone = f"/api/v1/friends/{bob['user']['id']}"
    assert (await http.delete(gone, headers=bearer(ann))).status_code == 204
    assert (await http.delete(gone, headers=bearer(ann))).status_code == 404
    found = await http.get("/api/v1/friends/search", params={"q": "bo"}, headers=bearer(ann))
    assert found.json()["users"][0]["username"] == "bob"
    blocked = await http.post(
        "/api/v1/friends/block", json={"userId": bob["user"]["id"]}, headers=bearer(ann)
    )
    assert blocked.status_code == 204
    unblock = f"/api/v1/friends/block/{bob['user']['id']}"
    assert (await http.delete(unblock, headers=bearer(ann))).status_code == 204
    assert (await http.delete(unblock, headers=bearer(ann))).status_code == 404
    centre = await http.get("/api/v1/notifications", headers=bearer(bob))
    assert centre.json()["unread"] == 1
    read = await http.post("/api/v1/notifications/read", json={}, headers=bearer(bob))
    assert read.json() == {"unread": 0}
    assert (await http.delete("/api/v1/notifications", headers=bearer(bob))).status_code == 204


async def evenings(http: httpx.AsyncClient, ann: dict[str, Any], code: str) -> None:
    assert (await http.get("/api/v1/me/history", headers=bearer(ann))).status_code == 200
    assert (await http.delete("/api/v1/me/history", headers=bearer(ann))).status_code == 204
    saved = await http.post(
        "/api/v1/templates", json={"name": "Night", "roomCode": code}, headers=bearer(ann)
    )
    assert saved.status_code == 201
    assert (await http.get("/api/v1/templates", headers=bearer(ann))).status_code == 200
    template = f"/api/v1/templates/{saved.json()['id']}"
    made = await http.post(f"{template}/rooms", json={"name": "From it"}, headers=bearer(ann))
    assert made.status_code == 201
    assert (await http.delete(template, headers=bearer(ann))).status_code == 204
    assert (await http.delete(template, headers=bearer(ann))).status_code == 404
    schedule = f"/api/v1/rooms/{code}/schedule"
    soon = await http.post(schedule, json={"startsAt": 1}, headers=bearer(ann))
    assert soon.status_code == 422
    later = {"startsAt": int(time.time() * 1000) + 3600_000}
    assert (await http.post(schedule, json=later, headers=bearer(ann))).status_code == 200
    assert (await http.get(schedule, headers=bearer(ann))).status_code == 200
    assert (await http.get("/api/v1/schedules", headers=bearer(ann))).status_code == 200
    assert (await http.delete(schedule, headers=bearer(ann))).status_code == 204


async def voice(http: httpx.AsyncClient, ann: dict[str, Any]) -> None:
    assert (await http.get("/api/v1/voice/ice-servers", headers=bearer(ann))).status_code == 200
    report = {"connected": 2, "relayed": 1, "peers": 2, "joinMs": 180, "iceFailures": []}
    assert (
        await http.post("/api/v1/voice/reports", json=report, headers=bearer(ann))
    ).status_code == 204
    report["relayed"] = 3
    assert (
        await http.post("/api/v1/voice/reports", json=report, headers=bearer(ann))
    ).status_code == 422


def metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


async def uploads(http: httpx.AsyncClient, ann: dict[str, Any], code: str, clip: bytes) -> None:
    auth = bearer(ann)
    assert (await http.options(UPLOADS)).status_code == 204
    no_version = await http.post(UPLOADS, headers={**auth, "Upload-Length": "10"})
    assert (no_version.status_code, no_version.json()["code"]) == (412, "unsupported_tus_version")
    huge = await http.post(UPLOADS, headers={**auth, **TUS, "Upload-Length": str(9 * 1024**3)})
    assert (huge.status_code, huge.json()["code"]) == (413, "too_large")
    no_length = await http.post(UPLOADS, headers={**auth, **TUS})
    assert no_length.status_code == 400

    async def create(size: int) -> str:
        meta = metadata(filename="clip.mp4", roomCode=code)
        created = await http.post(
            UPLOADS, headers={**auth, **TUS, "Upload-Length": str(size), "Upload-Metadata": meta}
        )
        assert created.status_code == 201
        return created.headers["Location"]

    def patch(offset: int) -> dict[str, str]:
        return {
            **auth,
            **TUS,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
        }

    junk = await create(4096)
    assert (await http.head(junk, headers={**auth, **TUS})).status_code == 200
    skipped = await http.patch(junk, content=b"x", headers=patch(5))
    assert (skipped.status_code, skipped.json()["uploadOffset"]) == (409, 0)
    refused = await http.patch(junk, content=b"not a video!" * 300, headers=patch(0))
    assert (refused.status_code, refused.json()["code"]) == (415, "unsupported_format")
    dropped = await create(10)
    assert (await http.delete(dropped, headers={**auth, **TUS})).status_code == 204

    location = await create(len(clip))
    assert (await http.patch(location, content=clip, headers=patch(0))).status_code == 204
    video = location.rsplit("/", 1)[1]
    assert (await http.get(f"/api/v1/videos/{video}/status", headers=auth)).status_code == 200
    manifest = await http.get(f"/api/v1/videos/{video}/manifest", headers=auth)
    assert manifest.status_code in (200, 409)
    if manifest.status_code == 409:
        assert manifest.json()["status"] == 409  # never replaced by the video's status
    assert (await http.get("/api/v1/videos/nope/status", headers=auth)).status_code == 404
    tracks = f"/api/v1/videos/{video}/subtitles"
    added = await http.post(
        tracks,
        params={"label": "English", "language": "en", "filename": "en.srt"},
        content=SRT.encode(),
        headers={**auth, "Content-Type": "application/x-subrip"},
    )
    assert added.status_code == 201
    assert (await http.get(tracks, headers=auth)).json()["subtitles"]
    assert (await http.get("/media/nothing.m3u8")).status_code == 404


async def account(http: httpx.AsyncClient, bob: dict[str, Any]) -> None:
    """Bob's own account: sessions, the password, his data, then the account itself."""
    # (Logins from this address are spent by now: bob has just the one session.)
    listed = await http.get("/api/v1/auth/sessions", headers=bearer(bob))
    assert [s["current"] for s in listed.json()["sessions"]] == [True]
    unknown = await http.delete("/api/v1/auth/sessions/nope", headers=bearer(bob))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "session_not_found")
    assert (await http.delete("/api/v1/auth/sessions", headers=bearer(bob))).json() == {
        "signedOut": 0
    }
    change = {"currentPassword": "correct horse", "newPassword": "battery staple"}
    assert (await http.post("/api/v1/auth/password", json=change, headers=bearer(bob))).json() == {
        "signedOut": 0
    }
    exported = await http.get("/api/v1/auth/me/export", headers=bearer(bob))
    assert exported.json()["account"]["username"] == "bob"
    reset = {"token": "x" * 43, "newPassword": "battery staple"}
    refused = await http.post("/api/v1/auth/password-reset", json=reset)
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_reset_link")
    deleted = await http.post(
        "/api/v1/auth/me/delete", json={"password": "battery staple"}, headers=bearer(bob)
    )
    assert deleted.status_code == 204


async def operations(http: httpx.AsyncClient) -> None:
    for path in ("/health/live", "/health/ready", "/metrics", "/api/v1/openapi.json"):
        assert (await http.get(path)).status_code == 200
    assert (await http.get("/health/transcoder")).status_code in (200, 503)


async def test_a_persons_use_of_the_api_is_answered_as_documented(
    api: tuple[httpx.AsyncClient, Checked], media: MediaFixtures
) -> None:
    http, checked = api
    ann, bob = await accounts(http)
    code = await rooms(http, ann, bob)
    await friends(http, ann, bob)
    await voice(http, ann)
    await evenings(http, ann, code)
    await uploads(http, ann, code, media.silent_mp4.read_bytes())
    await operations(http)
    await account(http, bob)
    assert (await http.delete(f"/api/v1/rooms/{code}", headers=bearer(ann))).status_code == 204

    answered = {(method, path) for method, path, _ in checked.answered}
    documented = {(op.method, op.path) for op in all_operations()}
    assert sorted(documented - answered) == []
    statuses = {status for _, _, status in checked.answered}
    assert {400, 401, 403, 404, 409, 412, 413, 415, 422, 429} <= statuses


async def test_a_rooms_creation_time_is_one_integer_over_http_and_the_websocket(
    api: tuple[httpx.AsyncClient, Checked], live_server: str
) -> None:
    http, _ = api
    ann = await register(http, "ann")
    created = (
        await http.post("/api/v1/rooms", json={"maxParticipants": 2}, headers=bearer(ann))
    ).json()
    fetched = (await http.get(f"/api/v1/rooms/{created['code']}")).json()

    async with room_client(live_server, created["code"], ann["accessToken"]) as socket:
        welcome_room = socket.welcome["room"]

    assert isinstance(created["createdAt"], int)
    assert created["createdAt"] == fetched["createdAt"] == welcome_room["createdAt"]
    assert isinstance(created["expiresAt"], int)
    assert "expiresAt" not in welcome_room  # a live room expires only once it is empty
    assert json.loads(json.dumps(welcome_room))["createdAt"] > 1_600_000_000_000
