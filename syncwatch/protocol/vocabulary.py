"""The closed sets of words the protocol uses in more than one message.

Owns the literal types that messages, the room core and its snapshots share,
so a value such as a playback control policy is spelled once.
"""

from __future__ import annotations

from typing import Literal

SourceType = Literal["upload", "youtube", "url"]
PlaybackControl = Literal["owner_only", "all", "selected"]
Role = Literal["owner", "participant", "guest"]
CommandType = Literal["PLAY", "PAUSE", "SEEK", "SET_RATE", "SET_SOURCE"]
OwnershipReason = Literal["auto_handover", "transfer", "reclaim", "creator_returned"]
