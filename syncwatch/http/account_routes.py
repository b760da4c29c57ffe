"""`/api/v1/auth/password`, `/api/v1/auth/sessions`: the signed-in person's own account.

The routes of `auth/account.py` (issue 12 §4). They live under `/api/v1/auth`
because the refresh cookie's path is there: signing out the current session
here clears it like a logout does.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from quart import Blueprint, Response, g

from syncwatch.http.auth_routes import clear_cookie
from syncwatch.http.bodies import read_json
from syncwatch.http.caller import current_identity
from syncwatch.http.operations import Operation, Reply
from syncwatch.http.responses import EpochMs, ResponseBody, reply
from syncwatch.services import Services


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)


class PasswordChange(_Body):
    current_password: str = Field(alias="currentPassword", min_length=1, max_length=1024)
    new_password: str = Field(alias="newPassword", min_length=8, max_length=1024)


class SignedOut(ResponseBody):
    signed_out: int = Field(ge=0, description="how many other sessions were signed out")


class AccountSession(ResponseBody):
    """One sign-in still in force."""

    id: str
    device: str = Field(description="browser and system, from the user agent")
    user_agent: str | None = None
    ip: str | None = None
    started_at: EpochMs
    last_seen_at: EpochMs = Field(description="its last sign-in or token refresh")
    current: bool = Field(description="the session of the token that asked")


class AccountSessions(ResponseBody):
    sessions: list[AccountSession]


_GUEST = {403: "`guest_account`: guests have no account"}

OPERATIONS = (
    Operation(
        "POST",
        "/api/v1/auth/password",
        "Change the password: every other session is signed out",
        {200: Reply("Changed", SignedOut)},
        {
            403: "`wrong_current_password`; `guest_account`",
            429: "`rate_limited`: password checks per account",
        },
        body=PasswordChange,
        signed_in=True,
    ),
    Operation(
        "GET",
        "/api/v1/auth/sessions",
        "The account's sessions: device, address, last seen, which is this one",
        {200: Reply("The sessions, the most recently seen first", AccountSessions)},
        _GUEST,
        signed_in=True,
    ),
    Operation(
        "DELETE",
        "/api/v1/auth/sessions",
        "Sign out every other session",
        {200: Reply("Signed out", SignedOut)},
        _GUEST,
        signed_in=True,
    ),
    Operation(
        "DELETE",
        "/api/v1/auth/sessions/{session_id}",
        "Sign out one session (this one too: then the refresh cookie is cleared)",
        {204: Reply("Signed out: its tokens are refused and its sockets closed")},
        {**_GUEST, 404: "`session_not_found`"},
        signed_in=True,
    ),
)


def account_blueprint(services: Services) -> Blueprint:
    bp = Blueprint("account", __name__, url_prefix="/api/v1/auth")
    account = services.account

    @bp.post("/password")
    async def change_password() -> Response:
        caller = current_identity(services)
        body = await read_json(PasswordChange)
        ended = await account.change_password(
            caller, current=body.current_password, new=body.new_password, ip=g.client_ip
        )
        return reply(SignedOut, {"signedOut": ended})

    @bp.get("/sessions")
    async def sessions() -> Response:
        found = await account.sessions(current_identity(services))
        response = reply(AccountSessions, {"sessions": found})
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.delete("/sessions")
    async def sign_out_others() -> Response:
        ended = await account.sign_out_others(current_identity(services), g.client_ip)
        return reply(SignedOut, {"signedOut": ended})

    @bp.delete("/sessions/<session_id>")
    async def sign_out_one(session_id: str) -> Response:
        caller = current_identity(services)
        await account.sign_out_session(caller, session_id, g.client_ip)
        response = Response("", status=204)
        if session_id == caller.session_id:
            return clear_cookie(services, response)
        return response

    return bp
