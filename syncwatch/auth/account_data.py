"""A person's data: exported as JSON on request, erased with the account (issue 12 §4).

Deleting an account needs its password. Every session is signed out first (its
sockets closed), then the caller's `farewell` closes the rooms it owns and
removes its uploaded media, then `PersonalDataRepository.erase` removes the
rest in one transaction (it says what goes and what stays: the audit log
stays, under its retention). The export is the same rows, read, with the
account and nothing about anyone else. Audit events: `auth.account_deleted`,
`auth.data_exported`. It knows nothing of HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import trio
from pydantic.alias_generators import to_camel

from syncwatch.audit import AuditLog
from syncwatch.auth.account import AccountService
from syncwatch.auth.identity import Caller
from syncwatch.auth.revocation import Revocations
from syncwatch.clock import Clock
from syncwatch.store.repositories import Repositories

EXPORT_FORMAT = "syncwatch-export/1"
AUDIT_FLUSH_WAIT_S = 2.0

Farewell = Callable[[str, list[str]], Awaitable[None]]
"""Called with the user id and the codes of the rooms it owns, before its rows go."""


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {to_camel(key): _camel(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_camel(item) for item in value]
    return value


class AccountData:
    def __init__(
        self,
        *,
        account: AccountService,
        repositories: Repositories,
        clock: Clock,
        audit: AuditLog,
        revocations: Revocations,
    ) -> None:
        self._account = account
        self._repos = repositories
        self._clock = clock
        self._audit = audit
        self._revocations = revocations

    async def export(self, caller: Caller, ip: str) -> dict[str, Any]:
        user = await self._account.account_of(caller)
        # The audit writer stores rows in batches a moment apart: the security events of
        # the last moment (signing up, this sign-in) belong in the export too. Bounded,
        # so a database that stopped answering costs the export fresh rows, not a hang.
        with trio.move_on_after(AUDIT_FLUSH_WAIT_S):
            await self._audit.flush()
        rows = await self._repos.personal_data.export(user.id)
        for event in rows["security_events"]:
            event["metadata"] = json.loads(event["metadata"] or "{}")
            event["success"] = bool(event["success"])
        for notification in rows["notifications"]:
            notification["data"] = json.loads(notification["data"] or "{}")
        for room in rows["rooms_owned"]:
            room["guests_allowed"] = bool(room["guests_allowed"])
        await self._audit.record(
            "auth.data_exported",
            actor_id=user.id,
            actor_ip=ip,
            target_type="user",
            target_id=user.id,
        )
        exported: dict[str, Any] = _camel(
            {
                "format": EXPORT_FORMAT,
                "exported_at": self._clock.now_ms(),
                "account": {
                    "id": user.id,
                    "username": user.username,
                    "email": user.email,
                    "avatar_url": user.avatar_url,
                    "created_at": user.created_at,
                    "updated_at": user.updated_at,
                },
                **rows,
            }
        )
        return exported

    async def delete(self, caller: Caller, password: str, ip: str, farewell: Farewell) -> None:
        user = await self._account.verify_password(caller, password, ip)
        now_ms = self._clock.now_ms()
        ended = await self._repos.refresh_tokens.revoke_others(user.id, None, now_ms)
        await self._revocations.revoke_sessions(ended)
        await self._revocations.close_subject(user.id)
        await farewell(user.id, await self._repos.personal_data.owned_room_codes(user.id))
        removed = await self._repos.personal_data.erase(user.id)
        await self._audit.record(
            "auth.account_deleted",
            actor_id=user.id,
            actor_ip=ip,
            target_type="user",
            target_id=user.id,
            removed={table: count for table, count in removed.items() if count},
        )
