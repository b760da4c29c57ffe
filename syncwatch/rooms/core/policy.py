"""The room's rules: who may drive playback, who is banned, how ownership fails over.

Owns `RoomRules`, the value the owner changes with `room:settings`, grants and
bans, and `can_control`, the one place the playback control policy is written.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, replace

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


@dataclass(frozen=True, slots=True)
class RoomRules:
    """A value: every change returns new rules. Grants are kept when the mode changes away
    from `selected` and back; a ban also takes back a grant."""

    playback_control: PlaybackControl
    auto_handover: bool
    voice_relay_only: bool = False
    guests_may_chat: bool = False
    """Guest accounts may write in the chat (the owner's choice; off by default)."""
    controllers: frozenset[str] = frozenset()
    bans: frozenset[str] = frozenset()

    def can_control(self, participant_id: str, owner_id: str | None) -> bool:
        return can_control(self.playback_control, participant_id, owner_id, self.controllers)

    def is_banned(self, participant_id: str) -> bool:
        return participant_id in self.bans

    def banning(self, participant_id: str) -> RoomRules:
        return replace(
            self,
            bans=self.bans | {participant_id},
            controllers=self.controllers - {participant_id},
        )

    def granting(self, participant_id: str) -> RoomRules:
        return replace(self, controllers=self.controllers | {participant_id})

    def revoking(self, participant_id: str) -> RoomRules:
        return replace(self, controllers=self.controllers - {participant_id})

    def changed(
        self,
        *,
        playback_control: PlaybackControl | None = None,
        auto_handover: bool | None = None,
        voice_relay_only: bool | None = None,
        guests_may_chat: bool | None = None,
    ) -> RoomRules:
        """With the settings given; None leaves one as it is."""
        return replace(
            self,
            guests_may_chat=self.guests_may_chat if guests_may_chat is None else guests_may_chat,
            playback_control=(
                self.playback_control if playback_control is None else playback_control
            ),
            auto_handover=self.auto_handover if auto_handover is None else auto_handover,
            voice_relay_only=(
                self.voice_relay_only if voice_relay_only is None else voice_relay_only
            ),
        )
