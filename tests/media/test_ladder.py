"""Which renditions a source gets, and the ffmpeg command that makes them."""

from __future__ import annotations

from dataclasses import replace

from syncwatch.media.ffmpeg import FfmpegTools, MediaInfo
from syncwatch.media.ladder import (
    TranscodeSettings,
    build_hls_command,
    is_stream_copyable,
    plan_ladder,
)

BROWSER_READY_1080P = MediaInfo(
    duration_s=60,
    has_video=True,
    has_audio=True,
    video_codec="h264",
    audio_codec="aac",
    width=1920,
    height=1080,
    fps=30,
    pixel_format="yuv420p",
    profile="High",
    level=40,
    bit_rate=6_000_000,
)
VP9_720P = replace(
    BROWSER_READY_1080P,
    video_codec="vp9",
    audio_codec="opus",
    width=1280,
    height=720,
    profile="Profile 0",
    level=None,
)
TOOLS = FfmpegTools(ffmpeg="ffmpeg", ffprobe="ffprobe")


def _sizes(info: MediaInfo, **settings: object) -> list[tuple[int, int]]:
    plan = plan_ladder(info, TranscodeSettings(**settings))  # type: ignore[arg-type]
    return [(r.width, r.height) for r in plan.renditions]


def test_a_720p_source_is_never_upscaled() -> None:
    assert _sizes(VP9_720P) == [(1280, 720), (854, 480), (640, 360)]


def test_a_browser_ready_source_keeps_its_own_video_as_the_top_rendition() -> None:
    plan = plan_ladder(BROWSER_READY_1080P)

    top, *rest = plan.renditions
    assert top.copy_video
    assert (top.width, top.height) == (1920, 1080)
    assert [(r.height, r.copy_video) for r in rest] == [(720, False), (480, False)]
    assert plan.copy_audio
    assert plan.codecs[0] == "avc1.640028,mp4a.40.2"


def test_sources_browsers_cannot_play_as_is_are_re_encoded() -> None:
    assert not is_stream_copyable(VP9_720P)
    assert not is_stream_copyable(replace(BROWSER_READY_1080P, pixel_format="yuv444p"))
    assert not is_stream_copyable(replace(BROWSER_READY_1080P, profile="High 10"))
    assert not is_stream_copyable(replace(BROWSER_READY_1080P, level=51))
    assert not is_stream_copyable(replace(BROWSER_READY_1080P, audio_codec="ac3"))
    assert not is_stream_copyable(replace(BROWSER_READY_1080P, width=3840, height=2160))
    assert is_stream_copyable(replace(BROWSER_READY_1080P, has_audio=False, audio_codec=None))


def test_portrait_video_keeps_its_aspect_with_even_sizes() -> None:
    portrait = replace(VP9_720P, width=1080, height=1920)

    assert _sizes(portrait) == [(1080, 1920), (720, 1280), (480, 854)]


def test_odd_and_tiny_sources_get_one_even_rendition_at_their_own_size() -> None:
    assert _sizes(replace(VP9_720P, width=321, height=181)) == [(320, 180)]


def test_anamorphic_pixels_are_squared() -> None:
    dvd = replace(VP9_720P, width=720, height=576, sample_aspect=16 / 15)

    # 720x576 PAL with 16:15 pixels is 768x576 on screen, 4:3.
    assert _sizes(dvd) == [(640, 480), (480, 360)]


def test_the_rendition_count_is_capped_by_the_setting() -> None:
    assert len(_sizes(VP9_720P, max_renditions=1)) == 1
    four = _sizes(replace(VP9_720P, width=1920, height=1080), max_renditions=4)
    assert [h for _, h in four] == [1080, 720, 480, 360]


def test_the_command_writes_event_hls_with_aligned_keyframes() -> None:
    plan = plan_ladder(VP9_720P)

    argv = build_hls_command(
        plan,
        source="in.webm",
        output_dir="/out",
        tools=TOOLS,
        settings=TranscodeSettings(preset="ultrafast"),
    )

    joined = " ".join(argv)
    assert argv[argv.index("-progress") + 1] == "pipe:1"
    assert "-hls_playlist_type event" in joined
    assert argv[argv.index("-var_stream_map") + 1] == (
        "v:0,a:0,name:720p v:1,a:1,name:480p v:2,a:2,name:360p"
    )
    assert joined.count("expr:gte(t,n_forced*4)") == 3
    assert "-preset ultrafast" in joined
    assert argv[-1] == "/out/%v/index.m3u8"
    assert argv[argv.index("-hls_segment_filename") + 1] == "/out/%v/seg_%05d.ts"


def test_each_attempt_can_name_its_segments_apart() -> None:
    argv = build_hls_command(
        plan_ladder(VP9_720P), source="in", output_dir="/o", tools=TOOLS, segment_stem="seg1a2b3c"
    )

    assert argv[argv.index("-hls_segment_filename") + 1] == "/o/%v/seg1a2b3c_%05d.ts"


def test_audio_less_sources_map_no_audio() -> None:
    silent = replace(VP9_720P, has_audio=False, audio_codec=None)

    argv = build_hls_command(plan_ladder(silent), source="in", output_dir="/o", tools=TOOLS)

    assert "0:a:0" not in argv
    assert "-c:a" not in argv
    assert argv[argv.index("-var_stream_map") + 1] == ("v:0,name:720p v:1,name:480p v:2,name:360p")
