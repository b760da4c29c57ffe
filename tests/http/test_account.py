"""The signed-in person's account (issue 12 §4): password, sessions, logout that takes
effect at once (§5.12). On SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/auth/me"
PASSWORD = "/api/v1/auth/password"
SESSIONS = "/api/v1/auth/sessions"

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


@dataclass
class Device:
    """One browser signed in: its access token and its refresh cookie."""

    token: str
    cookie: str

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _device(response: Any, body: dict[str, Any]) -> Device:
    header = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("sw_refresh="))
    return Device(body["accessToken"], header.split(";")[0].split("=", 1)[1])


async def sign_up(client: Any, username: str = "ann", agent: str = FIREFOX) -> Device:
    response = await client.post(
        REGISTER,
        json={
            "email": f"{username}@example.org",
            "username": username,
            "password": "correct horse",
        },
        headers={"User-Agent": agent},
    )
    assert response.status_code == 201
    return _device(response, await response.get_json())


async def sign_in(
    client: Any, login: str = "ann", password: str = "correct horse", agent: str = PHONE
) -> Device:
    response = await client.post(
        LOGIN, json={"login": login, "password": password}, headers={"User-Agent": agent}
    )
    assert response.status_code == 200, await response.get_data()
    return _device(response, await response.get_json())


async def refresh(client: Any, device: Device) -> Any:
    return await client.post(REFRESH, headers={"Cookie": f"sw_refresh={device.cookie}"})


async def me_status(client: Any, device: Device) -> int:
    return int((await client.get(ME, headers=device.bearer)).status_code)


async def test_changing_the_password_signs_out_every_other_session(
    client: Any, services: Any
) -> None:
    laptop = await sign_up(client)
    phone = await sign_in(client)

    changed = await client.post(
        PASSWORD,
        json={"currentPassword": "correct horse", "newPassword": "battery staple"},
        headers=laptop.bearer,
    )

    assert changed.status_code == 200
    assert (await changed.get_json()) == {"signedOut": 1}
    # The phone is signed out at once: its access token and its refresh cookie.
    assert await me_status(client, phone) == 401
    assert (await refresh(client, phone)).status_code == 401
    # The laptop that changed it carries on.
    assert await me_status(client, laptop) == 200
    assert (await refresh(client, laptop)).status_code == 200
    refused = await client.post(LOGIN, json={"login": "ann", "password": "correct horse"})
    assert refused.status_code == 401
    await sign_in(client, password="battery staple")
    await services.audit.flush()
    changes = await services.repositories.audit.list(event_type="auth.password_changed")
    assert [(c.actor_id, c.metadata["sessions_signed_out"]) for c in changes] == [
        (changes[0].target_id, 1)
    ]


async def test_a_wrong_current_password_changes_nothing(client: Any) -> None:
    laptop = await sign_up(client)
    phone = await sign_in(client)
    wrong = await client.post(
        PASSWORD,
        json={"currentPassword": "not it", "newPassword": "battery staple"},
        headers=laptop.bearer,
    )
    assert wrong.status_code == 403
    assert (await wrong.get_json())["code"] == "wrong_current_password"
    assert await me_status(client, phone) == 200
    short = await client.post(
        PASSWORD,
        json={"currentPassword": "correct horse", "newPassword": "short"},
        headers=laptop.bearer,
    )
    assert short.status_code == 422
    assert (await client.post(PASSWORD, json={})).status_code == 401


async def test_the_session_list_names_each_device_and_marks_this_one(client: Any) -> None:
    laptop = await sign_up(client)
    await sign_in(client)

    listed = await client.get(SESSIONS, headers=laptop.bearer)

    assert listed.status_code == 200
    sessions = (await listed.get_json())["sessions"]
    assert sorted((s["device"], s["current"]) for s in sessions) == [
        ("Firefox on Windows", True),
        ("Safari on iPhone", False),
    ]
    assert all(s["lastSeenAt"] >= s["startedAt"] > 0 for s in sessions)
    assert listed.headers["Cache-Control"] == "no-store"


async def test_a_refresh_keeps_the_session_and_moves_its_last_seen_time(client: Any) -> None:
    laptop = await sign_up(client)
    before = (await (await client.get(SESSIONS, headers=laptop.bearer)).get_json())["sessions"]
    rotated = await refresh(client, laptop)
    assert rotated.status_code == 200
    token = (await rotated.get_json())["accessToken"]
    after = (
        await (await client.get(SESSIONS, headers={"Authorization": f"Bearer {token}"})).get_json()
    )["sessions"]
    assert [s["id"] for s in after] == [s["id"] for s in before]
    assert after[0]["startedAt"] == before[0]["startedAt"]
    assert after[0]["current"] is True


async def test_one_session_can_be_signed_out_from_another(client: Any, services: Any) -> None:
    laptop = await sign_up(client)
    phone = await sign_in(client)
    sessions = (await (await client.get(SESSIONS, headers=laptop.bearer)).get_json())["sessions"]
    phone_id = next(s["id"] for s in sessions if not s["current"])

    ended = await client.delete(f"{SESSIONS}/{phone_id}", headers=laptop.bearer)

    assert ended.status_code == 204
    assert await me_status(client, phone) == 401
    assert (await refresh(client, phone)).status_code == 401
    assert await me_status(client, laptop) == 200
    again = await client.delete(f"{SESSIONS}/{phone_id}", headers=laptop.bearer)
    assert (again.status_code, (await again.get_json())["code"]) == (404, "session_not_found")
    await services.audit.flush()
    revoked = await services.repositories.audit.list(event_type="auth.session_revoked")
    assert [r.metadata["session_id"] for r in revoked] == [phone_id]


async def test_someone_elses_session_cannot_be_signed_out(client: Any) -> None:
    ann = await sign_up(client)
    bob = await sign_up(client, "bob")
    bobs = (await (await client.get(SESSIONS, headers=bob.bearer)).get_json())["sessions"]
    refused = await client.delete(f"{SESSIONS}/{bobs[0]['id']}", headers=ann.bearer)
    assert refused.status_code == 404
    assert await me_status(client, bob) == 200


async def test_signing_out_every_other_session(client: Any) -> None:
    laptop = await sign_up(client)
    phones = [await sign_in(client) for _ in range(3)]

    ended = await client.delete(SESSIONS, headers=laptop.bearer)

    assert (await ended.get_json()) == {"signedOut": 3}
    assert [await me_status(client, phone) for phone in phones] == [401, 401, 401]
    assert await me_status(client, laptop) == 200
    left = (await (await client.get(SESSIONS, headers=laptop.bearer)).get_json())["sessions"]
    assert [s["current"] for s in left] == [True]


async def test_signing_out_this_session_clears_its_cookie(client: Any) -> None:
    laptop = await sign_up(client)
    sessions = (await (await client.get(SESSIONS, headers=laptop.bearer)).get_json())["sessions"]
    ended = await client.delete(f"{SESSIONS}/{sessions[0]['id']}", headers=laptop.bearer)
    assert ended.status_code == 204
    assert any(c.startswith("sw_refresh=;") for c in ended.headers.get_all("Set-Cookie"))
    assert await me_status(client, laptop) == 401


async def test_after_logout_the_access_token_is_refused_at_once(client: Any) -> None:
    laptop = await sign_up(client)
    phone = await sign_in(client)
    assert await me_status(client, laptop) == 200

    out = await client.post(
        LOGOUT, headers={"Cookie": f"sw_refresh={laptop.cookie}", **laptop.bearer}
    )

    assert out.status_code == 204
    refused = await client.get(ME, headers=laptop.bearer)
    assert (refused.status_code, (await refused.get_json())["code"]) == (401, "invalid_token")
    assert await me_status(client, phone) == 200  # another session is not touched


async def test_logout_with_only_the_cookie_still_refuses_that_sessions_access_token(
    client: Any,
) -> None:
    laptop = await sign_up(client)
    out = await client.post(LOGOUT, headers={"Cookie": f"sw_refresh={laptop.cookie}"})
    assert out.status_code == 204
    assert await me_status(client, laptop) == 401


async def test_guests_have_no_account_to_manage(client: Any) -> None:
    guest = await client.post("/api/v1/auth/guest")
    token = (await guest.get_json())["accessToken"]
    refused = await client.get(SESSIONS, headers={"Authorization": f"Bearer {token}"})
    assert (refused.status_code, (await refused.get_json())["code"]) == (403, "guest_account")
