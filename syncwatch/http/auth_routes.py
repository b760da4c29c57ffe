"""`/api/v1/auth/*` (CONTRACT.md §1): bodies in, sessions and cookies out."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator
from quart import Blueprint, Response, g, request

from syncwatch.auth.service import Session
from syncwatch.errors import Unauthorized
from syncwatch.http.bodies import display_name, read_json
from syncwatch.http.caller import current_identity
from syncwatch.http.operations import Operation, Reply
from syncwatch.http.problems import problem_response
from syncwatch.http.responses import Session as SessionBody
from syncwatch.http.responses import User, reply
from syncwatch.services import Services

REFRESH_COOKIE = "sw_refresh"
# Readable by the page (holds nothing secret): tells the app a refresh cookie
# exists, so a page load can skip the refresh call that would only fail for
# anonymous visitors.
SESSION_HINT_COOKIE = "sw_session"
COOKIE_PATH = "/api/v1/auth"
USERNAME = re.compile(r"^[A-Za-z0-9_]{3,32}$")


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", str_strip_whitespace=False)


class RegisterBody(_Body):
    email: EmailStr = Field(max_length=254)
    username: str
    password: str = Field(min_length=8, max_length=1024)

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        if not USERNAME.fullmatch(value):
            raise ValueError(
                "must be 3 to 32 characters: letters A-Z or a-z, digits and underscores only"
            )
        return value


class LoginBody(_Body):
    login: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class GuestBody(_Body):
    nickname: str | None = Field(default=None, min_length=1, max_length=32)

    @field_validator("nickname")
    @classmethod
    def _nickname(cls, value: str | None) -> str | None:
        name = display_name(value, what="a nickname")
        if value is not None and name is None:
            raise ValueError("must be 1 to 32 printable characters")
        return name


_COOKIE = {"Set-Cookie": "`sw_refresh` (HttpOnly, Path=/api/v1/auth), rotated on every use"}
_CLEARED = {"Set-Cookie": "`sw_refresh` cleared"}

OPERATIONS = (
    Operation(
        "POST",
        "/api/v1/auth/register",
        "Create an account and sign in",
        {201: Reply("Registered and signed in", SessionBody, headers=_COOKIE)},
        {409: "`email_taken` or `username_taken`", 429: "`rate_limited`: registrations per IP"},
        body=RegisterBody,
    ),
    Operation(
        "POST",
        "/api/v1/auth/login",
        "Sign in with an email or a username",
        {200: Reply("Signed in", SessionBody, headers=_COOKIE)},
        {401: "`invalid_credentials`", 429: "`rate_limited`: attempts per IP and per login"},
        body=LoginBody,
    ),
    Operation(
        "POST",
        "/api/v1/auth/guest",
        "A guest session with a chosen or a generated nickname",
        {200: Reply("Signed in as a guest", SessionBody, headers=_COOKIE)},
        body=GuestBody,
        body_optional=True,
    ),
    Operation(
        "POST",
        "/api/v1/auth/refresh",
        "A new access token for the refresh cookie, which rotates",
        {200: Reply("A fresh session", SessionBody, headers=_COOKIE)},
        {
            401: "`invalid_token` (no, expired or revoked cookie) or `token_reused` (a rotated "
            "token used again: the whole session is revoked); the cookie is cleared"
        },
    ),
    Operation(
        "POST",
        "/api/v1/auth/logout",
        "End the session: the refresh token is revoked; with a bearer token, that access "
        "token and every socket of the session stop working at once",
        {204: Reply("Signed out", headers=_CLEARED)},
    ),
    Operation(
        "GET",
        "/api/v1/auth/me",
        "The signed-in account",
        {200: Reply("The account, or the guest", User)},
        {401: "`invalid_token`: the account no longer exists"},
        signed_in=True,
    ),
)


def _session_response(services: Services, session: Session, status: int) -> Response:
    body: dict[str, Any] = {
        "user": session.user,
        "accessToken": session.access_token,
        "expiresIn": session.expires_in_s,
    }
    response = reply(SessionBody, body, status=status)
    response.set_cookie(
        REFRESH_COOKIE,
        session.refresh_token,
        max_age=session.refresh_max_age_s,
        path=COOKIE_PATH,
        httponly=True,
        secure=services.settings.secure_cookies,
        samesite="Strict",
    )
    response.set_cookie(
        SESSION_HINT_COOKIE,
        "1",
        max_age=session.refresh_max_age_s,
        path="/",
        secure=services.settings.secure_cookies,
        samesite="Strict",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def clear_cookie(services: Services, response: Response) -> Response:
    response.delete_cookie(
        REFRESH_COOKIE,
        path=COOKIE_PATH,
        httponly=True,
        secure=services.settings.secure_cookies,
        samesite="Strict",
    )
    response.delete_cookie(
        SESSION_HINT_COOKIE, path="/", secure=services.settings.secure_cookies, samesite="Strict"
    )
    return response


def auth_blueprint(services: Services) -> Blueprint:
    bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth")
    auth = services.auth

    @bp.post("/register")
    async def register() -> Response:
        body = await read_json(RegisterBody)
        session = await auth.register(
            email=body.email,
            username=body.username,
            password=body.password,
            ip=g.client_ip,
            user_agent=request.headers.get("User-Agent"),
        )
        return _session_response(services, session, 201)

    @bp.post("/login")
    async def login() -> Response:
        body = await read_json(LoginBody)
        session = await auth.login(
            login=body.login,
            password=body.password,
            ip=g.client_ip,
            user_agent=request.headers.get("User-Agent"),
        )
        return _session_response(services, session, 200)

    @bp.post("/guest")
    async def guest() -> Response:
        body = await read_json(GuestBody, allow_empty=True)
        session = await auth.guest(
            nickname=body.nickname, ip=g.client_ip, user_agent=request.headers.get("User-Agent")
        )
        return _session_response(services, session, 200)

    @bp.post("/refresh")
    async def refresh() -> Response:
        try:
            session = await auth.refresh(
                refresh_token=request.cookies.get(REFRESH_COOKIE),
                ip=g.client_ip,
                user_agent=request.headers.get("User-Agent"),
            )
        except Unauthorized as error:
            # The cookie is useless from now on: drop it so the client stops sending it.
            return clear_cookie(services, problem_response(error))
        return _session_response(services, session, 200)

    @bp.post("/logout")
    async def logout() -> Response:
        caller = None
        if request.headers.get("Authorization"):
            # The access token too, when sent: it stops working now, not in 15 minutes.
            with contextlib.suppress(Unauthorized):
                caller = current_identity(services)
        await auth.logout(
            refresh_token=request.cookies.get(REFRESH_COOKIE), ip=g.client_ip, caller=caller
        )
        return clear_cookie(services, Response("", status=204))

    @bp.get("/me")
    async def me() -> Response:
        identity = current_identity(services)
        return reply(User, await auth.me(identity))

    return bp
