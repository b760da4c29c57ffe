"""WebSocket close codes (CONTRACT.md §2, docs/protocol.md), defined once.

Every close the server sends uses one of these; each `SyncWatchError` names the
code a socket closes with when that error ends it, as it names its problem code.
"""

from __future__ import annotations

from enum import IntEnum


class CloseCode(IntEnum):
    NORMAL = 1000
    PROTOCOL_ERROR = 1002
    """A frame that breaks WebSocket framing (RFC 6455), e.g. an unmasked one."""
    INVALID_PAYLOAD = 1007
    """A text frame that is not UTF-8 ("invalid frame payload data")."""
    MESSAGE_TOO_BIG = 1009
    """A frame of 1 MiB or more (Hypercorn's hard limit, `server.HARD_FRAME_LIMIT`)."""
    INTERNAL_ERROR = 1011
    """A fault on our side: reconnect with backoff."""
    SERVER_RESTARTING = 1012
    """Reconnect with jittered backoff (with `lastSeq` to a room)."""
    TRY_AGAIN_LATER = 1013
    """The room is resting after repeated failures: reconnect after `retryAfter`."""
    UNAUTHORIZED = 4001
    """No valid `hello` in time, or a bad or expired token."""
    FORBIDDEN = 4003
    """Kicked, banned, wrong password, origin not allowed."""
    NOT_FOUND = 4004
    """The room does not exist or was deleted."""
    POLICY = 4008
    """Flooding, or too slow to keep up."""
    ROOM_FULL = 4009
    INCOMPATIBLE = 4010
    """Another major version of the protocol."""
    REPLACED = 4011
    """The same user connected again elsewhere and took over this seat."""
