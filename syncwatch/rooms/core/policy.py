"""Who may drive playback: the room's `playbackControl` policy.

Owns one question and nothing else, so the rule is written once.
"""

from __future__ import annotations

from collections.abc import Set

from syncwatch.protocol.vocabulary import PlaybackControl


def can_control(
    mode: PlaybackControl,
    participant_id: str,
    owner_id: str | None,
    controllers: Set[str],
) -> bool:
    """`owner_only`: the owner; `all`: every member, guests included; `selected`: the owner
    and the members the owner granted control to."""
    if participant_id == owner_id:
        return True
    if mode == "all":
        return True
    return mode == "selected" and participant_id in controllers
