"""The shipped nginx configuration serves SyncWatch over TLS: Debian's nginx runs
deploy/nginx/ as is (only ports, certificate and cache paths moved into the
test's directory) with a self-signed certificate, in front of a real server."""

from __future__ import annotations

import socket
import ssl
import warnings
from collections.abc import Iterator

import httpx
import pytest
import trio

from tests.support.instance import check_instance, fill_instance
from tests.support.processes import free_port, syncwatch_server
from tests.support.proxy import Proxy, nginx_in_front


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    work = tmp_path_factory.mktemp("tls")
    http_port, https_port = free_port(), free_port()
    public_url = f"https://localhost:{https_port}"
    with syncwatch_server(
        work / "data", work / "syncwatch.log", public_url=public_url, trust_proxy_headers="true"
    ) as app_url:
        port = int(app_url.rsplit(":", 1)[1])
        with nginx_in_front(
            work, http_port=http_port, https_port=https_port, app_ports=(port,)
        ) as proxy:
            yield proxy


def test_plain_http_redirects_to_https_keeping_the_path(proxy: Proxy) -> None:
    response = httpx.get(
        f"{proxy.http_url}/r/ABCD2345?join=1", headers={"Host": "watch.example.org"}
    )
    assert response.status_code == 301
    assert response.headers["Location"] == "https://watch.example.org/r/ABCD2345?join=1"


def cookie_attributes(header: str) -> tuple[str, dict[str, str]]:
    """A Set-Cookie header's cookie name and its attributes, lower-cased."""
    name, *attributes = header.split(";")
    pairs = (attribute.strip().lower().partition("=") for attribute in attributes)
    return name.split("=", 1)[0], {key: value for key, _, value in pairs}


def test_https_answers_with_hsts_and_secure_cookies(proxy: Proxy) -> None:
    with httpx.Client(base_url=proxy.https_url, verify=proxy.ssl_context) as https:
        ready = https.get("/health/ready")
        assert ready.status_code == 200
        assert ready.headers["Strict-Transport-Security"] == "max-age=63072000"
        registered = https.post(
            "/api/v1/auth/register",
            json={"email": "tls@example.org", "username": "tls_user", "password": "long enough"},
        )
        assert registered.status_code == 201, registered.text
        cookies = dict(map(cookie_attributes, registered.headers.get_list("Set-Cookie")))
        assert "sw_refresh" in cookies, cookies
        for name, attributes in cookies.items():
            assert "secure" in attributes, f"{name} is sent without Secure"
        assert "httponly" in cookies["sw_refresh"]
        assert cookies["sw_refresh"]["samesite"] == "strict"


def test_only_tls_1_2_and_newer_with_forward_secret_suites(proxy: Proxy) -> None:
    port = int(proxy.https_url.rsplit(":", 1)[1])

    def handshake(context: ssl.SSLContext) -> tuple[str | None, str]:
        with (
            socket.create_connection(("localhost", port), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname="localhost") as tls,
        ):
            cipher = tls.cipher()
            assert cipher is not None
            return tls.version(), cipher[0]

    assert handshake(proxy.ssl_context)[0] == "TLSv1.3"

    tls12 = ssl.create_default_context(cafile=str(proxy.certificate))
    tls12.maximum_version = ssl.TLSVersion.TLSv1_2
    version, cipher = handshake(tls12)
    assert version == "TLSv1.2"
    assert cipher.startswith(("ECDHE-", "DHE-"))
    assert "GCM" in cipher or "CHACHA20" in cipher

    legacy = ssl.create_default_context(cafile=str(proxy.certificate))
    legacy.set_ciphers("ALL:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # that is the point
        legacy.minimum_version = ssl.TLSVersion.TLSv1
        legacy.maximum_version = ssl.TLSVersion.TLSv1_1
    with pytest.raises(ssl.SSLError):
        handshake(legacy)


async def test_rooms_over_wss_and_hls_with_cache_headers_through_the_proxy(
    proxy: Proxy, clip: bytes
) -> None:
    async with httpx.AsyncClient(
        base_url=proxy.https_url, verify=proxy.ssl_context, timeout=20
    ) as https:
        with trio.fail_after(150):
            filled = await fill_instance(https, clip, ssl_context=proxy.ssl_context)
            await check_instance(https, filled, ssl_context=proxy.ssl_context)
