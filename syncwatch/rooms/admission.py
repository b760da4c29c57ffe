"""Who may join a room: bans, the privacy preset and whether guests are admitted.

Asked the same way by the REST pre-flight (`POST /rooms/{code}/join`) and the
WebSocket `hello`, before any password is hashed, so that neither path admits
someone the other refuses. The decision itself is a pure function
(`refusal`); `Admission` gathers the facts it needs from the store.

- A ban holds the person, the browser (`sw_device` cookie) they were banned
  on, and, for a guest, the address they came from for `GUEST_ADDRESS_BAN_MS`:
  a guest identity is free for the asking, so a new one from the same browser
  or address stays out. An address is never held against a signed-in account
  (people share addresses).
- `friends_only`: the owner's friends, and anyone the owner invited.
- `private`: the people invited only.
- `anonymous` and `public`: anyone with the link.
- Guests are refused whenever the room does not admit them; a friends-only or
  private room never admits them (a guest has no friends and cannot be invited).

The owner is always admitted, and so is someone already seated (a second tab, a
reconnect): a preset changed live keeps the people already in the room.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncwatch.auth.identity import Caller
from syncwatch.errors import (
    Banned,
    Forbidden,
    FriendsOnly,
    GuestsNotAllowed,
    InvitationRequired,
)
from syncwatch.store.repositories import Repositories, RoomRecord

GUEST_ADDRESS_BAN_MS = 24 * 3600 * 1000
"""How long a guest's ban also holds their address (addresses change hands)."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What the store says about one person and one room."""

    banned: bool
    friend_of_owner: bool
    invited: bool


def refusal(room: RoomRecord, caller: Caller, facts: Facts) -> Forbidden | None:
    """Why `caller` may not join `room`, or None when they may (owner and seated
    members are decided before this is asked)."""
    if facts.banned:
        return Banned("You are banned from this room.")
    if caller.is_guest and not room.guests_allowed:
        return GuestsNotAllowed("This room does not admit guests: sign in to join.")
    if room.privacy == "friends_only" and not (facts.friend_of_owner or facts.invited):
        if caller.is_guest:
            return GuestsNotAllowed("Only the owner's friends may join: sign in to join.")
        return FriendsOnly("Only the owner's friends may join this room.")
    if room.privacy == "private" and not facts.invited:
        if caller.is_guest:
            return GuestsNotAllowed("This room is private: sign in and ask for an invitation.")
        return InvitationRequired("This room is private: ask its owner for an invitation.")
    return None


class Admission:
    def __init__(self, repositories: Repositories) -> None:
        self._repos = repositories

    async def check(
        self,
        room: RoomRecord,
        caller: Caller,
        *,
        now_ms: int,
        device_id: str | None,
        address: str | None,
        seated: bool,
    ) -> None:
        """Raise the refusal (`banned`, `guests_not_allowed`, `friends_only`,
        `invitation_required`) when `caller` may not join `room`."""
        if caller.subject_id == room.owner_id:
            return
        banned = await self._repos.bans.is_banned(
            room.id,
            caller.subject_id,
            device_id=device_id,
            address=address if caller.is_guest else None,
            address_banned_since_ms=now_ms - GUEST_ADDRESS_BAN_MS,
        )
        if seated and not banned:
            return
        facts = Facts(
            banned=banned,
            friend_of_owner=await self._is_friend_of_owner(room, caller),
            invited=(
                not caller.is_guest
                and room.privacy in ("friends_only", "private")
                and await self._repos.invitations.is_invited(room.id, caller.subject_id)
            ),
        )
        refused = refusal(room, caller, facts)
        if refused is not None:
            raise refused

    async def _is_friend_of_owner(self, room: RoomRecord, caller: Caller) -> bool:
        if caller.is_guest or room.privacy != "friends_only":
            return False
        friends = await self._repos.friendships.list_for(room.owner_id)
        return any(
            entry.user_id == caller.subject_id and entry.status == "accepted" for entry in friends
        )
