"""`Notifier`: the notification centre. Stores each entry, pushes it to the user's open
`/ws/me` sockets with the new unread count, and lists and marks them read.

The unread count lives in the database, so it is the same after a reload, in
another tab, or on another device.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic.alias_generators import to_camel

from syncwatch.auth.identity import Caller
from syncwatch.clock import Clock
from syncwatch.errors import Unauthorized
from syncwatch.protocol.user_messages import (
    NotificationKind,
    NotificationPush,
    NotificationPushData,
    NotificationView,
    UnreadCount,
    UnreadCountData,
)
from syncwatch.social.hub import UserHub
from syncwatch.store import Connection
from syncwatch.store.repositories import NotificationRecord, Repositories
from syncwatch.store.repositories.notifications import NotificationRepository, new_notification


def notification_view(record: NotificationRecord) -> NotificationView:
    return NotificationView.model_validate(
        {
            **record.data,
            "id": record.id,
            "kind": record.kind,
            "createdAt": record.created_at,
            "read": record.read_at is not None,
        }
    )


class Notifier:
    def __init__(self, repositories: Repositories, hub: UserHub, clock: Clock) -> None:
        self._repos = repositories
        self._hub = hub
        self._clock = clock

    async def notify(self, user_id: str, kind: NotificationKind, **details: Any) -> None:
        record = await self._repos.notifications.add(
            user_id, kind, _details(details), self._clock.now_ms()
        )
        await self.push(record)

    def staged(
        self, user_ids: list[str], kind: NotificationKind, **details: Any
    ) -> tuple[list[NotificationRecord], Callable[[Connection], None]]:
        """Entries for these users, and the write that stores them inside a caller's
        transaction; `push` each once it has committed."""
        data, now_ms = _details(details), self._clock.now_ms()
        records = [new_notification(user_id, kind, data, now_ms) for user_id in user_ids]

        def write(conn: Connection) -> None:
            for record in records:
                NotificationRepository.insert(conn, record)

        return records, write

    async def push(self, record: NotificationRecord) -> None:
        """Tell the user's open sockets of a stored entry, with the new unread count."""
        user_id = record.user_id
        # Several instances: the user's sockets may be on another one (`UserHub.tell`).
        if self._hub.is_online(user_id) or self._hub.shared:
            unread = await self._repos.notifications.unread_count(user_id)
            push = NotificationPushData(notification=notification_view(record), unread=unread)
            await self._hub.tell([user_id], NotificationPush(data=push))

    async def unread(self, user_id: str) -> int:
        return await self._repos.notifications.unread_count(user_id)

    async def listing(self, identity: Caller) -> dict[str, Any]:
        _registered(identity)
        records = await self._repos.notifications.recent(identity.subject_id)
        return {
            "notifications": [notification_view(r).to_wire() for r in records],
            "unread": await self.unread(identity.subject_id),
        }

    async def mark_read(self, identity: Caller, ids: list[str] | None) -> dict[str, int]:
        _registered(identity)
        await self._repos.notifications.mark_read(identity.subject_id, ids, self._clock.now_ms())
        unread = await self.unread(identity.subject_id)
        await self._hub.tell(
            [identity.subject_id], UnreadCount(data=UnreadCountData(unread=unread))
        )
        return {"unread": unread}

    async def clear(self, identity: Caller) -> None:
        _registered(identity)
        await self._repos.notifications.clear(identity.subject_id)
        await self._hub.tell([identity.subject_id], UnreadCount(data=UnreadCountData(unread=0)))


_DETAILS = frozenset({"fromUserId", "fromUsername", "roomCode", "roomName", "startsAt"})


def _details(details: dict[str, Any]) -> dict[str, Any]:
    data = {to_camel(key): value for key, value in details.items() if value is not None}
    assert set(data) <= _DETAILS, data
    return data


def _registered(identity: Caller) -> None:
    if identity.is_guest:
        raise Unauthorized("Notifications are for registered users.")
