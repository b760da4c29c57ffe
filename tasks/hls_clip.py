"""A small HLS clip generated with ffmpeg, for browser tests and the drift benchmark.

Every frame shows its own timecode and frame number (so a screenshot tells
which frame a page was on) over ffmpeg's `testsrc2` pattern, with a sine
tone: an audio track matters, because Chromium's media clock behaves
differently on media with audio (see ARCHITECTURE.md, "Facts checked").
Keyframes every 2 s and 2 s segments, so a seek lands on a segment boundary
no more than 2 s from its target, as with our own transcoder's output.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PLAYLIST = "clip.m3u8"
SEGMENT_SECONDS = 2
FRAME_RATE = 30


def ffmpeg_executable() -> str | None:
    return shutil.which("ffmpeg")


def make_hls_clip(directory: Path, *, seconds: int = 24, size: str = "640x360") -> Path:
    """Write `clip.m3u8` and its segments into `directory`; return the playlist path."""
    ffmpeg = ffmpeg_executable()
    if ffmpeg is None:
        raise RuntimeError("ffmpeg is not installed")
    directory.mkdir(parents=True, exist_ok=True)
    timecode = (
        "drawtext=text='%{pts\\:hms} f%{n}':fontsize=40:fontcolor=white"
        ":box=1:boxcolor=black@0.6:x=20:y=20"
    )
    gop = FRAME_RATE * SEGMENT_SECONDS
    command = [
        ffmpeg,
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size={size}:rate={FRAME_RATE}:duration={seconds},{timecode}",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-pix_fmt",
        "yuv420p",
        "-g",
        str(gop),
        "-keyint_min",
        str(gop),
        "-sc_threshold",
        "0",
        "-c:a",
        "aac",
        "-b:a",
        "64k",
        "-shortest",
        "-f",
        "hls",
        "-hls_time",
        str(SEGMENT_SECONDS),
        "-hls_playlist_type",
        "vod",
        "-hls_segment_filename",
        str(directory / "seg%03d.ts"),
        str(directory / PLAYLIST),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return directory / PLAYLIST
