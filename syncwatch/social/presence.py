"""What a user's friends see of them: a status and, when the room allows, what they watch.

Pure rules, no I/O: `UserHub` feeds them the user's chosen status, whether a
`/ws/me` socket is open, how long since the person last did something, and the
room they are in. A user chooses `online`, `busy` or `invisible`; `online`
becomes `away` after `AWAY_AFTER_S` without activity; `invisible` looks exactly
like `offline` and never carries the room ("rich presence"). A private or
anonymous room is never shown either.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

ChosenStatus = Literal["online", "busy", "invisible"]
SeenStatus = Literal["online", "away", "busy", "offline"]
CHOSEN_STATUSES: tuple[str, ...] = get_args(ChosenStatus)

# Spec §15.3: a signed-in user with no activity for 5 minutes shows as away.
AWAY_AFTER_S = 5 * 60

# Rooms whose name and head count a member's friends may see (and join from the list).
SHOWN_PRIVACY = frozenset({"public", "friends_only"})


@dataclass(frozen=True, slots=True)
class RoomActivity:
    """The room a user is in, as their friends would see it."""

    code: str
    name: str
    members: int
    max_members: int
    privacy: str


def chosen_status(value: str) -> ChosenStatus:
    """A stored status, read defensively: anything unknown counts as `online`."""
    if value == "busy":
        return "busy"
    if value == "invisible":
        return "invisible"
    return "online"


def seen_status(chosen: ChosenStatus, *, connected: bool, idle_for_s: float) -> SeenStatus:
    if not connected or chosen == "invisible":
        return "offline"
    if chosen == "busy":
        return "busy"
    return "away" if idle_for_s >= AWAY_AFTER_S else "online"


def shown_activity(status: SeenStatus, activity: RoomActivity | None) -> RoomActivity | None:
    """The room friends may see: none while offline (or invisible) or for a private room."""
    if status == "offline" or activity is None or activity.privacy not in SHOWN_PRIVACY:
        return None
    return activity


def away_at(chosen: ChosenStatus, last_active: float) -> float | None:
    """When (Trio seconds) an idle user turns away; None when that cannot happen."""
    return last_active + AWAY_AFTER_S if chosen == "online" else None


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one instance knows of a user (several instances, ADR 0016): whether a
    `/ws/me` socket of theirs is open there, when they last did something there,
    the status they chose as that instance last heard it, and the room they watch
    there (their room socket may be on another instance than their `/ws/me` one)."""

    username: str
    connected: bool
    last_active_ms: int
    chosen: ChosenStatus
    chosen_at_ms: int
    activity: RoomActivity | None = None
    entered_at_ms: int = 0

    def encode(self) -> bytes:
        room = self.activity
        return json.dumps(
            {
                "n": self.username,
                "c": self.connected,
                "a": self.last_active_ms,
                "s": self.chosen,
                "sa": self.chosen_at_ms,
                "r": None
                if room is None
                else [room.code, room.name, room.members, room.max_members, room.privacy],
                "ra": self.entered_at_ms,
            },
            separators=(",", ":"),
        ).encode()

    @classmethod
    def decode(cls, raw: bytes) -> Contribution | None:
        """None for anything unreadable (a part written by a newer or broken instance)."""
        try:
            data = json.loads(raw)
            room = data["r"]
            return cls(
                username=str(data["n"]),
                connected=bool(data["c"]),
                last_active_ms=int(data["a"]),
                chosen=chosen_status(str(data["s"])),
                chosen_at_ms=int(data["sa"]),
                activity=None
                if room is None
                else RoomActivity(
                    str(room[0]), str(room[1]), int(room[2]), int(room[3]), str(room[4])
                ),
                entered_at_ms=int(data["ra"]),
            )
        except (ValueError, KeyError, TypeError, IndexError):
            return None


def combined(
    parts: Iterable[Contribution], now_ms: int
) -> tuple[SeenStatus, RoomActivity | None] | None:
    """What friends see of a user from every instance's part; None when no instance has one.

    Online while any instance holds a `/ws/me` socket (offline only when all are gone);
    away only when idle on all of them; the status chosen last; the room entered last."""
    parts = list(parts)
    if not parts:
        return None
    connected = [part for part in parts if part.connected]
    chosen = max(parts, key=lambda part: part.chosen_at_ms).chosen
    idle_ms = now_ms - max((part.last_active_ms for part in connected), default=now_ms)
    status = seen_status(chosen, connected=bool(connected), idle_for_s=idle_ms / 1000)
    rooms = [part for part in parts if part.activity is not None]
    activity = max(rooms, key=lambda part: part.entered_at_ms).activity if rooms else None
    return status, shown_activity(status, activity)
