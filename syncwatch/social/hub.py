"""`UserHub`: who is online in this process, what their friends see of them, and the one
way to reach a user's sockets.

Each `/ws/me` connection registers here, and each room connection says which
room its person entered or left (`enter_room` / `leave_room`; the `WatchLog`
writes their watch history from the same calls). The hub keeps,
per online user, the status they chose, when they last did something and
their open sockets, and tells their friends whenever what those friends see
changes (`syncwatch.social.presence` decides what that is): online, away after
five idle minutes, busy, offline or invisible, and the room they watch in.
Delivery never blocks: a connection that cannot keep up closes itself, as
room members do. `run` is the timer that turns idle users away, and that
looks again every `ROOM_REFRESH_S` at the rooms people are in, so a room
turned private disappears from what friends see.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import trio

from syncwatch.clock import Clock
from syncwatch.protocol.user_messages import (
    FriendActivity,
    FriendPresence,
    FriendRemoved,
    FriendRemovedData,
    FriendView,
)
from syncwatch.protocol.wire import WireModel
from syncwatch.social.history import WatchLog
from syncwatch.social.presence import (
    ChosenStatus,
    RoomActivity,
    away_at,
    chosen_status,
    seen_status,
    shown_activity,
)
from syncwatch.store.repositories import Repositories

# How often what friends see of a room is looked at again (its privacy may change).
ROOM_REFRESH_S = 15.0

# A live room's name, size limit and privacy, by code (None when not live here).
RoomLookup = Callable[[str], "tuple[str, int, str] | None"]


class UserOutlet(Protocol):
    conn_id: str

    def deliver(self, text: str) -> None: ...


@dataclass(slots=True)
class _Online:
    """One user with at least one `/ws/me` socket open here."""

    username: str
    chosen: ChosenStatus
    last_active: float
    outlets: dict[str, UserOutlet] = field(default_factory=dict)
    # What friends were last told, to send only changes.
    told: FriendView | None = None


class UserHub:
    def __init__(
        self,
        repositories: Repositories,
        room_lookup: RoomLookup | None = None,
        watch_log: WatchLog | None = None,
    ) -> None:
        self._repos = repositories
        self._room_lookup = room_lookup or (lambda code: None)
        self._watch_log = watch_log or WatchLog(repositories, Clock())
        self._online: dict[str, _Online] = {}
        # Room connections by room code: connection id -> the subject (guests too) in it.
        self._rooms: dict[str, dict[str, str]] = {}
        # The room each registered user's room connection is in: user id -> {conn id: code}.
        self._room_of: dict[str, dict[str, str]] = {}
        self._wake = trio.Event()

    # --- sockets ------------------------------------------------------------------------

    def is_online(self, user_id: str) -> bool:
        """Whether the user has a `/ws/me` socket open here (even while invisible)."""
        return user_id in self._online

    def send(self, user_id: str, message: WireModel) -> int:
        """Deliver to every open connection of `user_id`; returns how many got it."""
        online = self._online.get(user_id)
        if online is None:
            return 0
        text = message.to_json()
        outlets = list(online.outlets.values())
        for outlet in outlets:
            outlet.deliver(text)
        return len(outlets)

    async def connect(self, user_id: str, username: str, outlet: UserOutlet) -> list[FriendView]:
        """Register a connection; returns the friends list with presence for the welcome."""
        online = self._online.get(user_id)
        if online is None:
            chosen = chosen_status(await self._repos.users.presence_status(user_id))
            online = self._online.setdefault(
                user_id, _Online(username, chosen, trio.current_time())
            )
        online.outlets[outlet.conn_id] = outlet
        online.last_active = trio.current_time()
        friends = await self._friend_ids(user_id)
        await self._announce(user_id, friends)
        self._wake.set()
        return [self.view_of(friend_id, name) for friend_id, name in friends.items()]

    async def disconnect(self, user_id: str, conn_id: str) -> None:
        online = self._online.get(user_id)
        if online is None:
            return
        online.outlets.pop(conn_id, None)
        if online.outlets:
            return
        del self._online[user_id]
        await self._announce(user_id, gone=online)

    def chosen(self, user_id: str) -> ChosenStatus:
        online = self._online.get(user_id)
        return online.chosen if online is not None else "online"

    # --- presence -----------------------------------------------------------------------

    async def choose(self, user_id: str, status: ChosenStatus) -> None:
        """The user picked a status: kept for next time, and their friends are told."""
        await self._repos.users.set_presence_status(user_id, status)
        online = self._online.get(user_id)
        if online is not None:
            online.chosen = status
            online.last_active = trio.current_time()
        await self._announce(user_id)
        self._wake.set()

    async def active(self, user_id: str) -> None:
        """The person did something: an away user is online again."""
        online = self._online.get(user_id)
        if online is None:
            return
        online.last_active = trio.current_time()
        await self._announce(user_id)
        self._wake.set()

    async def enter_room(
        self, code: str, conn_id: str, subject_id: str, name: str, *, registered: bool
    ) -> None:
        found = self._room_lookup(code)
        self._watch_log.enter(
            code, conn_id, subject_id, name, registered=registered, room=found[0] if found else code
        )
        self._rooms.setdefault(code, {})[conn_id] = subject_id
        self._room_of.setdefault(subject_id, {})[conn_id] = code
        await self._room_changed(code)

    async def leave_room(self, code: str, conn_id: str, subject_id: str) -> None:
        await self._watch_log.leave(conn_id)
        connections = self._rooms.get(code, {})
        connections.pop(conn_id, None)
        if not connections:
            self._rooms.pop(code, None)
        rooms = self._room_of.get(subject_id, {})
        rooms.pop(conn_id, None)
        if not rooms:
            self._room_of.pop(subject_id, None)
        await self._room_changed(code, also=subject_id)

    async def _room_changed(self, code: str, also: str | None = None) -> None:
        """The head count changed: every registered member's friends see the new one."""
        subjects = set(self._rooms.get(code, {}).values())
        if also is not None:
            subjects.add(also)
        for subject in sorted(subjects):
            if subject in self._online:
                await self._announce(subject)

    def activity_of(self, user_id: str) -> RoomActivity | None:
        rooms = self._room_of.get(user_id)
        if not rooms:
            return None
        code = next(reversed(rooms.values()))  # the room entered last
        found = self._room_lookup(code)
        if found is None:
            return None
        name, max_members, privacy = found
        members = len(set(self._rooms.get(code, {}).values()))
        return RoomActivity(code, name, members, max_members, privacy)

    def view_of(self, user_id: str, username: str) -> FriendView:
        """What a friend sees of `user_id` right now."""
        online = self._online.get(user_id)
        if online is None:
            return FriendView(user_id=user_id, username=username, online=False, status="offline")
        idle_for = trio.current_time() - online.last_active
        status = seen_status(online.chosen, connected=True, idle_for_s=idle_for)
        activity = shown_activity(status, self.activity_of(user_id))
        return FriendView(
            user_id=user_id,
            username=online.username,
            online=status != "offline",
            status=status,
            activity=None
            if activity is None
            else FriendActivity(
                room_code=activity.code,
                room_name=activity.name,
                members=activity.members,
                max_members=activity.max_members,
            ),
        )

    async def _friend_ids(self, user_id: str) -> dict[str, str]:
        return {
            entry.user_id: entry.username
            for entry in await self._repos.friendships.list_for(user_id)
            if entry.status == "accepted"
        }

    async def _announce(
        self,
        user_id: str,
        friends: dict[str, str] | None = None,
        *,
        gone: _Online | None = None,
    ) -> None:
        """Tell the user's friends what they now see of them, when it changed."""
        online = self._online.get(user_id) or gone
        if online is None:
            return
        view = self.view_of(user_id, online.username)
        if view == online.told:
            return
        online.told = view
        if friends is None:
            friends = await self._friend_ids(user_id)
        presence = FriendPresence(data=view)
        for friend_id in friends:
            self.send(friend_id, presence)

    def forget_friend(self, user_id: str, other_id: str) -> None:
        """A friendship or request ended (or a block): each side drops the other."""
        self.send(user_id, FriendRemoved(data=FriendRemovedData(user_id=other_id)))
        self.send(other_id, FriendRemoved(data=FriendRemovedData(user_id=user_id)))

    # --- the idle timer -----------------------------------------------------------------

    def _next_away(self) -> float:
        # A room's privacy or name may change while people are in it: look again soon.
        deadline = trio.current_time() + ROOM_REFRESH_S if self._room_of else math.inf
        for online in self._online.values():
            turns = away_at(online.chosen, online.last_active)
            if turns is not None and online.told is not None and online.told.status == "online":
                deadline = min(deadline, turns)
        return deadline

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Turn users away when they have been idle long enough; tells their friends."""
        task_status.started()
        while True:
            self._wake = trio.Event()
            deadline = self._next_away()
            with trio.move_on_at(deadline):
                await self._wake.wait()
            now = trio.current_time()
            for user_id, online in list(self._online.items()):
                turns = away_at(online.chosen, online.last_active)
                if (turns is not None and turns <= now) or user_id in self._room_of:
                    await self._announce(user_id)  # sends only what changed
