"""Containers are recognised by their first bytes, whatever the file is called."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncwatch.errors import UnsupportedFormat
from syncwatch.media.magic import Container, detect_container, require_video_container
from tests.support.media import MediaFixtures


def _read_head(path: Path) -> bytes:
    with open(str(path), "rb") as handle:
        return handle.read(512)


def test_generated_clips_are_recognised_by_their_bytes(media: MediaFixtures) -> None:
    assert detect_container(_read_head(media.h264_mp4)) is Container.MP4
    assert detect_container(_read_head(media.vp9_webm)) is Container.WEBM
    assert detect_container(_read_head(media.hevc_mkv)) is Container.MATROSKA


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00", Container.QUICKTIME),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", Container.QUICKTIME),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", Container.MP4),
        (b"RIFF\x10\x00\x00\x00AVI LIST", Container.AVI),
        ((b"\x47" + b"\x00" * 187) * 3, Container.MPEG_TS),
        (b"\x00\x00\x01\xba\x44\x00", Container.MPEG_PS),
        (b"FLV\x01\x05\x00\x00\x00\x09", Container.FLV),
        (bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c") + b"\x00" * 8, Container.ASF),
    ],
)
def test_every_supported_container_is_detected(head: bytes, expected: Container) -> None:
    assert detect_container(head) is expected


@pytest.mark.parametrize(
    "head",
    [
        b"#!/bin/sh\necho this is not a video\n",
        b"%PDF-1.7\n",
        b"\x89PNG\r\n\x1a\n",
        b"PK\x03\x04",
        b"\x47" + b"\x00" * 100,  # one sync byte is not a transport stream
        b"",
    ],
)
def test_anything_else_is_an_unsupported_format(head: bytes) -> None:
    assert detect_container(head) is None
    with pytest.raises(UnsupportedFormat) as caught:
        require_video_container(head)
    assert caught.value.status == 415
    assert caught.value.code == "unsupported_format"


def test_a_forged_extension_does_not_fool_detection(media: MediaFixtures) -> None:
    with pytest.raises(UnsupportedFormat):
        require_video_container(_read_head(media.forged_mp4))
