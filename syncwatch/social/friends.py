"""The friends service: requests, acceptance, removal and room invitations."""

from __future__ import annotations

from typing import Any

from syncwatch.auth.identity import Caller
from syncwatch.clock import Clock
from syncwatch.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from syncwatch.protocol.user_messages import (
    FriendAccepted,
    FriendRequest,
    FriendRequestData,
    FriendView,
    RoomInvitation,
    RoomInvitationData,
)
from syncwatch.social.hub import UserHub
from syncwatch.store.repositories import Repositories


def _registered(identity: Caller) -> None:
    if identity.is_guest:
        raise Unauthorized("Friends are for registered users; sign up to add friends.")


class FriendsService:
    def __init__(self, repositories: Repositories, hub: UserHub, clock: Clock) -> None:
        self._repos = repositories
        self._hub = hub
        self._clock = clock

    async def overview(self, identity: Caller) -> dict[str, list[dict[str, Any]]]:
        _registered(identity)
        view: dict[str, list[dict[str, Any]]] = {"friends": [], "incoming": [], "outgoing": []}
        for entry in await self._repos.friendships.list_for(identity.subject_id):
            item = {
                "userId": entry.user_id,
                "username": entry.username,
                "since": entry.updated_at,
                "online": self._hub.is_online(entry.user_id)
                if entry.status == "accepted"
                else None,
            }
            if entry.status == "accepted":
                view["friends"].append(item)
            else:
                view[entry.direction].append(item)
        return view

    async def request(self, identity: Caller, username: str) -> dict[str, Any]:
        _registered(identity)
        target = await self._repos.users.by_username(username)
        if target is None:
            raise NotFound(f"Nobody is called {username!r}.")
        if target.id == identity.subject_id:
            raise ValidationFailed(
                [{"field": "username", "message": "you cannot befriend yourself", "type": "self"}]
            )
        await self._repos.friendships.request(identity.subject_id, target.id, self._clock.now_ms())
        request = FriendRequestData(
            from_user_id=identity.subject_id, from_username=identity.username
        )
        self._hub.send(target.id, FriendRequest(data=request))
        return {"userId": target.id, "username": target.username, "status": "pending"}

    async def accept(self, identity: Caller, requester_id: str) -> dict[str, Any]:
        _registered(identity)
        accepted = await self._repos.friendships.accept(
            requester_id, identity.subject_id, self._clock.now_ms()
        )
        if not accepted:
            raise NotFound("There is no pending request from this user.")
        requester = await self._repos.users.by_id(requester_id)
        accepter = FriendView(
            user_id=identity.subject_id,
            username=identity.username,
            online=self._hub.is_online(identity.subject_id),
        )
        self._hub.send(requester_id, FriendAccepted(data=accepter))
        return {
            "userId": requester_id,
            "username": requester.username if requester else None,
            "status": "accepted",
            "online": self._hub.is_online(requester_id),
        }

    async def remove(self, identity: Caller, other_id: str) -> None:
        _registered(identity)
        if not await self._repos.friendships.remove(identity.subject_id, other_id):
            raise NotFound("This user is not your friend and has no pending request with you.")

    async def invite(self, identity: Caller, user_id: str, room_code: str) -> None:
        """Invite a friend to a room: delivered to each of their open /ws/me sockets."""
        friends = {
            entry.user_id
            for entry in await self._repos.friendships.list_for(identity.subject_id)
            if entry.status == "accepted"
        }
        if user_id not in friends:
            raise Forbidden("You can only invite friends.")
        room = await self._repos.rooms.by_code(room_code.upper())
        if room is None:
            raise NotFound("No such room.")
        invitation = RoomInvitationData(
            from_user_id=identity.subject_id,
            from_username=identity.username,
            room_code=room.code,
            room_name=room.name,
        )
        delivered = self._hub.send(user_id, RoomInvitation(data=invitation))
        if not delivered:
            raise Conflict("Your friend is offline; send them the invite link instead.")
