"""Findings of the adversarial test, over HTTP: bad input is a 4xx problem, never a
500 or a hung connection (issue 12 §5.3, §5.4, §5.12)."""

from __future__ import annotations

import contextlib
import socket
from typing import Any

import httpx
import pytest
import trio

from syncwatch.auth.tokens import derive_key
from syncwatch.media import grants
from tests.support.ws import create_room, register

TUS = {"Tus-Resumable": "1.0.0"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response: httpx.Response, status: int | None = None) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    if status is not None:
        assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    return body


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/rooms", "/api/v1/auth/guest"]
)
async def test_a_deeply_nested_json_body_is_a_400(http: httpx.AsyncClient, path: str) -> None:
    token = await register(http, "nester")
    body = "[" * 100_000 + "]" * 100_000
    response = await http.post(
        path, content=body, headers={**bearer(token), "Content-Type": "application/json"}
    )
    assert assert_problem(response, 400)["code"] == "bad_request"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "9" * 5000])
async def test_numbers_json_does_not_have_are_refused_in_bodies(
    http: httpx.AsyncClient, number: str
) -> None:
    token = await register(http, "numbers")
    response = await http.post(
        "/api/v1/rooms",
        content='{"maxParticipants": ' + number + "}",
        headers={**bearer(token), "Content-Type": "application/json"},
    )
    assert assert_problem(response, 400)["code"] == "bad_request"


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Upload-Length", "²"),
        ("Upload-Length", "9" * 5000),
        ("Upload-Length", "١٢٣"),  # Arabic-Indic digits: int() reads them, tus does not
    ],
)
async def test_tus_creation_refuses_lengths_that_are_not_plain_numbers(
    http: httpx.AsyncClient, header: str, value: str
) -> None:
    token = await register(http, "uploader")
    response = await http.post(
        "/api/v1/videos/uploads",
        headers={**bearer(token), **TUS, header: value.encode()},
    )
    assert assert_problem(response, 400)["code"] == "bad_request"


@pytest.mark.parametrize("offset", ["²", "9" * 5000])
async def test_tus_append_refuses_offsets_that_are_not_plain_numbers(
    http: httpx.AsyncClient, offset: str
) -> None:
    token = await register(http, "uploader")
    created = await http.post(
        "/api/v1/videos/uploads", headers={**bearer(token), **TUS, "Upload-Length": "100"}
    )
    assert created.status_code == 201, created.text
    response = await http.patch(
        created.headers["Location"],
        content=b"\x00" * 10,
        headers={
            **bearer(token),
            **TUS,
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": offset.encode(),
        },
    )
    assert assert_problem(response, 400)["code"] == "bad_request"


@pytest.mark.parametrize("path", ["/%00", "/assets/app.js%00", "/r/%00ABC", "/assets/%01.js"])
async def test_a_control_character_in_the_path_is_a_404(http: httpx.AsyncClient, path: str) -> None:
    assert_problem(await http.get(path), 404)


async def test_a_range_of_5000_digits_is_416_not_500(
    http: httpx.AsyncClient, components: Any
) -> None:
    video_id = "0190abcd-0000-7000-8000-000000000000"
    key = f"videos/{video_id}/hls/360p/seg_00000.ts"
    await components.storage.put_bytes(key, b"x" * 1000)
    # HLS objects are served with a media grant only (ADR 0010): ask as a player would.
    grant_key = derive_key(components.services.settings.secret_key, "media-grants")
    grant = grants.issue(grant_key, video_id, components.services.clock.now_ms())
    path = f"/media/{grants.granted_path(grant, key)}"
    huge = "9" * 5000
    beyond = await http.get(path, headers={"Range": f"bytes={huge}-"})
    assert_problem(beyond, 416)
    assert beyond.headers["Content-Range"] == "bytes */1000"
    # A last position past the end means "to the end", however many digits it has.
    to_end = await http.get(path, headers={"Range": f"bytes=990-{huge}"})
    assert to_end.status_code == 206
    assert to_end.headers["Content-Range"] == "bytes 990-999/1000"
    final = await http.get(path, headers={"Range": f"bytes=-{huge}"})
    assert final.status_code == 206
    assert final.content == b"x" * 1000


def _raw_request(path: str, body_size: int) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {body_size}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode() + b"{" + b" " * (body_size - 2) + b"}"


def _read_response(conn: socket.socket) -> bytes:
    """One whole response (head and Content-Length body)."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = conn.recv(65536)
        if not chunk:
            return received
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _after_refusal(host: str, port: int, path: str, size: int) -> tuple[bytes, bytes]:
    """Send a large JSON body on a keep-alive connection; return the response and what
    the connection gives to a next request (b"" once the server has closed it)."""
    with socket.create_connection((host, port), timeout=5) as conn:
        # The server may answer and close before the whole body is sent.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            conn.sendall(_raw_request(path, size))
        first = _read_response(conn)
        try:
            conn.sendall(b"GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n")
            after = conn.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            after = b""
        except TimeoutError:
            after = b"<no answer within 5 s>"
    return first, after


@pytest.mark.parametrize(
    ("path", "size", "status"),
    [
        ("/api/v1/auth/login", 2 * 1024 * 1024, b"413"),  # over the 1 MiB JSON limit
        ("/api/v1/rooms", 600_000, b"401"),  # refused before the body was read
    ],
)
async def test_an_answer_before_the_body_arrived_closes_the_keep_alive_connection(
    live_server: str, path: str, size: int, status: bytes
) -> None:
    host, port = live_server.removeprefix("http://").rsplit(":", 1)
    head, after = await trio.to_thread.run_sync(_after_refusal, host, int(port), path, size)
    assert head.startswith(b"HTTP/1.1 " + status), head[:200]
    assert b"connection: close" in head.lower()
    # The next request on that connection is neither answered late nor left hanging:
    # the server has closed it, and the client opens a new one.
    assert after == b"", after[:200]


@pytest.mark.parametrize("name", ["Movie\u202enight", "tab\x00null", "bell\x07", "zero\u200bwidth"])
async def test_room_names_refuse_control_characters_like_nicknames(
    http: httpx.AsyncClient, name: str
) -> None:
    token = await register(http, "namer")
    response = await http.post(
        "/api/v1/rooms", json={"name": name, "maxParticipants": 3}, headers=bearer(token)
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "name"
    nickname = await http.post("/api/v1/auth/guest", json={"nickname": name})
    assert assert_problem(nickname, 422)["errors"][0]["field"] == "nickname"


async def test_room_names_keep_ordinary_text_and_fold_white_space(
    http: httpx.AsyncClient,
) -> None:
    token = await register(http, "namer")
    room = await create_room(http, token, name="  Film\tclub  ü 🎬 ")
    assert room["name"] == "Film club ü 🎬"
