"""Media grants: short-lived signed capabilities to fetch one video's HLS (ADR 0010).

A grant is `<expiresAtS>.<signature>`, an HMAC of the video id and the expiry
under a key derived from the server's secret. It sits in the path, before the
object's key: `/media/g/<grant>/videos/<id>/hls/master.m3u8`. The relative URIs
inside the playlists then resolve under the same grant, so hls.js (or a native
player) needs no help, and checking one is a hash, no database.

The grant names no person: whoever may watch the video at the same time gets
the same one, because expiries are rounded up to the next `STEP_S`. Everyone in
a room fetches the same URLs, and a cache in front (nginx) shares its entries
between them. A grant lives `TTL_S` to `TTL_S + STEP_S`; a player that plays
longer asks for a fresh one (the same check as the first) and swaps it into
the URLs it fetches.

Pure: time comes in as an argument.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

TTL_S = 30 * 60
STEP_S = 10 * 60
PREFIX = "g"
_GRANT = re.compile(r"^([0-9]{1,12})\.([A-Za-z0-9_-]{22})$")


def _signature(key: bytes, video_id: str, expires_s: int) -> str:
    digest = hmac.new(key, f"media:{video_id}:{expires_s}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def issue(key: bytes, video_id: str, now_ms: int) -> str:
    """A grant for `video_id`, valid from now for TTL_S to TTL_S + STEP_S."""
    expires_s = -(-(now_ms // 1000 + TTL_S) // STEP_S) * STEP_S
    return f"{expires_s}.{_signature(key, video_id, expires_s)}"


def expiry_s(grant: str) -> int | None:
    """When a well-formed grant expires (epoch seconds); None for anything else."""
    found = _GRANT.fullmatch(grant)
    return int(found.group(1)) if found else None


def is_valid(key: bytes, video_id: str, grant: str, now_ms: int) -> bool:
    found = _GRANT.fullmatch(grant)
    if found is None:
        return False
    expires_s = int(found.group(1))
    if expires_s * 1000 <= now_ms or expires_s * 1000 > now_ms + (TTL_S + STEP_S) * 1000:
        return False
    return hmac.compare_digest(found.group(2), _signature(key, video_id, expires_s))


def granted_path(grant: str, key: str) -> str:
    """The path under `/media/` that serves the object `key` with `grant`."""
    return f"{PREFIX}/{grant}/{key}"
