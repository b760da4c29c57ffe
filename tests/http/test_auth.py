"""CONTRACT.md §1 "auth", on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
import trio

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/auth/me"
GUEST = "/api/v1/auth/guest"


async def register(client: Any, username: str = "ann", **extra: Any) -> Any:
    body = {"email": f"{username}@example.org", "username": username, "password": "correct horse"}
    body.update(extra)
    return await client.post(REGISTER, json=body)


def refresh_cookie(response: Any) -> str:
    header = response.headers.get("Set-Cookie", "")
    assert header.startswith("sw_refresh="), header
    return header


async def test_register_returns_user_token_and_a_strict_httponly_cookie(client: Any) -> None:
    response = await register(client)
    assert response.status_code == 201
    body = await response.get_json()
    assert body["user"]["username"] == "ann"
    assert body["user"]["email"] == "ann@example.org"
    assert body["expiresIn"] == 900
    claims = jwt.decode(body["accessToken"], options={"verify_signature": False})
    assert claims["sub"] == body["user"]["id"]
    assert claims["typ"] == "access"
    assert {"jti", "exp", "iat"} <= set(claims)
    cookie = refresh_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/api/v1/auth" in cookie
    assert "Secure" not in cookie  # served over plain http here


async def test_me_returns_the_account(client: Any) -> None:
    token = (await (await register(client)).get_json())["accessToken"]
    response = await client.get(ME, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    me = await response.get_json()
    assert me["username"] == "ann"
    assert me["email"] == "ann@example.org"
    assert isinstance(me["createdAt"], int)


async def test_duplicate_email_and_username_conflict_case_insensitively(client: Any) -> None:
    assert (await register(client)).status_code == 201
    taken_email = await register(client, "other", email="ANN@example.org")
    assert taken_email.status_code == 409
    assert (await taken_email.get_json())["code"] == "email_taken"
    taken_name = await register(client, "ANN", email="ann2@example.org")
    assert taken_name.status_code == 409
    assert (await taken_name.get_json())["code"] == "username_taken"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"password": "short"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"username": "ab"}, "username"),
        ({"username": "ann🎬"}, "username"),
        ({"username": "anné"}, "username"),
        ({"username": "a" * 33}, "username"),
        ({"username": 12345}, "username"),
        ({"password": None}, "password"),
    ],
)
async def test_invalid_registrations_name_the_field(
    client: Any, override: dict[str, Any], field: str
) -> None:
    response = await register(client, **override)
    assert response.status_code == 422
    problem = await response.get_json()
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert problem["code"] == "validation_error"
    assert field in [error["field"] for error in problem["errors"]]


async def test_missing_fields_and_wrong_shapes_are_422(client: Any) -> None:
    missing = await client.post(REGISTER, json={"email": "a@example.org"})
    assert missing.status_code == 422
    fields = {error["field"] for error in (await missing.get_json())["errors"]}
    assert fields == {"username", "password"}
    array = await client.post(REGISTER, json=["a", "b"])
    assert array.status_code == 422


async def test_malformed_json_is_a_clear_400(client: Any) -> None:
    response = await client.post(
        REGISTER, data=b'{"email": "a@example.org",', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    problem = await response.get_json()
    assert problem["code"] == "bad_request"
    assert "not valid JSON" in problem["detail"]


async def test_a_body_that_is_not_json_is_415(client: Any) -> None:
    response = await client.post(
        REGISTER, data=b"email=a", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 415


async def test_a_10_megabyte_body_is_refused_with_413(client: Any) -> None:
    huge = json.dumps({"email": "a@example.org", "username": "x" * (10 * 1024 * 1024)})
    response = await client.post(
        REGISTER, data=huge.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert (await response.get_json())["code"] == "too_large"


async def test_sql_looking_input_is_stored_verbatim(client: Any) -> None:
    password = "'); DROP TABLE users;--"
    response = await register(client, "bobby_tables", password=password)
    assert response.status_code == 201
    login = await client.post(LOGIN, json={"login": "bobby_tables", "password": password})
    assert login.status_code == 200
    sneaky = await client.post(LOGIN, json={"login": "' OR '1'='1", "password": "' OR '1'='1"})
    assert sneaky.status_code == 401


async def test_login_by_email_or_username_any_case(client: Any) -> None:
    await register(client)
    for login in ("ann", "ANN", "ann@example.org", "Ann@Example.org"):
        response = await client.post(LOGIN, json={"login": login, "password": "correct horse"})
        assert response.status_code == 200, login
        assert (await response.get_json())["user"]["username"] == "ann"


async def test_wrong_password_and_unknown_login_look_the_same(client: Any) -> None:
    await register(client)
    wrong = await client.post(LOGIN, json={"login": "ann", "password": "battery staple"})
    nobody = await client.post(LOGIN, json={"login": "zed", "password": "battery staple"})
    for response in (wrong, nobody):
        assert response.status_code == 401
        assert (await response.get_json())["code"] == "invalid_credentials"


async def test_login_is_limited_to_10_per_minute_per_login(client: Any) -> None:
    await register(client)
    statuses = []
    for _ in range(11):
        response = await client.post(LOGIN, json={"login": "ann", "password": "nope nope"})
        statuses.append(response.status_code)
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert (await response.get_json())["code"] == "rate_limited"


async def test_register_is_limited_to_5_per_hour_per_ip(client: Any) -> None:
    statuses = [(await register(client, f"user{i}")).status_code for i in range(6)]
    assert statuses == [201] * 5 + [429]


async def test_refresh_rotates_and_a_replayed_token_revokes_the_family(client: Any) -> None:
    first = refresh_cookie(await register(client)).split(";")[0].split("=", 1)[1]

    def with_cookie(value: str) -> dict[str, str]:
        return {"Cookie": f"sw_refresh={value}"}

    rotated = await client.post(REFRESH, headers=with_cookie(first))
    assert rotated.status_code == 200
    assert (await rotated.get_json())["accessToken"]
    second = refresh_cookie(rotated).split(";")[0].split("=", 1)[1]
    assert second != first

    replay = await client.post(REFRESH, headers=with_cookie(first))
    assert replay.status_code == 401
    assert (await replay.get_json())["code"] == "token_reused"
    # The whole family is revoked: even the newest token is dead now.
    after = await client.post(REFRESH, headers=with_cookie(second))
    assert after.status_code == 401


async def test_refresh_without_or_with_a_bogus_cookie_is_invalid_token(client: Any) -> None:
    bogus = await client.post(REFRESH, headers={"Cookie": "sw_refresh=forged"})
    assert bogus.status_code == 401
    assert (await bogus.get_json())["code"] == "invalid_token"


async def test_logout_revokes_and_clears_the_cookie(client: Any) -> None:
    token = refresh_cookie(await register(client)).split(";")[0].split("=", 1)[1]
    response = await client.post(LOGOUT, headers={"Cookie": f"sw_refresh={token}"})
    assert response.status_code == 204
    cleared = response.headers.get("Set-Cookie", "")
    assert cleared.startswith("sw_refresh=;") or "Max-Age=0" in cleared
    again = await client.post(REFRESH, headers={"Cookie": f"sw_refresh={token}"})
    assert again.status_code == 401


async def test_guest_gets_a_generated_nickname_and_can_refresh(client: Any) -> None:
    response = await client.post(GUEST)
    assert response.status_code == 200
    body = await response.get_json()
    assert body["user"]["guest"] is True
    assert body["user"]["username"][0].isupper()
    named = await (await client.post(GUEST, json={"nickname": "Popcorn Fan"})).get_json()
    assert named["user"]["username"] == "Popcorn Fan"
    token = refresh_cookie(response).split(";")[0].split("=", 1)[1]
    refreshed = await client.post(REFRESH, headers={"Cookie": f"sw_refresh={token}"})
    assert refreshed.status_code == 200
    assert (await refreshed.get_json())["user"]["id"] == body["user"]["id"]


async def test_guest_nickname_is_validated(client: Any) -> None:
    response = await client.post(GUEST, json={"nickname": "x" * 40})
    assert response.status_code == 422


def _forge(
    claims: dict[str, Any], key: str = "not-the-real-signing-key-of-this-server", alg: str = "HS256"
) -> str:
    if alg == "none":
        header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=")
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
        return f"{header.decode()}.{payload.decode()}."
    return jwt.encode(claims, key, algorithm=alg)


async def test_expired_forged_and_unsigned_tokens_are_401(client: Any) -> None:
    body = await (await register(client)).get_json()
    claims = jwt.decode(body["accessToken"], options={"verify_signature": False})
    expired = {**claims, "exp": int(time.time()) - 10}
    candidates = {
        "missing": None,
        "garbage": "Bearer not.a.jwt",
        "forged": "Bearer " + _forge(claims),
        "alg-none": "Bearer " + _forge(claims, alg="none"),
        "expired-forged": "Bearer " + _forge(expired),
        "wrong-scheme": "Basic " + body["accessToken"],
    }
    for name, header in candidates.items():
        headers = {"Authorization": header} if header else {}
        response = await client.get(ME, headers=headers)
        assert response.status_code == 401, name
        assert (await response.get_json())["code"] in {"unauthorized", "invalid_token"}, name


async def test_a_really_expired_token_is_refused(services: Any, client: Any) -> None:
    from syncwatch.auth.identity import Caller

    issued = services.auth.access_tokens.issue(Caller("u1", "ann", False), time.time() - 3600)
    response = await client.get(ME, headers={"Authorization": f"Bearer {issued.token}"})
    assert response.status_code == 401


async def test_two_racing_registrations_of_one_username_give_one_201_one_409(
    client: Any,
) -> None:
    statuses: list[int] = []

    async def attempt(i: int) -> None:
        response = await register(client, "racer", email=f"racer{i}@example.org")
        statuses.append(response.status_code)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(attempt, 1)
        nursery.start_soon(attempt, 2)
    assert sorted(statuses) == [201, 409]


async def test_auth_events_are_audited(services: Any, client: Any) -> None:
    await register(client)
    await client.post(LOGIN, json={"login": "ann", "password": "wrong one"})
    login = await client.post(LOGIN, json={"login": "ann", "password": "correct horse"})
    token = refresh_cookie(login).split(";")[0].split("=", 1)[1]
    await client.post(LOGOUT, headers={"Cookie": f"sw_refresh={token}"})
    await services.audit.flush()
    events = [event.event_type for event in await services.repositories.audit.list()]
    assert {"auth.login_failed", "auth.login", "auth.logout"} <= set(events)


async def test_a_readable_session_hint_accompanies_the_refresh_cookie(client: Any) -> None:
    registered = await register(client)
    cookies = registered.headers.get_all("Set-Cookie")
    hint = next(cookie for cookie in cookies if cookie.startswith("sw_session="))
    assert hint.startswith("sw_session=1;")
    assert "HttpOnly" not in hint  # the page reads it; it holds nothing secret
    assert "Path=/;" in hint or hint.endswith("Path=/")
    token = refresh_cookie(registered).split(";")[0].split("=", 1)[1]
    logout = await client.post(LOGOUT, headers={"Cookie": f"sw_refresh={token}"})
    cleared = [c for c in logout.headers.get_all("Set-Cookie") if c.startswith("sw_session=")]
    assert cleared
    assert (
        "Max-Age=0" in cleared[0]
        or "expires=Thu, 01 Jan 1970" in cleared[0].lower()
        or "01 jan 1970" in cleared[0].lower()
    )
