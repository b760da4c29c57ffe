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

With Redis configured (ADR 0016) a user's sockets and rooms may be spread over
several instances. Each instance then shares its part of what it knows of each
user (`presence.Contribution`, a fabric share that expires unless renewed every
`SHARE_REFRESH_S`), and what friends see is combined from every part: offline
only when no instance holds a `/ws/me` socket. What is sent to a user goes to
their sockets here at once and through the crossing feed to every other instance.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import trio

from syncwatch.clock import Clock
from syncwatch.fabric import Fabric
from syncwatch.fabric.crossing import Crossing
from syncwatch.observability.logs import get_logger
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
    Contribution,
    RoomActivity,
    SeenStatus,
    away_at,
    chosen_status,
    combined,
    seen_status,
    shown_activity,
)
from syncwatch.store.repositories import Repositories

log = get_logger("syncwatch.social")

# How often what friends see of a room is looked at again (its privacy may change).
ROOM_REFRESH_S = 15.0
# Several instances: each renews its part of a user's presence this often, and a part
# not renewed for `SHARE_TTL_S` (its instance died) no longer counts.
SHARE_REFRESH_S = 10.0
SHARE_TTL_S = 30.0
# The member of a presence share that holds the view friends were last told (by any instance).
_TOLD = "~told"
# Which instances renew their parts (one member each), and each one's users (its roster,
# kept longer than the parts so that it is still there once its instance is missed).
_INSTANCES = "presence-instances"
ROSTER_TTL_FACTOR = 4

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
    # When the status was chosen here (epoch ms; 0: as stored): the newest choice wins
    # over what other instances heard earlier.
    chosen_at_ms: int = 0
    # What friends were last told, to send only changes.
    told: FriendView | None = None


