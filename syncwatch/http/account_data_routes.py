"""`/api/v1/auth/me/export`, `/api/v1/auth/me/delete`, `/api/v1/auth/password-reset`.

The routes of `auth/account_data.py` and `auth/password_reset.py`. Deleting an
account reaches beyond auth: `account_farewell` closes the live rooms it owns
(their members see 4004, as for a deleted room) and removes its uploaded media.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from quart import Blueprint, Response, g, jsonify

from syncwatch.auth.account_data import AccountData, Farewell
from syncwatch.auth.password_reset import PasswordResets
from syncwatch.http.auth_routes import clear_cookie
from syncwatch.http.bodies import read_json
from syncwatch.http.caller import current_identity
from syncwatch.http.operations import Operation, Reply
from syncwatch.media.service import MediaService
from syncwatch.rooms.registry import RoomRegistry
from syncwatch.services import Services


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)


class AccountDeletion(_Body):
    password: str = Field(min_length=1, max_length=1024)


class PasswordReset(_Body):
    token: str = Field(min_length=20, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")
    new_password: str = Field(alias="newPassword", min_length=8, max_length=1024)


OPERATIONS = (
    Operation(
        "GET",
        "/api/v1/auth/me/export",
        "Everything kept about the account, as a JSON download",
        {
            200: Reply(
                "The export (format `syncwatch-export/1`): account, sessions, rooms, chat "
                "messages, friends, invitations, bans, uploads, reports filed, security events",
                media_type="application/json",
                headers={"Content-Disposition": "attachment; filename=…json"},
            )
        },
        {403: "`guest_account`: guests have no account"},
        signed_in=True,
    ),
    Operation(
        "POST",
        "/api/v1/auth/me/delete",
        "Delete the account and the personal data kept with it (the audit log stays, "
        "under its retention)",
        {204: Reply("Deleted: every session is signed out, the refresh cookie cleared")},
        {
            403: "`wrong_current_password`; `guest_account`",
            429: "`rate_limited`: password checks per account",
        },
        body=AccountDeletion,
        signed_in=True,
    ),
    Operation(
        "POST",
        "/api/v1/auth/password-reset",
        "Set a new password with the token of a one-time link (`syncwatch admin "
        "reset-password`); every session of the account is signed out",
        {204: Reply("The new password is set")},
        {400: "`invalid_reset_link`: used, expired or unknown"},
        body=PasswordReset,
    ),
)


def account_farewell(rooms: RoomRegistry, media: MediaService) -> Farewell:
    async def farewell(user_id: str, owned_room_codes: list[str]) -> None:
        for code in owned_room_codes:
            await rooms.close_room(code)
        await media.forget_uploads(user_id)

    return farewell


def account_data_blueprint(services: Services, farewell: Farewell) -> Blueprint:
    bp = Blueprint("account_data", __name__, url_prefix="/api/v1/auth")
    revocations = services.auth.revocations
    data = AccountData(
        account=services.account,
        repositories=services.repositories,
        clock=services.clock,
        audit=services.audit,
        revocations=revocations,
    )
    resets = PasswordResets(
        settings=services.settings,
        repositories=services.repositories,
        hasher=services.hasher,
        clock=services.clock,
        audit=services.audit,
        revocations=revocations,
    )

    @bp.get("/me/export")
    async def export() -> Response:
        caller = current_identity(services)
        exported = await data.export(caller, g.client_ip)
        response = jsonify(exported)
        name = f"syncwatch-{exported['account']['username']}.json"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.post("/me/delete")
    async def delete() -> Response:
        caller = current_identity(services)
        body = await read_json(AccountDeletion)
        await data.delete(caller, body.password, g.client_ip, farewell)
        return clear_cookie(services, Response("", status=204))

    @bp.post("/password-reset")
    async def reset() -> Response:
        body = await read_json(PasswordReset)
        await resets.redeem(body.token, body.new_password, g.client_ip)
        return Response("", status=204)

    return bp
