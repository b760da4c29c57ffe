"""The durable part of a room: what a restarted or failed-over instance needs to continue.

Owns the `Snapshot` value and its JSON form. Restoring one continues the
sequence with the next number, keeps roles, grants, bans and the idempotency
keys still alive. Connections, presence and the command replay buffer are not
in it: every client reconnects after a failover anyway.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from syncwatch.protocol.vocabulary import PlaybackControl
from syncwatch.rooms.core.admissions import Admissions
from syncwatch.rooms.core.automod import AutomodSettings
from syncwatch.rooms.core.idempotency import RememberedResult
from syncwatch.rooms.core.mutes import Mutes
from syncwatch.rooms.core.subtitle_track import SubtitleTrack
from syncwatch.rooms.core.sync_math import PlaybackState
from syncwatch.rooms.core.temporary_hosts import TemporaryHosts

Phase = Literal["CREATED", "WAITING", "PLAYING", "PAUSED", "ENDED"]
SNAPSHOT_FORMAT = 1


@dataclass(frozen=True, slots=True)
class FormerOwner:
    """An owner who lost ownership by being away: may reclaim it until `since_ms + 60 s`."""

    participant_id: str
    since_ms: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    room_id: str
    phase: Phase
    playback: PlaybackState
    owner_id: str | None
    former_owner: FormerOwner | None
    controllers: frozenset[str]
    bans: frozenset[str]
    playback_control: PlaybackControl
    auto_handover: bool
    remembered: tuple[RememberedResult, ...]
    voice_relay_only: bool = False
    # The tracks of the current source (older snapshots have none).
    subtitles: tuple[SubtitleTrack, ...] = ()
    # Mutes, shadow mutes, the room-wide voice mute and raised hands; the automod rules.
    mutes: Mutes = field(default_factory=Mutes)
    automod: AutomodSettings = field(default_factory=AutomodSettings)
    # Members lent playback control, and until when.
    temporary_hosts: TemporaryHosts = field(default_factory=TemporaryHosts)
    # How long a member's stall must last before the room waits for them (0: never).
    buffer_wait_ms: int = 1000
    # Close after this many minutes with nothing played and nobody speaking (0: never).
    idle_close_minutes: int = 30
    # Who passed the room's password (and for which password): they come back without it.
    admissions: Admissions = field(default_factory=Admissions)
    # When each person first joined (epoch ms): the people list keeps its order across
    # reloads and reconnects.
    arrivals: tuple[tuple[str, int], ...] = ()
    guests_may_chat: bool = False

    @property
    def sequence_number(self) -> int:
        return self.playback.sequence_number

    def to_json(self) -> str:
        # Field by field, not `asdict(self)`: that deep-copies every nested value, the
        # four below only to throw them away; a room writes its snapshot with every
        # command (the profile at 200 rooms: a fifth of the room actors' time).
        body: dict[str, Any] = {name: getattr(self, name) for name in _FIELDS}
        body["playback"] = asdict(self.playback)
        body["former_owner"] = asdict(self.former_owner) if self.former_owner else None
        body["remembered"] = [asdict(entry) for entry in self.remembered]
        body["subtitles"] = [asdict(track) for track in self.subtitles]
        body["controllers"] = sorted(self.controllers)
        body["bans"] = sorted(self.bans)
        body["mutes"] = self.mutes.to_json()
        body["automod"] = self.automod.to_json()
        body["temporary_hosts"] = self.temporary_hosts.to_json()
        body["admissions"] = self.admissions.to_json()
        body["format"] = SNAPSHOT_FORMAT
        return json.dumps(body, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> Snapshot:
        body: dict[str, Any] = json.loads(text)
        if body.pop("format", None) != SNAPSHOT_FORMAT:
            raise ValueError("unknown room snapshot format")
        former = body["former_owner"]
        return cls(
            room_id=body["room_id"],
            phase=body["phase"],
            playback=PlaybackState(**body["playback"]),
            owner_id=body["owner_id"],
            former_owner=FormerOwner(**former) if former else None,
            controllers=frozenset(body["controllers"]),
            bans=frozenset(body["bans"]),
            playback_control=body["playback_control"],
            auto_handover=body["auto_handover"],
            voice_relay_only=body.get("voice_relay_only", False),
            remembered=tuple(RememberedResult(**entry) for entry in body["remembered"]),
            subtitles=tuple(SubtitleTrack(**track) for track in body.get("subtitles", [])),
            mutes=Mutes.from_json(body.get("mutes")),
            automod=AutomodSettings.from_json(body.get("automod")),
            temporary_hosts=TemporaryHosts.from_json(body.get("temporary_hosts")),
            buffer_wait_ms=body.get("buffer_wait_ms", 1000),
            idle_close_minutes=body.get("idle_close_minutes", 30),
            admissions=Admissions.from_json(body.get("admissions")),
            arrivals=tuple((str(who), int(at)) for who, at in body.get("arrivals", [])),
            guests_may_chat=body.get("guests_may_chat", False),
        )


_FIELDS = tuple(field.name for field in fields(Snapshot))
