"""`/health/ready` checks the TURN server when one is configured (spec 8.6.1):
a real coturn answers, a silent or closed port fails readiness with the target
named, and without TURN configured there is no such check."""

from __future__ import annotations

import secrets
import socket
from typing import Any

import pytest
import trio

from syncwatch.app import create_app
from syncwatch.components import open_components
from syncwatch.voice.turn_probe import (
    TurnTarget,
    TurnUnreachable,
    binding_request,
    is_response_to,
    parse_turn_url,
    probe_turn,
)
from tests.support.voice import BrowserUnavailable, coturn


@pytest.fixture(scope="module")
def turn_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    try:
        with coturn(tmp_path_factory.mktemp("coturn")) as server:
            yield server
    except BrowserUnavailable as missing:
        from tests.support.databases import service_missing

        service_missing(str(missing))


async def ready(settings: Any) -> tuple[int, dict[str, Any]]:
    prefix = f"swtest:{secrets.token_hex(4)}:"
    async with open_components(settings, fabric_prefix=prefix) as components:
        app = create_app(components)
        async with app.test_app() as test_app:
            client = test_app.test_client()
            response = await client.get("/health/ready")
            body = await response.get_json()
            metrics = await (await client.get("/metrics")).get_data(as_text=True)
    body["metrics"] = metrics
    return response.status_code, body


def silent_udp_port() -> tuple[socket.socket, int]:
    """A bound UDP socket that never answers: a TURN server that hangs."""
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    return sink, int(sink.getsockname()[1])


def closed_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("turn:turn.example.org", TurnTarget("turn.example.org", 3478, "udp")),
        ("turn:turn.example.org:3479?transport=tcp", TurnTarget("turn.example.org", 3479, "tcp")),
        ("turns:turn.example.org?transport=tcp", TurnTarget("turn.example.org", 5349, "tls")),
        ("turn:[2001:db8::1]:3478?transport=udp", TurnTarget("2001:db8::1", 3478, "udp")),
    ],
)
def test_turn_urls_name_host_port_and_transport(url: str, target: TurnTarget) -> None:
    assert parse_turn_url(url) == target


@pytest.mark.parametrize("url", ["stun:example.org", "turn:", "turn:h?transport=sctp"])
def test_a_url_that_is_not_turn_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="TURN"):
        parse_turn_url(url)


def test_only_a_response_to_our_own_transaction_counts() -> None:
    ours, other = b"a" * 12, b"b" * 12
    request = binding_request(ours)
    success = b"\x01\x01" + request[2:]  # Binding success response, same header
    error = b"\x01\x11" + request[2:]  # Binding error response
    assert is_response_to(success, ours)
    assert is_response_to(error, ours)
    assert not is_response_to(request, ours)  # a request is not an answer
    assert not is_response_to(success, other)
    assert not is_response_to(b"HTTP/1.1 400 Bad Request\r\n\r\n", ours)


async def test_coturn_answers_on_udp_and_tcp(turn_server: Any) -> None:
    with trio.fail_after(5):
        await probe_turn(turn_server.urls)


async def test_ready_includes_a_healthy_turn_check_when_turn_is_configured(
    settings_factory: Any, turn_server: Any
) -> None:
    status, body = await ready(
        settings_factory(turn_urls=turn_server.urls, turn_secret=turn_server.secret)
    )
    assert status == 200
    assert body["checks"]["turn"]["healthy"] is True
    assert 'syncwatch_readiness_check_up{check="turn"} 1.0' in body["metrics"]


async def test_a_silent_turn_server_makes_the_instance_not_ready(
    settings_factory: Any, turn_server: Any
) -> None:
    sink, port = silent_udp_port()
    closed = closed_tcp_port()
    with sink:
        urls = (
            turn_server.urls[0],
            f"turn:127.0.0.1:{port}?transport=udp",
            f"turn:127.0.0.1:{closed}?transport=tcp",
        )
        with trio.fail_after(10):
            status, body = await ready(settings_factory(turn_urls=urls, turn_secret="s" * 32))
    assert status == 503
    check = body["checks"]["turn"]
    assert check["healthy"] is False
    assert f"udp://127.0.0.1:{port}: no answer" in check["error"]
    assert f"tcp://127.0.0.1:{closed}" in check["error"]
    assert f"udp://127.0.0.1:{turn_server.port}" not in check["error"]  # that one answered
    assert "syncwatch_ready 0.0" in body["metrics"]
    assert 'syncwatch_readiness_check_up{check="turn"} 0.0' in body["metrics"]


async def test_without_turn_there_is_no_turn_check(settings_factory: Any) -> None:
    status, body = await ready(settings_factory())
    assert status == 200
    assert "turn" not in body["checks"]


async def test_probe_raises_naming_every_silent_target() -> None:
    sink, port = silent_udp_port()
    with sink, pytest.raises(TurnUnreachable, match=f"udp://127.0.0.1:{port}"):
        await probe_turn((f"turn:127.0.0.1:{port}",), timeout_s=0.6)


async def test_a_closed_udp_port_is_reported_as_refused() -> None:
    closed = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    closed.bind(("127.0.0.1", 0))
    port = int(closed.getsockname()[1])
    closed.close()  # nothing listens there now: the kernel answers "port unreachable"
    with pytest.raises(TurnUnreachable, match=f"udp://127.0.0.1:{port}: connection refused"):
        await probe_turn((f"turn:127.0.0.1:{port}?transport=udp",), timeout_s=1.2)
