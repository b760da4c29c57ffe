"""The friends service: search, requests, acceptance, removal, blocks and room invitations.

Each request, acceptance and invitation is also written to the notification
centre (`syncwatch.social.notifications`) so someone offline finds it later.
A block ends any friendship or request between the two, and while it stands
neither can ask the other to be friends or invite them; presence only ever
goes to friends, so the blocked person sees nothing either.
"""

from __future__ import annotations

from typing import Any

from syncwatch.auth.identity import Caller
from syncwatch.clock import Clock
from syncwatch.errors import Forbidden, NotFound, NotOwner, Unauthorized, ValidationFailed
from syncwatch.protocol.user_messages import (
    FriendAccepted,
    FriendRequest,
    FriendRequestData,
    RoomInvitation,
    RoomInvitationData,
)
from syncwatch.social.hub import UserHub
from syncwatch.social.notifications import Notifier
from syncwatch.store.repositories import Repositories

SEARCH_LIMIT = 20


def _registered(identity: Caller) -> None:
    if identity.is_guest:
        raise Unauthorized("Friends are for registered users; sign up to add friends.")


class FriendsService:
    def __init__(
        self, repositories: Repositories, hub: UserHub, clock: Clock, notifier: Notifier
    ) -> None:
        self._repos = repositories
        self._hub = hub
        self._clock = clock
        self._notifier = notifier

    async def overview(self, identity: Caller) -> dict[str, list[dict[str, Any]]]:
        _registered(identity)
        view: dict[str, list[dict[str, Any]]] = {
            "friends": [],
            "incoming": [],
            "outgoing": [],
            "blocked": [],
        }
        for entry in await self._repos.friendships.list_for(identity.subject_id):
            item: dict[str, Any] = {
                "userId": entry.user_id,
                "username": entry.username,
                "since": entry.updated_at,
                "online": None,
            }
            if entry.status == "accepted":
                seen = (await self._hub.views({entry.user_id: entry.username}))[entry.user_id]
                item["online"] = seen.online
                item["status"] = seen.status
                if seen.activity is not None:
                    item["activity"] = seen.activity.to_wire()
                view["friends"].append(item)
            else:
                view[entry.direction].append(item)
        for blocked in await self._repos.blocks.blocked_by(identity.subject_id):
            view["blocked"].append(
                {
                    "userId": blocked.user_id,
                    "username": blocked.username,
                    "since": blocked.created_at,
                    "online": None,
                }
            )
        return view

    async def search(self, identity: Caller, query: str) -> list[dict[str, Any]]:
        """People whose username starts with `query`, with how they relate to the caller."""
        _registered(identity)
        relations = {
            entry.user_id: "friend" if entry.status == "accepted" else entry.direction
            for entry in await self._repos.friendships.list_for(identity.subject_id)
        }
        blocked = {b.user_id for b in await self._repos.blocks.blocked_by(identity.subject_id)}
        found = []
        for user in await self._repos.users.search(query, SEARCH_LIMIT + 1):
            if user.id == identity.subject_id:
                continue
            if user.id not in blocked and await self._repos.blocks.between(
                user.id, identity.subject_id
            ):
                continue  # someone who blocked you cannot be found by you
            relation = "blocked" if user.id in blocked else relations.get(user.id, "none")
            found.append({"userId": user.id, "username": user.username, "relation": relation})
        return found[:SEARCH_LIMIT]

    async def request(self, identity: Caller, username: str) -> dict[str, Any]:
        _registered(identity)
        target = await self._repos.users.by_username(username)
        if target is None:
            raise NotFound(f"Nobody is called {username!r}.")
        if target.id == identity.subject_id:
            raise ValidationFailed(
                [{"field": "username", "message": "you cannot befriend yourself", "type": "self"}]
            )
        if await self._repos.blocks.between(identity.subject_id, target.id):
            raise Forbidden("You can't send this person a friend request.")
        await self._repos.friendships.request(identity.subject_id, target.id, self._clock.now_ms())
        request = FriendRequestData(
            from_user_id=identity.subject_id, from_username=identity.username
        )
        await self._hub.tell([target.id], FriendRequest(data=request))
        await self._notifier.notify(
            target.id,
            "friend_request",
            from_user_id=identity.subject_id,
            from_username=identity.username,
        )
        return {"userId": target.id, "username": target.username, "status": "pending"}

    async def accept(self, identity: Caller, requester_id: str) -> dict[str, Any]:
        _registered(identity)
        accepted = await self._repos.friendships.accept(
            requester_id, identity.subject_id, self._clock.now_ms()
        )
        if not accepted:
            raise NotFound("There is no pending request from this user.")
        requester = await self._repos.users.by_id(requester_id)
        requester_name = requester.username if requester else ""
        me = await self._hub.views({identity.subject_id: identity.username})
        await self._hub.tell([requester_id], FriendAccepted(data=me[identity.subject_id]))
        await self._notifier.notify(
            requester_id,
            "friend_accepted",
            from_user_id=identity.subject_id,
            from_username=identity.username,
        )
        seen = (await self._hub.views({requester_id: requester_name}))[requester_id]
        return {
            "userId": requester_id,
            "username": requester.username if requester else None,
            "status": "accepted",
            "online": seen.online,
        }

    async def remove(self, identity: Caller, other_id: str) -> None:
        _registered(identity)
        if not await self._repos.friendships.remove(identity.subject_id, other_id):
            raise NotFound("This user is not your friend and has no pending request with you.")
        await self._hub.forget_friend(identity.subject_id, other_id)

    async def block(self, identity: Caller, other_id: str) -> None:
        """Block someone: any friendship or request between you ends."""
        _registered(identity)
        if other_id == identity.subject_id:
            raise ValidationFailed(
                [{"field": "userId", "message": "you cannot block yourself", "type": "self"}]
            )
        if await self._repos.users.by_id(other_id) is None:
            raise NotFound("No such user.")
        await self._repos.blocks.block(identity.subject_id, other_id, self._clock.now_ms())
        if await self._repos.friendships.remove(identity.subject_id, other_id):
            await self._hub.forget_friend(identity.subject_id, other_id)

    async def unblock(self, identity: Caller, other_id: str) -> None:
        _registered(identity)
        if not await self._repos.blocks.unblock(identity.subject_id, other_id):
            raise NotFound("You have not blocked this user.")

    async def friend_ids(self, identity: Caller) -> set[str]:
        return {
            entry.user_id
            for entry in await self._repos.friendships.list_for(identity.subject_id)
            if entry.status == "accepted"
        }

    async def invite(
        self, identity: Caller, user_id: str, room_code: str, *, starts_at: int | None = None
    ) -> None:
        """Invite a friend to a room: admitted to it even when private, told on each open
        /ws/me socket, and kept in their notification centre for when they come back."""
        if user_id not in await self.friend_ids(identity):
            raise Forbidden("You can only invite friends.")
        room = await self._repos.rooms.by_code(room_code.upper())
        if room is None:
            raise NotFound("No such room.")
        if room.privacy in ("friends_only", "private") and room.owner_id != identity.subject_id:
            # An invitation admits (`rooms.admission`): only the owner opens a closed room.
            raise NotOwner("Only the room's owner invites people to this room.")
        await self._repos.invitations.invite(
            room.id, user_id, identity.subject_id, self._clock.now_ms()
        )
        invitation = RoomInvitationData(
            from_user_id=identity.subject_id,
            from_username=identity.username,
            room_code=room.code,
            room_name=room.name,
            starts_at=starts_at,
        )
        await self._hub.tell([user_id], RoomInvitation(data=invitation))
        await self._notifier.notify(
            user_id,
            "room_invitation",
            from_user_id=identity.subject_id,
            from_username=identity.username,
            room_code=room.code,
            room_name=room.name,
            starts_at=starts_at,
        )
