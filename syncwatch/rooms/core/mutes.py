"""`Mutes`: who may not write or speak in a room, and for how long, as a value.

Owns the owner's (and the automatic moderator's) mutes of a member's chat,
voice or both, for a time or for the rest of the room's life; shadow mutes
(a member whose chat reaches only themselves, and who is not told); the
room-wide voice mute, with the members the owner let speak and the hands
raised to ask. Every change returns a new `Mutes`; time is passed in. The
handlers that change it are in `moderation_mutes`; what a member's chat
turns into is in `chat`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

MuteScope = Literal["chat", "voice", "both"]
MutedBy = Literal["owner", "automod"]


@dataclass(frozen=True, slots=True)
class Mute:
    """One mute of one channel: until `until_ms`, or for the rest of the room's life (None)."""

    until_ms: int | None
    by: MutedBy = "owner"

    def active(self, now_ms: int | None) -> bool:
        """In force at `now_ms` (None: as long as it is kept; the watchdog lifts a mute the
        moment it ends, so a kept mute is one in force)."""
        return self.until_ms is None or now_ms is None or now_ms < self.until_ms


def _none() -> Mapping[str, Mute]:
    return {}


def _no_hands() -> Mapping[str, int]:
    return {}


def _channels(scope: MuteScope) -> tuple[Literal["chat", "voice"], ...]:
    return ("chat", "voice") if scope == "both" else (scope,)


@dataclass(frozen=True, slots=True)
class Mutes:
    """A value (its mappings are never changed in place: every change builds new ones)."""

    chat: Mapping[str, Mute] = field(default_factory=_none)
    voice: Mapping[str, Mute] = field(default_factory=_none)
    shadowed: frozenset[str] = frozenset()
    voice_muted_for_all: bool = False
    """The room-wide voice mute: only the owner and `speakers` may talk."""
    speakers: frozenset[str] = frozenset()
    hands: Mapping[str, int] = field(default_factory=_no_hands)
    """Raised hands (participant id -> when), asking to speak under the room-wide mute."""

    # --- questions -----------------------------------------------------------------

    def chat_mute(self, participant_id: str, now_ms: int | None = None) -> Mute | None:
        found = self.chat.get(participant_id)
        return found if found is not None and found.active(now_ms) else None

    def voice_mute(self, participant_id: str, now_ms: int | None = None) -> Mute | None:
        found = self.voice.get(participant_id)
        return found if found is not None and found.active(now_ms) else None

    def is_shadowed(self, participant_id: str) -> bool:
        return participant_id in self.shadowed

    def may_speak(
        self, participant_id: str, owner_id: str | None, now_ms: int | None = None
    ) -> bool:
        """Not voice-muted, and let speak when the whole room is muted (the owner always is)."""
        if self.voice_mute(participant_id, now_ms) is not None:
            return False
        if not self.voice_muted_for_all or participant_id == owner_id:
            return True
        return participant_id in self.speakers

    def hand_raised(self, participant_id: str) -> bool:
        return participant_id in self.hands

    def next_expiry_ms(self) -> int | None:
        """When the earliest temporary mute ends (the watchdog lifts it then)."""
        ends = [
            mute.until_ms
            for mutes in (self.chat, self.voice)
            for mute in mutes.values()
            if mute.until_ms is not None
        ]
        return min(ends, default=None)

    def ended(self, now_ms: int) -> list[tuple[str, MuteScope]]:
        """The mutes over by `now_ms`: (participant, the channel it freed), chat before voice."""
        over = {
            channel: {pid for pid, mute in mutes.items() if not mute.active(now_ms)}
            for channel, mutes in (("chat", self.chat), ("voice", self.voice))
        }
        freed: list[tuple[str, MuteScope]] = []
        for pid in sorted(over["chat"] | over["voice"]):
            both = pid in over["chat"] and pid in over["voice"]
            freed.append((pid, "both" if both else ("chat" if pid in over["chat"] else "voice")))
        return freed

    # --- changes -------------------------------------------------------------------

    def muting(self, participant_id: str, scope: MuteScope, mute: Mute) -> Mutes:
        changes: dict[str, Any] = {}
        for channel in _channels(scope):
            current = dict(getattr(self, channel))
            current[participant_id] = mute
            changes[channel] = current
        return replace(self, **changes)

    def unmuting(self, participant_id: str, scope: MuteScope) -> Mutes:
        changes: dict[str, Any] = {}
        for channel in _channels(scope):
            current = dict(getattr(self, channel))
            current.pop(participant_id, None)
            changes[channel] = current
        return replace(self, **changes)

    def without_ended(self, now_ms: int) -> Mutes:
        def live(mutes: Mapping[str, Mute]) -> Mapping[str, Mute]:
            return {p: m for p, m in mutes.items() if m.active(now_ms)}

        return replace(self, chat=live(self.chat), voice=live(self.voice))

    def shadowing(self, participant_id: str, on: bool) -> Mutes:
        shadowed = self.shadowed | {participant_id} if on else self.shadowed - {participant_id}
        return replace(self, shadowed=shadowed)

    def voice_muting_all(self, on: bool) -> Mutes:
        """Turning it off lets everyone speak again and forgets hands and speakers."""
        if on:
            return replace(self, voice_muted_for_all=True)
        return replace(self, voice_muted_for_all=False, speakers=frozenset(), hands=_no_hands())

    def raising_hand(self, participant_id: str, raised: bool, now_ms: int) -> Mutes:
        hands = dict(self.hands)
        if raised:
            hands.setdefault(participant_id, now_ms)
        else:
            hands.pop(participant_id, None)
        return replace(self, hands=hands)

    def letting_speak(self, participant_id: str, allowed: bool) -> Mutes:
        """A member allowed to speak lowers their hand; one sent back to listening too."""
        speakers = self.speakers | {participant_id} if allowed else self.speakers - {participant_id}
        lowered = self.raising_hand(participant_id, False, 0)
        return replace(lowered, speakers=speakers)

    # --- snapshot form ---------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        def mutes(found: Mapping[str, Mute]) -> dict[str, Any]:
            return {pid: {"until_ms": m.until_ms, "by": m.by} for pid, m in sorted(found.items())}

        return {
            "chat": mutes(self.chat),
            "voice": mutes(self.voice),
            "shadowed": sorted(self.shadowed),
            "voice_muted_for_all": self.voice_muted_for_all,
            "speakers": sorted(self.speakers),
            "hands": dict(sorted(self.hands.items())),
        }

    @classmethod
    def from_json(cls, body: Mapping[str, Any] | None) -> Mutes:
        if not body:
            return cls()

        def mutes(found: Mapping[str, Any]) -> Mapping[str, Mute]:
            return {pid: Mute(**entry) for pid, entry in found.items()}

        return cls(
            chat=mutes(body.get("chat", {})),
            voice=mutes(body.get("voice", {})),
            shadowed=frozenset(body.get("shadowed", ())),
            voice_muted_for_all=bool(body.get("voice_muted_for_all", False)),
            speakers=frozenset(body.get("speakers", ())),
            hands={pid: int(at) for pid, at in body.get("hands", {}).items()},
        )
