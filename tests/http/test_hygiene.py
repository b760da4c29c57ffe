"""Request hygiene: problem+json everywhere, security headers, CORS, request ids."""

from __future__ import annotations

import json
from typing import Any

import pytest

from syncwatch.app import create_app
from syncwatch.components import Components


async def test_unknown_api_path_is_a_problem_json_404(client: Any) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = await response.get_json()
    assert problem["code"] == "not_found"
    assert problem["status"] == 404
    assert problem["type"] == "urn:syncwatch:problem:not_found"
    assert problem["title"]


async def test_wrong_method_is_a_problem_json_405_with_allow(client: Any) -> None:
    response = await client.get("/api/v1/auth/login")
    assert response.status_code == 405
    assert (await response.get_json())["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


async def test_every_response_carries_security_headers(client: Any) -> None:
    for path in ("/health/live", "/api/v1/nothing", "/"):
        response = await client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert "https://www.youtube.com" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


async def test_request_id_is_echoed_or_generated(client: Any) -> None:
    echoed = await client.get("/health/live", headers={"X-Request-Id": "trace-42"})
    assert echoed.headers["X-Request-Id"] == "trace-42"
    generated = await client.get("/health/live", headers={"X-Request-Id": "bad id <script>"})
    assert generated.headers["X-Request-Id"] not in ("", "bad id <script>")


async def test_request_id_appears_in_the_access_log(
    client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from syncwatch.observability.logs import configure_logging

    configure_logging("info", "json")
    await client.get("/health/live", headers={"X-Request-Id": "find-me-123"})
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("logger") == "syncwatch.access"]
    assert access
    assert access[-1]["request_id"] == "find-me-123"


async def test_cors_allows_configured_origins_only(client: Any) -> None:
    allowed = await client.options(
        "/api/v1/auth/login",
        headers={
            "Origin": "http://127.0.0.1:8000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8000"
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]

    denied = await client.options(
        "/api/v1/auth/login",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in denied.headers


async def test_cross_site_writes_are_refused(client: Any) -> None:
    response = await client.post("/api/v1/auth/refresh", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert (await response.get_json())["code"] == "origin_not_allowed"


async def test_api_is_limited_per_ip(settings_factory: Any) -> None:
    from syncwatch.components import open_components

    settings = settings_factory(api_limit_per_minute=3)
    async with open_components(settings) as components:
        app = create_app(components)
        async with app.test_app() as test_app:
            client = test_app.test_client()
            codes = [(await client.get("/api/v1/x")).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


async def test_unexpected_errors_are_500_without_internals(components: Components) -> None:
    app = create_app(components)

    @app.get("/api/v1/explode")
    async def explode() -> str:
        raise RuntimeError("database password is hunter22")

    async with app.test_app() as test_app:
        response = await test_app.test_client().get("/api/v1/explode")
    assert response.status_code == 500
    problem = await response.get_json()
    assert problem["code"] == "internal_error"
    text = json.dumps(problem)
    assert "hunter22" not in text
    assert "Traceback" not in text
    assert response.headers["X-Request-Id"] in problem["detail"]


async def test_spa_routes_fall_back_to_the_app_but_api_paths_do_not(client: Any) -> None:
    page = await client.get("/r/ABCD2345")
    assert page.status_code == 200
    assert "text/html" in page.headers["Content-Type"]
    assert "SyncWatch" in (await page.get_data(as_text=True))
    missing_asset = await client.get("/assets/nope.js")
    assert missing_asset.status_code == 404


async def test_a_page_served_over_http_may_play_http_media(client: Any) -> None:
    """The test deployment's public URL is http://: the room accepts http:// links
    there, so the page's CSP must let the browser load them."""
    csp = (await client.get("/r/ABCD2345")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert "http:" in directives["media-src"].split()
    assert "http:" in directives["connect-src"].split()  # hls.js fetches playlists


async def test_an_https_deployment_admits_no_http_media(settings_factory: Any) -> None:
    from syncwatch.components import open_components

    settings = settings_factory(public_url="https://watch.example.org")
    async with open_components(settings) as components:
        app = create_app(components)
        async with app.test_app() as test_app:
            response = await test_app.test_client().get("/r/ABCD2345")
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert "http:" not in directives["media-src"].split()
    assert "https:" in directives["media-src"].split()


async def test_an_https_request_through_a_trusted_proxy_gets_no_http_media(
    settings_factory: Any,
) -> None:
    from syncwatch.components import open_components

    settings = settings_factory(trust_proxy_headers=True)
    async with open_components(settings) as components:
        app = create_app(components)
        async with app.test_app() as test_app:
            response = await test_app.test_client().get(
                "/r/ABCD2345", headers={"X-Forwarded-Proto": "https"}
            )
    media = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )["media-src"]
    assert "http:" not in media.split()
