"""`GET /api/v1/voice/ice-servers` and `POST /api/v1/voice/reports` over a real server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import httpx
import pytest
import trio
from structlog.testing import capture_logs

from syncwatch.app import create_app
from syncwatch.components import Components
from syncwatch.settings import Settings
from syncwatch.voice.ice_servers import ice_configuration, turn_credential
from tests.support.voice import TURN_SECRET
from tests.support.ws import create_room, guest, register, room_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def me(http: httpx.AsyncClient, token: str) -> dict[str, Any]:
    response = await http.get("/api/v1/auth/me", headers=bearer(token))
    body: dict[str, Any] = response.json()
    return body


async def test_ice_servers_need_a_token(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/v1/voice/ice-servers")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "unauthorized"


async def test_ice_servers_carry_turn_credentials_coturn_accepts(
    http: httpx.AsyncClient, live_server: str
) -> None:
    token = await register(http, "ann")
    user_id = (await me(http, token))["id"]
    before = int(time.time())
    code = (await create_room(http, token))["code"]
    async with room_client(live_server, code, token) as ann:
        await ann.send("voice:join")
        await ann.expect("voice:peers")
        response = await http.get("/api/v1/voice/ice-servers", headers=bearer(token))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    # Short-lived: ten minutes by default (SYNCWATCH_TURN_TTL_S).
    assert body["ttl"] == 600
    assert body["relayAvailable"] is True
    stun, turn = body["iceServers"]
    assert stun == {"urls": ["stun:stun.example.org:3478"]}
    assert turn["urls"] == [
        "turn:turn.example.org:3478?transport=udp",
        "turn:turn.example.org:3478?transport=tcp",
        "turns:turn.example.org:5349?transport=tcp",
    ]
    expiry, name = turn["username"].split(":", 1)
    assert name == user_id
    assert before + 600 <= int(expiry) <= int(time.time()) + 600
    expected = base64.b64encode(
        hmac.new(TURN_SECRET.encode(), turn["username"].encode(), hashlib.sha1).digest()
    ).decode()
    assert turn["credential"] == expected
    # The shared secret itself never reaches a browser.
    assert TURN_SECRET not in response.text


async def test_guests_in_a_room_get_credentials_of_their_own(
    http: httpx.AsyncClient, live_server: str
) -> None:
    code = (await create_room(http, await register(http, "ann")))["code"]
    first = await guest(http, "Bo")
    second = await guest(http, "Cy")
    async with (
        room_client(live_server, code, first) as bo,
        room_client(live_server, code, second) as cy,
    ):
        for member in (bo, cy):
            await member.send("voice:join")
            await member.expect("voice:peers")
        a = (await http.get("/api/v1/voice/ice-servers", headers=bearer(first))).json()
        b = (await http.get("/api/v1/voice/ice-servers", headers=bearer(second))).json()
    assert a["iceServers"][1]["username"] != b["iceServers"][1]["username"]
    assert a["iceServers"][1]["credential"] != b["iceServers"][1]["credential"]


async def ice_servers(http: httpx.AsyncClient, token: str) -> dict[str, Any]:
    response = await http.get("/api/v1/voice/ice-servers", headers=bearer(token))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_turn_credentials_only_for_someone_in_a_rooms_voice_call(
    http: httpx.AsyncClient, live_server: str
) -> None:
    """A free guest token buys STUN only; a seat in a room is told a relay exists but gets
    no credentials until it joins the call; leaving the call (or the room) ends that."""
    code = (await create_room(http, await register(http, "ann")))["code"]
    visitor = await guest(http, "Bo")
    stun_only = [{"urls": ["stun:stun.example.org:3478"]}]
    alone = await ice_servers(http, visitor)
    assert alone["iceServers"] == stun_only
    assert alone["relayAvailable"] is False
    assert "credential" not in str(alone)
    async with room_client(live_server, code, visitor) as bo:
        seated = await ice_servers(http, visitor)
        assert seated["iceServers"] == stun_only
        assert "credential" not in str(seated)
        # A relay is there (relay-only voice can be offered), and nothing is worth caching.
        assert (seated["relayAvailable"], seated["ttl"]) == (True, 0)

        await bo.send("voice:join")
        await bo.expect("voice:peers")
        in_call = await ice_servers(http, visitor)
        assert in_call["iceServers"][1]["credential"]
        assert in_call["ttl"] == 600

        await bo.send("voice:leave")
        for _ in range(50):  # the room actor handles the leave on its own turn
            left = await ice_servers(http, visitor)
            if "credential" not in str(left):
                break
            await trio.sleep(0.02)
        assert left["iceServers"] == stun_only

        await bo.send("voice:join")
        await bo.expect("voice:peers")
        assert "credential" in str(await ice_servers(http, visitor))
    for _ in range(50):  # the seat and the call end as the socket closes
        gone = await ice_servers(http, visitor)
        if not gone["relayAvailable"]:
            break
        await trio.sleep(0.02)
    assert gone["iceServers"] == stun_only
    assert gone["relayAvailable"] is False


@pytest.mark.parametrize(
    ("turn_urls", "turn_secret"),
    [((), None), (("turn:turn.example.org:3478",), None), ((), "a secret without urls")],
)
def test_without_turn_only_stun_is_offered_and_relay_is_unavailable(
    turn_urls: tuple[str, ...], turn_secret: str | None
) -> None:
    configuration = ice_configuration(
        stun_urls=("stun:stun.example.org:3478",),
        turn_urls=turn_urls,
        turn_secret=turn_secret,
        user_id="u1",
        now_s=1_700_000_000,
        ttl_s=600,
    ).as_json()
    assert configuration == {
        "iceServers": [{"urls": ["stun:stun.example.org:3478"]}],
        "ttl": 600,
        "relayAvailable": False,
    }


def test_credentials_follow_the_turn_rest_api() -> None:
    # The example of draft-uberti-behave-turn-rest-00, computed independently.
    credential = turn_credential("secret", "alice", now_s=1_000, ttl_s=86_400)
    assert credential.username == "87400:alice"
    digest = hmac.new(b"secret", b"87400:alice", hashlib.sha1).digest()
    assert credential.credential == base64.b64encode(digest).decode()
    assert credential.expires_at_s == 87_400


async def test_reports_feed_failure_and_relay_metrics(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    token = await register(http, "ann")
    reports = [
        {"iceFailures": [], "relayed": 1, "connected": 2, "peers": 2, "joinMs": 180},
        {"iceFailures": ["timeout", "made_up_reason"], "relayed": 1, "connected": 1, "peers": 2},
        {"iceFailures": ["ice_failed"], "relayed": 0, "connected": 1, "joinMs": 900},
    ]
    with capture_logs() as logs:
        for report in reports:
            response = await http.post("/api/v1/voice/reports", json=report, headers=bearer(token))
            assert response.status_code == 204, response.text
    joins = [entry for entry in logs if entry["event"] == "voice join"]
    outcomes = [(join["success"], join["join_ms"]) for join in joins]
    assert outcomes == [(True, 180), (False, None), (False, 900)]
    assert joins[1]["ice_failures"] == ["timeout", "other"]
    metrics = (await http.get("/metrics")).text
    assert 'syncwatch_ice_failures_total{failure_reason="timeout"} 1.0' in metrics
    assert 'syncwatch_ice_failures_total{failure_reason="ice_failed"} 1.0' in metrics
    assert 'syncwatch_ice_failures_total{failure_reason="other"} 1.0' in metrics
    assert "made_up_reason" not in metrics
    # 2 relayed out of 4 established connections.
    assert "syncwatch_turn_usage_percent 50.0" in metrics
    assert 'syncwatch_voice_joins_total{outcome="connected"} 1.0' in metrics
    assert 'syncwatch_voice_joins_total{outcome="failed"} 2.0' in metrics
    assert "syncwatch_voice_join_ms_count 2.0" in metrics


async def test_reports_need_a_token_and_a_sane_body(http: httpx.AsyncClient) -> None:
    body = {"relayed": 0, "connected": 1}
    assert (await http.post("/api/v1/voice/reports", json=body)).status_code == 401
    token = await register(http, "ann")
    for bad in (
        {"relayed": 3, "connected": 1},
        {"connected": -1},
        {"connected": "2"},
        {"iceFailures": ["x" * 65]},
        {"iceFailures": ["timeout"] * 33},
    ):
        response = await http.post("/api/v1/voice/reports", json=bad, headers=bearer(token))
        assert response.status_code == 422, bad
        assert response.json()["code"] == "validation_error"


async def test_an_app_rebuilt_on_the_same_components_keeps_its_voice_metrics(
    components: Components,
) -> None:
    first = create_app(components)
    second = create_app(components)  # a restart in place must not register the series twice
    async with second.test_app() as app:
        client = app.test_client()
        token = await (await client.post("/api/v1/auth/guest", json={})).get_json()
        response = await client.post(
            "/api/v1/voice/reports",
            json={"connected": 1, "relayed": 1, "peers": 1, "joinMs": 90},
            headers=bearer(token["accessToken"]),
        )
        assert response.status_code == 204
    assert first is not second
    registry = components.services.metrics.registry
    assert registry.get_sample_value("syncwatch_turn_usage_percent") == 100.0
