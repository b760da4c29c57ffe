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
Privacy = Literal["public", "friends_only", "private", "anonymous"]
"""Who may join a room: anyone with the link, the owner's friends, invited people, or anyone
under a generated name (relay-only voice, no rich presence)."""
MuteScope = Literal["chat", "voice", "both"]
ReportReason = Literal[
    "harassment", "inappropriate_content", "spam", "hate_speech", "impersonation", "other"
]
MediaFailure = Literal[
    "not_found",
    "forbidden",
    "unreachable",
    "not_a_video",
    "hls_cors",
    "unsupported_codec",
    "drm",
    "mixed_content",
    "not_seekable",
    "unknown",
]
"""Why a member's browser could not play the room's source, as its player worked it out:
the link is dead (404), private (401/403), its server unreachable, it is not a video, an
HLS stream without CORS, a codec this browser cannot decode, DRM, http media on an https
page, a file whose server ignores range requests (it plays from the start, but nobody can
jump in it or join midway), or something else."""
