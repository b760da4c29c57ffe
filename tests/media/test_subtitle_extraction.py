"""Text subtitle streams inside uploaded files become clean WebVTT tracks."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncwatch.media.ffmpeg import FfmpegTools, locate_tools
from syncwatch.media.job_runner import ProcessLimits
from syncwatch.media.subtitle_extraction import (
    extract_subtitles,
    streams_from_banner,
    subtitle_streams,
)
from syncwatch.media.subtitles import parse
from tests.support.media import MediaFixtures

EXPECTED_TEXTS = ["First line", "Second & bold", "Third"]


@pytest.mark.parametrize(
    ("clip", "french_label"),
    # MP4 keeps no track title (only a handler name), Matroska does.
    [("mp4_with_mov_text", "fre"), ("mkv_with_subrip", "Français")],
)
async def test_each_text_stream_comes_out_as_its_own_clean_track(
    media: MediaFixtures, tmp_path: Path, clip: str, french_label: str
) -> None:
    extracted = await extract_subtitles(
        str(getattr(media, clip)),
        work_dir=tmp_path,
        duration_s=3.0,
        tools=locate_tools(),
        limits=ProcessLimits(),
    )
    assert [(t.stream.language, t.stream.label) for t in extracted] == [
        ("eng", "eng"),
        ("fre", french_label),
    ]
    for track in extracted:
        assert track.webvtt.startswith("WEBVTT\n")
        assert "<" not in track.webvtt
        cues = parse(track.webvtt.encode())
        assert [cue.text for cue in cues] == EXPECTED_TEXTS
        # ffmpeg moves every stream by the file's start offset (AAC priming:
        # ~21 ms), exactly as it does for the HLS renditions: cues and pictures
        # keep their relation.
        shift = cues[0].start_ms - 200
        assert 0 <= shift < 50
        assert [(cue.start_ms - shift, cue.end_ms - shift) for cue in cues] == [
            (200, 1000),
            (1200, 2000),
            (2200, 2900),
        ]


async def test_a_file_without_subtitles_gives_no_tracks_and_runs_no_extraction(
    media: MediaFixtures, tmp_path: Path
) -> None:
    extracted = await extract_subtitles(
        str(media.h264_mp4),
        work_dir=tmp_path,
        duration_s=3.0,
        tools=locate_tools(),
        limits=ProcessLimits(),
    )
    assert extracted == []
    assert not (tmp_path / "subtitles").exists()


async def test_streams_are_found_without_ffprobe_too(media: MediaFixtures) -> None:
    without_ffprobe = FfmpegTools(ffmpeg=locate_tools().ffmpeg, ffprobe=None)
    streams = await subtitle_streams(str(media.mkv_with_subrip), without_ffprobe)
    assert [(s.position, s.codec, s.language) for s in streams] == [
        (0, "subrip", "eng"),
        (1, "subrip", "fre"),
    ]


def test_bitmap_subtitles_are_seen_but_not_taken_as_text() -> None:
    banner = (
        "  Stream #0:0(eng): Video: h264 (High), yuv420p, 1920x1080\n"
        "  Stream #0:1(eng): Subtitle: hdmv_pgs_subtitle (default)\n"
        "  Stream #0:2[0x3](ger): Subtitle: ass\n"
        "  Stream #0:3: Subtitle: mov_text (tx3g / 0x67337874)\n"
    )
    streams = streams_from_banner(banner)
    assert [(s.position, s.codec, s.language, s.is_text) for s in streams] == [
        (0, "hdmv_pgs_subtitle", "eng", False),
        (1, "ass", "ger", True),
        (2, "mov_text", None, True),
    ]
    assert streams[2].label == "Track 3"