class UserHub:
    def __init__(
        self,
        repositories: Repositories,
        room_lookup: RoomLookup | None = None,
        watch_log: WatchLog | None = None,
        *,
        crossing: Crossing | None = None,
        fabric: Fabric | None = None,
        clock: Clock | None = None,
        share_refresh_s: float = SHARE_REFRESH_S,
        share_ttl_s: float = SHARE_TTL_S,
    ) -> None:
        self._repos = repositories
        self._room_lookup = room_lookup or (lambda code: None)
        self._clock = clock or Clock()
        self._watch_log = watch_log or WatchLog(repositories, self._clock)
        self._crossing = crossing
        self._fabric = fabric
        self._shared = crossing is not None and crossing.shared and fabric is not None
        # Several instances: the registered people in rooms here, by id, with their name
        # and when they entered their last room (their part may carry that room).
        self._in_rooms: dict[str, tuple[str, int]] = {}
        self._share_refresh_s = share_refresh_s
        self._share_ttl_s = share_ttl_s
        self._next_refresh = -math.inf
        self._instances_seen: set[str] = set()
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

    @property
    def shared(self) -> bool:
        """Whether other instances may hold sockets of the same users (Redis configured)."""
        return self._shared

    def send(self, user_id: str, message: WireModel) -> int:
        """Deliver to every open connection of `user_id` here; returns how many got it."""
        return self.deliver(user_id, message.to_json())

    def deliver(self, user_id: str, text: str) -> int:
        online = self._online.get(user_id)
        if online is None:
            return 0
        outlets = list(online.outlets.values())
        for outlet in outlets:
            outlet.deliver(text)
        return len(outlets)

    async def tell(self, user_ids: list[str], message: WireModel) -> None:
        """Deliver to every open connection of these users, here and on every other instance."""
        text = message.to_json()
        for user_id in user_ids:
            self.deliver(user_id, text)
        if self._crossing is not None:
            await self._crossing.send("user", user_ids, text)

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
        return list((await self.views(friends)).values())

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
            online.chosen_at_ms = self._clock.now_ms()
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
        if registered and self._shared:
            self._in_rooms[subject_id] = (name, self._clock.now_ms())
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
        if not rooms:
            self._in_rooms.pop(subject_id, None)

    async def _room_changed(self, code: str, also: str | None = None) -> None:
        """The head count changed: every registered member's friends see the new one."""
        subjects = set(self._rooms.get(code, {}).values())
        if also is not None:
            subjects.add(also)
        for subject in sorted(subjects):
            # Several instances: a member's `/ws/me` socket may be on another one.
            if subject in self._online or subject in self._in_rooms:
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
        """What a friend sees of `user_id` right now, from this instance alone."""
        online = self._online.get(user_id)
        if online is None:
            return FriendView(user_id=user_id, username=username, online=False, status="offline")
        idle_for = trio.current_time() - online.last_active
        status = seen_status(online.chosen, connected=True, idle_for_s=idle_for)
        activity = shown_activity(status, self.activity_of(user_id))
        return _friend_view(user_id, online.username, status, activity)

    async def views(self, users: dict[str, str]) -> dict[str, FriendView]:
        """What a friend sees of each of `users` (id -> username), from every instance."""
        if not self._shared or not users:
            return {user_id: self.view_of(user_id, name) for user_id, name in users.items()}
        ids = list(users)
        assert self._fabric is not None
        try:
            shares = await self._fabric.shares([_share_key(user_id) for user_id in ids])
        except Exception:
            log.warning("presence of other instances unreachable; this instance's shown")
            return {user_id: self.view_of(user_id, name) for user_id, name in users.items()}
        found: dict[str, FriendView] = {}
        for user_id, parts in zip(ids, shares, strict=True):
            found[user_id] = self._combined_view(user_id, users[user_id], _parts(parts))
        return found

    def _combined_view(
        self, user_id: str, username: str, parts: dict[str, Contribution]
    ) -> FriendView:
        assert self._crossing is not None
        # This instance's own part is always its latest, whatever Redis held.
        mine = self._contribution(user_id)
        parts.pop(self._crossing.instance, None)
        if mine is not None:
            parts[self._crossing.instance] = mine
        seen = combined(parts.values(), self._clock.now_ms())
        if seen is None:
            return FriendView(user_id=user_id, username=username, online=False, status="offline")
        name = next(iter(parts.values())).username or username
        return _friend_view(user_id, name, *seen)

    def _contribution(self, user_id: str) -> Contribution | None:
        """This instance's part of what friends see of `user_id`; None when it has none."""
        online = self._online.get(user_id)
        in_room = self._in_rooms.get(user_id)
        if online is None and in_room is None:
            return None
        now_ms = self._clock.now_ms()
        if online is not None:
            idle_ms = int((trio.current_time() - online.last_active) * 1000)
            return Contribution(
                username=online.username,
                connected=True,
                last_active_ms=now_ms - idle_ms,
                chosen=online.chosen,
                chosen_at_ms=online.chosen_at_ms,
                activity=self.activity_of(user_id),
                entered_at_ms=in_room[1] if in_room else 0,
            )
        assert in_room is not None
        return Contribution(
            username=in_room[0],
            connected=False,
            last_active_ms=0,
            chosen="online",
            chosen_at_ms=0,
            activity=self.activity_of(user_id),
            entered_at_ms=in_room[1],
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
        if self._shared:
            await self._announce_shared(user_id, friends, gone=gone)
            return
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

    async def _announce_shared(
        self,
        user_id: str,
        friends: dict[str, str] | None,
        *,
        gone: _Online | None,
        username: str = "",
    ) -> None:
        """Several instances: share this instance's part, combine every part, and tell the
        friends (wherever their sockets are) when the combined view differs from the one
        they were last told by any instance."""
        assert self._fabric is not None
        assert self._crossing is not None
        key = _share_key(user_id)
        mine = self._contribution(user_id)
        known = self._online.get(user_id) or gone
        in_room = self._in_rooms.get(user_id)
        username = known.username if known else (in_room[0] if in_room else username)
        me = self._crossing.instance
        try:
            if mine is None:
                await self._fabric.unshare(key, me)
            else:
                await self._fabric.share(key, me, mine.encode(), ttl_s=self._share_ttl_s)
                roster_ttl_s = self._share_ttl_s * ROSTER_TTL_FACTOR
                await self._fabric.share(
                    _roster_key(me), user_id, mine.username.encode(), ttl_s=roster_ttl_s
                )
            shares = (await self._fabric.shares([key]))[0]
        except Exception:
            log.warning("presence not shared: the fabric is unreachable", user=user_id)
            shares = {}
        told = shares.get(_TOLD)
        view = self._combined_view(user_id, username, _parts(shares))
        text = view.to_json().encode()
        if text == told or not view.username:
            return
        try:
            await self._fabric.share(key, _TOLD, text, ttl_s=self._share_ttl_s)
        except Exception:
            log.warning("presence not shared: the fabric is unreachable", user=user_id)
        if friends is None:
            friends = await self._friend_ids(user_id)
        await self.tell(list(friends), FriendPresence(data=view))

    async def forget_friend(self, user_id: str, other_id: str) -> None:
        """A friendship or request ended (or a block): each side drops the other."""
        await self.tell([user_id], FriendRemoved(data=FriendRemovedData(user_id=other_id)))
        await self.tell([other_id], FriendRemoved(data=FriendRemovedData(user_id=user_id)))

    # --- the idle timer -----------------------------------------------------------------

    def _next_away(self) -> float:
        # A room's privacy or name may change while people are in it: look again soon.
        deadline = trio.current_time() + ROOM_REFRESH_S if self._room_of else math.inf
        if self._shared:
            deadline = min(deadline, self._next_refresh)
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
            if self._shared and now >= self._next_refresh:
                self._next_refresh = now + self._share_refresh_s
                await self._refresh_shares()
                continue
            for user_id, online in list(self._online.items()):
                turns = away_at(online.chosen, online.last_active)
                if (turns is not None and turns <= now) or user_id in self._room_of:
                    await self._announce(user_id)  # sends only what changed

    async def _refresh_shares(self) -> None:
        """Renew this instance's parts before they expire (announcing what changed), say
        that this instance is alive, and withdraw the parts of any instance that no
        longer says so."""
        assert self._fabric is not None
        assert self._crossing is not None
        for user_id in {*self._online, *self._in_rooms}:
            await self._announce(user_id)
        try:
            await self._fabric.share(
                _INSTANCES, self._crossing.instance, b"", ttl_s=self._share_ttl_s
            )
            live = set((await self._fabric.shares([_INSTANCES]))[0])
        except Exception:
            log.warning("presence not renewed: the fabric is unreachable")
            return
        gone = self._instances_seen - live
        self._instances_seen = live
        for instance in sorted(gone):
            await self._forget_instance(instance)

    async def _forget_instance(self, instance: str) -> None:
        """An instance stopped renewing its parts (it died, or lost Redis for longer than
        they live): nobody else would tell its users' friends, so every instance that
        notices does (an instance that comes back shares its parts again)."""
        assert self._fabric is not None
        try:
            roster = (await self._fabric.shares([_roster_key(instance)]))[0]
            for user_id in roster:
                await self._fabric.unshare(_share_key(user_id), instance)
        except Exception:
            log.warning("a silent instance's presence not withdrawn: the fabric is unreachable")
            return
        log.warning("an instance stopped sharing presence", instance=instance, users=len(roster))
        for user_id, name in roster.items():
            await self._announce_shared(
                user_id, None, gone=None, username=name.decode(errors="replace")
            )


def _share_key(user_id: str) -> str:
    return f"presence:{user_id}"


def _roster_key(instance: str) -> str:
    return f"presence-roster:{instance}"


def _parts(shares: dict[str, bytes]) -> dict[str, Contribution]:
    parts: dict[str, Contribution] = {}
    for member, raw in shares.items():
        if member == _TOLD:
            continue
        part = Contribution.decode(raw)
        if part is not None:
            parts[member] = part
    return parts


def _friend_view(
    user_id: str, username: str, status: SeenStatus, activity: RoomActivity | None
) -> FriendView:
    return FriendView(
        user_id=user_id,
        username=username,
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
