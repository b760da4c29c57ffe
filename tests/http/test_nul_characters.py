"""A NUL character in text is bad input on both engines, never a 500 (PostgreSQL
cannot store one): found by schemathesis in tests/fuzz (issue 12 §6)."""

from __future__ import annotations

from typing import Any


async def test_a_nul_character_in_a_json_body_is_a_validation_problem(client: Any) -> None:
    login = await client.post("/api/v1/auth/login", json={"login": "ann\u0000", "password": "x"})
    nested = await client.post("/api/v1/auth/guest", json={"nickname": "a", "x": ["\u0000"]})
    for response in (login, nested):
        assert response.status_code == 422
        body = await response.get_json()
        assert body["code"] == "validation_error"
        assert body["errors"][0]["type"] == "string_nul"


async def test_a_nul_character_in_a_query_never_reaches_a_server_error(client: Any) -> None:
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": "zed@example.org", "username": "zed", "password": "correct horse"},
    )
    token = (await registered.get_json())["accessToken"]
    search = await client.get(
        "/api/v1/friends/search?q=ab%00cd", headers={"Authorization": f"Bearer {token}"}
    )
    # SQLite finds nobody; PostgreSQL cannot compare such text and says so.
    assert search.status_code in (200, 422), await search.get_data(as_text=True)
