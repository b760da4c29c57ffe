"""Container detection from the first bytes of a file.

An upload's extension and declared MIME type are claims; its first bytes are
evidence. This module only recognises containers that can carry video and that
ffmpeg demuxes; anything else is refused with `UnsupportedFormat` (415) before
the rest of the file is stored. Whether the container really holds a decodable
video stream is the prober's question, not this module's.
"""

from __future__ import annotations

import enum

from syncwatch.errors import UnsupportedFormat

# MPEG-TS needs three packets of 188 bytes to be told apart from noise.
MAGIC_PROBE_BYTES = 2 * 188 + 1

_EBML = b"\x1a\x45\xdf\xa3"
_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
# Top-level QuickTime atoms that may open a .mov written before `ftyp` existed.
_LEGACY_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_QUICKTIME_BRANDS = (b"qt  ",)


class Container(enum.StrEnum):
    MP4 = "mp4"
    QUICKTIME = "mov"
    WEBM = "webm"
    MATROSKA = "mkv"
    AVI = "avi"
    MPEG_TS = "ts"
    MPEG_PS = "mpeg"
    FLV = "flv"
    ASF = "asf"
    OGG = "ogg"


def detect_container(head: bytes) -> Container | None:
    """The container the bytes start with, or None when nothing matches.

    `head` should hold at least `MAGIC_PROBE_BYTES` bytes when the file is that
    long; fewer bytes only weaken the MPEG-TS check.
    """
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        return Container.QUICKTIME if brand in _QUICKTIME_BRANDS else Container.MP4
    if len(head) >= 8 and head[4:8] in _LEGACY_QUICKTIME_ATOMS:
        return Container.QUICKTIME
    if head.startswith(_EBML):
        # The DocType element (0x4282) names the flavour within the EBML header.
        header = head[:64]
        return Container.WEBM if b"\x42\x82\x84webm" in header else Container.MATROSKA
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return Container.AVI
    if _looks_like_mpeg_ts(head):
        return Container.MPEG_TS
    if head.startswith(b"\x00\x00\x01\xba"):
        return Container.MPEG_PS
    if head.startswith(b"FLV\x01"):
        return Container.FLV
    if head.startswith(_ASF_GUID):
        return Container.ASF
    if head.startswith(b"OggS"):
        return Container.OGG
    return None


def require_video_container(head: bytes) -> Container:
    """Like `detect_container`, but a miss is the client's 415."""
    container = detect_container(head)
    if container is None:
        raise UnsupportedFormat("The file does not start like any supported video container.")
    return container


def _looks_like_mpeg_ts(head: bytes) -> bool:
    packets = [offset for offset in (0, 188, 376) if offset < len(head)]
    return len(packets) >= 2 and all(head[offset] == 0x47 for offset in packets)
