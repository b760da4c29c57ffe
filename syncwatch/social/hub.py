"""`UserHub`: who is online in this process, and the one way to reach a user's sockets.

Each `/ws/me` connection registers here. The hub tells a user's friends when
they come online or go offline and delivers friend requests and room
invitations to every open connection of their addressee. Delivery never
blocks: a connection that cannot keep up closes itself, as room members do.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from syncwatch.protocol.user_messages import FriendPresence, FriendView
from syncwatch.protocol.wire import WireModel
from syncwatch.store.repositories import FriendEntry, Repositories


class UserOutlet(Protocol):
    conn_id: str

    def deliver(self, text: str) -> None: ...


class UserHub:
    def __init__(self, repositories: Repositories) -> None:
        self._repos = repositories
        self._outlets: dict[str, dict[str, UserOutlet]] = defaultdict(dict)

    def is_online(self, user_id: str) -> bool:
        return bool(self._outlets.get(user_id))

    def send(self, user_id: str, message: WireModel) -> int:
        """Deliver to every open connection of `user_id`; returns how many got it."""
        text = message.to_json()
        outlets = list(self._outlets.get(user_id, {}).values())
        for outlet in outlets:
            outlet.deliver(text)
        return len(outlets)

    async def _accepted_friends(self, user_id: str) -> list[FriendEntry]:
        return [
            entry
            for entry in await self._repos.friendships.list_for(user_id)
            if entry.status == "accepted"
        ]

    async def connect(self, user_id: str, username: str, outlet: UserOutlet) -> list[FriendView]:
        """Register a connection; returns the friends list with presence for the welcome."""
        first = not self.is_online(user_id)
        self._outlets[user_id][outlet.conn_id] = outlet
        friends = await self._accepted_friends(user_id)
        if first:
            self._tell_friends(friends, user_id, username, online=True)
        return [
            FriendView(user_id=f.user_id, username=f.username, online=self.is_online(f.user_id))
            for f in friends
        ]

    async def disconnect(self, user_id: str, username: str, conn_id: str) -> None:
        connections = self._outlets.get(user_id)
        if connections is None:
            return
        connections.pop(conn_id, None)
        if connections:
            return
        del self._outlets[user_id]
        self._tell_friends(await self._accepted_friends(user_id), user_id, username, online=False)

    def _tell_friends(
        self, friends: list[FriendEntry], user_id: str, username: str, *, online: bool
    ) -> None:
        presence = FriendPresence(
            data=FriendView(user_id=user_id, username=username, online=online)
        )
        for friend in friends:
            self.send(friend.user_id, presence)
