"""Who is calling: the authenticated identity and the client address of a request or socket.

Every endpoint asks these two questions the same way, so they are answered here
once: the identity from `Authorization: Bearer` (or `Unauthorized`), and the
client IP, taken from `X-Forwarded-For` only when the proxy is trusted.
"""

from __future__ import annotations

from quart import request, websocket

from syncwatch.auth.identity import Caller
from syncwatch.auth.tokens import parse_bearer
from syncwatch.services import Services


def current_identity(services: Services) -> Caller:
    """The caller's identity from `Authorization: Bearer`, or `Unauthorized`."""
    identity: Caller = services.auth.authenticate(
        parse_bearer(request.headers.get("Authorization"))
    )
    return identity


def client_ip(services: Services, forwarded_for: str | None, remote: str | None) -> str:
    if services.settings.trust_proxy_headers and forwarded_for:
        return forwarded_for.split(",")[0].strip()
    return remote or "unknown"


def socket_client_ip(services: Services) -> str:
    """The client IP of the WebSocket being served."""
    return client_ip(services, websocket.headers.get("X-Forwarded-For"), websocket.remote_addr)
