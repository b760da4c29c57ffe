"""Signing out on one instance holds on every other (issue 12 §5.12, ADR 0012).

Two server instances share one database and one Redis key prefix, as behind
nginx. A logout, a password change and "sign out everywhere else" made on
instance A close that session's sockets on instance B within a few seconds
(`invalid_token`, then 4001), and B refuses its access token from then on;
the sessions that were not signed out carry on there.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import trio

from syncwatch.settings import Settings
from tests.support.instances import two_instances
from tests.support.sessions import PASSWORD, bearer, me_socket, sign_in, sign_up
from tests.support.ws import RoomClient, create_room, room_client

pytestmark = pytest.mark.redis

# What a user is promised: gone everywhere within 10 s. The feed does it in about a second
# (`FEED_POLL_S`; tests/test_revocation.py pins that on a mock clock); the rest is slack
# for a busy machine, where Redis may miss its 250 ms deadline at start-up.
PROMISED_S = 10.0


@pytest.fixture
def settings(settings_factory: Any, redis_url: str) -> Settings:
    settings: Settings = settings_factory(
        redis_url=redis_url, register_limit_per_hour=0, login_limit_per_minute=0
    )
    return settings


async def signed_out_within(client: RoomClient, limit_s: float) -> float:
    """Seconds until `client` is told `invalid_token` and closed 4001 (at most `limit_s`)."""
    started = trio.current_time()
    with trio.fail_after(limit_s):
        refusal = await client.expect("error", timeout=limit_s)
        assert refusal["data"]["code"] == "invalid_token"
        assert await client.closed_with(timeout=limit_s) == 4001
    return trio.current_time() - started


async def still_answers(client: RoomClient) -> None:
    ping = await client.send("presence:heartbeat")
    assert (await client.reply_to(ping))["type"] == "ack"


async def refused_on(http: httpx.AsyncClient, device: dict[str, str]) -> None:
    me = await http.get("/api/v1/auth/me", headers=bearer(device))
    assert me.status_code == 401
    assert me.headers["Content-Type"] == "application/problem+json"


async def test_a_logout_on_one_instance_closes_the_sessions_sockets_on_another(
    settings: Settings,
) -> None:
    async with (
        two_instances(settings) as ((a, _), (b, _), _),
        httpx.AsyncClient(base_url=a) as on_a,
        httpx.AsyncClient(base_url=b) as on_b,
    ):
        laptop = await sign_up(on_a, "ann")
        phone = await sign_in(on_a, "ann")
        on_a.cookies.clear()
        code = (await create_room(on_a, laptop["token"], playbackControl="all"))["code"]
        # One person has one seat in a room: the laptop watches another room.
        elsewhere = (await create_room(on_a, laptop["token"]))["code"]
        async with (
            room_client(b, code, phone["token"]) as phone_in_room,
            me_socket(b, phone["token"]) as phone_me,
            room_client(b, elsewhere, laptop["token"]) as laptop_in_room,
        ):
            assert (await on_b.get("/api/v1/auth/me", headers=bearer(phone))).status_code == 200
            out = await on_a.post(
                "/api/v1/auth/logout",
                headers={**bearer(phone), "Cookie": f"sw_refresh={phone['cookie']}"},
            )
            assert out.status_code == 204
            took = [
                await signed_out_within(phone_in_room, PROMISED_S),
                await signed_out_within(phone_me, PROMISED_S),
            ]
            print(f"logout on A closed the session's two sockets on B within {max(took):.2f} s")
            await refused_on(on_b, phone)
            await still_answers(laptop_in_room)
        async with room_client(b, code, phone["token"], expect_welcome=False) as again:
            assert await again.closed_with() == 4001


async def test_a_password_change_and_sign_out_everywhere_else_reach_every_instance(
    settings: Settings,
) -> None:
    async with (
        two_instances(settings) as ((a, _), (b, _), _),
        httpx.AsyncClient(base_url=a) as on_a,
        httpx.AsyncClient(base_url=b) as on_b,
    ):
        laptop = await sign_up(on_a, "bea")
        phone = await sign_in(on_a, "bea")
        tablet = await sign_in(on_a, "bea")
        on_a.cookies.clear()
        code = (await create_room(on_a, laptop["token"]))["code"]
        async with (
            room_client(b, code, phone["token"]) as phone_in_room,
            me_socket(b, laptop["token"]) as laptop_me,
        ):
            changed = await on_a.post(
                "/api/v1/auth/password",
                json={"currentPassword": PASSWORD, "newPassword": "battery staple"},
                headers=bearer(laptop),
            )
            assert changed.json() == {"signedOut": 2}
            took = await signed_out_within(phone_in_room, PROMISED_S)
            print(f"password change on A closed the other session's socket on B in {took:.2f} s")
            await refused_on(on_b, phone)
            await refused_on(on_b, tablet)
            await still_answers(laptop_me)

        # Sign in twice more with the new password, then "sign out everywhere else".
        second = await on_a.post(
            "/api/v1/auth/login", json={"login": "bea", "password": "battery staple"}
        )
        other = {"token": second.json()["accessToken"]}
        on_a.cookies.clear()
        async with me_socket(b, other["token"]) as other_me:
            ended = await on_a.delete("/api/v1/auth/sessions", headers=bearer(laptop))
            assert ended.json() == {"signedOut": 1}
            took = await signed_out_within(other_me, PROMISED_S)
            print(f"sign out everywhere else on A closed a socket on B in {took:.2f} s")
            await refused_on(on_b, other)
            assert (await on_b.get("/api/v1/auth/me", headers=bearer(laptop))).status_code == 200
