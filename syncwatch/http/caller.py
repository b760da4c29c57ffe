"""Who is calling: the authenticated identity and the client address of a request or socket.

Every endpoint asks these two questions the same way, so they are answered here
once: the identity from `Authorization: Bearer` (or `Unauthorized`), and the
client IP, taken from `X-Forwarded-For` only when the proxy is trusted.
"""

from __future__ import annotations

from quart import Quart, g, request, websocket

from syncwatch.auth.identity import Caller
from syncwatch.auth.tokens import parse_bearer
from syncwatch.errors import InvalidToken, Unauthorized
from syncwatch.services import Services


def current_identity(services: Services) -> Caller:
    """The caller's identity from `Authorization: Bearer`, or `Unauthorized` (also for a
    token whose session was signed out, as `install_sign_out_check` found)."""
    identity: Caller = services.auth.authenticate(
        parse_bearer(request.headers.get("Authorization"))
    )
    if getattr(g, "signed_out", False):
        raise InvalidToken("This session was signed out: sign in again.")
    return identity


def install_sign_out_check(app: Quart, services: Services) -> None:
    """Before each request, ask once whether its access token was signed out.

    The answer may need the shared deny-list (Redis), which `current_identity`, a
    plain function called by every route, cannot await.
    """

    @app.before_request
    async def check_signed_out() -> None:
        header = request.headers.get("Authorization")
        if not header:
            return
        try:
            caller = services.auth.authenticate(parse_bearer(header))
        except Unauthorized:
            return  # the route refuses it, if the route needs a token at all
        g.signed_out = await services.auth.revocations.is_revoked(caller)


def client_ip(services: Services, forwarded_for: str | None, remote: str | None) -> str:
    if services.settings.trust_proxy_headers and forwarded_for:
        return forwarded_for.split(",")[0].strip()
    return remote or "unknown"


def socket_client_ip(services: Services) -> str:
    """The client IP of the WebSocket being served."""
    return client_ip(services, websocket.headers.get("X-Forwarded-For"), websocket.remote_addr)
