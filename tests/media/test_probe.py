"""What the prober says about real files, and why it refuses the bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncwatch.media.ffmpeg import (
    FfmpegTools,
    ProbeFailed,
    ffmpeg_version,
    locate_tools,
    media_info_from_banner,
    probe,
)
from tests.support.media import MediaFixtures


async def test_an_h264_mp4_is_described(media: MediaFixtures) -> None:
    info = await probe(media.h264_mp4)

    assert info.has_video
    assert info.has_audio
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert (info.width, info.height) == (320, 180)
    assert info.fps == pytest.approx(25)
    assert info.pixel_format == "yuv420p"
    assert info.duration_ms == pytest.approx(3000, abs=100)
    assert info.level is not None


async def test_a_vp9_webm_and_a_silent_clip_are_described(media: MediaFixtures) -> None:
    webm = await probe(media.vp9_webm)
    silent = await probe(media.silent_mp4)

    assert (webm.video_codec, webm.audio_codec) == ("vp9", "opus")
    assert silent.has_video
    assert not silent.has_audio


async def test_an_audio_only_file_has_no_video_stream(media: MediaFixtures) -> None:
    with pytest.raises(ProbeFailed) as caught:
        await probe(media.audio_only_m4a)
    assert caught.value.reason == "no_video_stream"


@pytest.mark.parametrize("clip", ["truncated_mp4", "truncated_webm"])
async def test_a_cut_off_upload_is_reported_as_truncated(media: MediaFixtures, clip: str) -> None:
    with pytest.raises(ProbeFailed) as caught:
        await probe(getattr(media, clip))
    assert caught.value.reason == "truncated"


async def test_a_file_that_is_not_media_is_undecodable(tmp_path: Path) -> None:
    noise = tmp_path / "noise.bin"
    noise.write_bytes(bytes(range(256)) * 64)

    with pytest.raises(ProbeFailed) as caught:
        await probe(noise)
    assert caught.value.reason == "undecodable"


async def test_a_video_over_the_duration_cap_is_too_long(media: MediaFixtures) -> None:
    with pytest.raises(ProbeFailed) as caught:
        await probe(media.h264_mp4, max_duration_s=2)
    assert caught.value.reason == "too_long"


async def test_without_ffprobe_the_ffmpeg_banner_gives_the_same_facts(
    media: MediaFixtures,
) -> None:
    banner_only = FfmpegTools(ffmpeg=locate_tools().ffmpeg, ffprobe=None)

    info = await probe(media.h264_mp4, tools=banner_only)
    with pytest.raises(ProbeFailed) as caught:
        await probe(media.audio_only_m4a, tools=banner_only)

    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert (info.width, info.height, info.fps) == (320, 180, 25)
    assert info.profile is not None
    assert info.pixel_format == "yuv420p"
    assert caught.value.reason == "no_video_stream"


def test_the_wheel_ffmpeg_banner_is_parsed() -> None:
    # Verbatim from the imageio-ffmpeg build (ffmpeg 9), which has no ffprobe.
    banner = (
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'a.mp4':\n"
        "  Duration: 00:01:03.50, start: 0.000000, bitrate: 785 kb/s\n"
        "  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), "
        "yuv420p(progressive), 1920x1080 [SAR 1:1 DAR 16:9], 706 kb/s, 29.97 fps, "
        "29.97 tbr, 12800 tbn (default)\n"
        "  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, "
        "fltp, 69 kb/s (default)\n"
    )
    info = media_info_from_banner(banner)

    assert info.duration_s == pytest.approx(63.5)
    assert (info.width, info.height, info.fps) == (1920, 1080, 29.97)
    assert (info.profile, info.pixel_format, info.bit_rate) == ("High", "yuv420p", 785_000)


async def test_the_ffmpeg_version_is_reported() -> None:
    version = await ffmpeg_version()
    assert version is not None
    assert version.startswith("ffmpeg version")
    assert await ffmpeg_version(FfmpegTools(ffmpeg="/nonexistent/ffmpeg", ffprobe=None)) is None
