"""The browser's device cookie (`sw_device`): what a room ban holds besides the person.

A guest identity is free for the asking, so a ban on a guest alone is a ban on
nothing. Every API response to a browser without the cookie sets one: a random
id, HttpOnly (no script reads it), SameSite=Lax so that the room WebSocket's
handshake carries it, kept for a year. It proves nothing about who someone is;
it only lets a ban follow a browser that clears its token but not its cookies.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

from quart import Quart, Response, request

from syncwatch.services import Services

DEVICE_COOKIE = "sw_device"
_DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_MAX_AGE_S = 365 * 24 * 3600


def device_id(cookies: Mapping[str, str]) -> str | None:
    """The device id a request or WebSocket handshake carries, if it is well-formed."""
    value = cookies.get(DEVICE_COOKIE, "")
    return value if _DEVICE_ID.fullmatch(value) else None


def install_device_cookie(app: Quart, services: Services) -> None:
    secure = services.settings.secure_cookies

    @app.after_request
    async def remember_device(response: Response) -> Response:
        if request.path.startswith("/api/") and device_id(request.cookies) is None:
            response.set_cookie(
                DEVICE_COOKIE,
                secrets.token_urlsafe(16),
                max_age=_MAX_AGE_S,
                path="/",
                httponly=True,
                secure=secure,
                samesite="Lax",
            )
        return response
