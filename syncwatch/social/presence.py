"""What a user's friends see of them: a status and, when the room allows, what they watch.

Pure rules, no I/O: `UserHub` feeds them the user's chosen status, whether a
`/ws/me` socket is open, how long since the person last did something, and the
room they are in. A user chooses `online`, `busy` or `invisible`; `online`
becomes `away` after `AWAY_AFTER_S` without activity; `invisible` looks exactly
like `offline` and never carries the room ("rich presence"). A private or
anonymous room is never shown either.
"""

from __future__ import annotations

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
