"""Finding ffmpeg and asking it what a media file contains.

Owns the location of the ffmpeg/ffprobe executables and `probe()`, which turns
a file into a `MediaInfo` or a `ProbeFailed` with a stable reason. The system
binaries are preferred (Debian ships both); the `imageio-ffmpeg` wheel is the
fallback, and since it carries no ffprobe the facts are then parsed from the
banner `ffmpeg -i` prints. This module runs short-lived child processes only;
long transcodes belong to `job_runner`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import trio

# A source longer than this is refused (spec 7.3: uploads of at most 3 hours).
MAX_DURATION_S = 3 * 60 * 60

# ffmpeg's words for a file that stops before its container says it should.
_TRUNCATION_MARKERS = (
    "moov atom not found",
    "partial file",
    "ended prematurely",
    "truncat",
    "end of file",
)


class ProbeFailed(Exception):
    """The file cannot become a video. `reason` is stored and shown to users.

    Reasons: `no_video_stream`, `too_long`, `undecodable`, `truncated`.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class FfmpegTools:
    """Paths of the executables; `ffprobe` is None with the wheel's ffmpeg."""

    ffmpeg: str
    ffprobe: str | None


@dataclass(frozen=True, slots=True)
class MediaInfo:
    duration_s: float
    has_video: bool
    has_audio: bool
    video_codec: str | None = None
    audio_codec: str | None = None
    width: int = 0
    height: int = 0
    fps: float = 0.0
    pixel_format: str | None = None
    profile: str | None = None
    # H.264 level times ten, as ffprobe reports it (40 = level 4.0).
    level: int | None = None
    # Overall bits per second of the file, 0 when the container does not say.
    bit_rate: int = 0
    # Pixel aspect ratio (width / height of one pixel); 1.0 for square pixels.
    sample_aspect: float = 1.0

    @property
    def display_width(self) -> int:
        return round(self.width * self.sample_aspect)

    @property
    def duration_ms(self) -> int:
        return round(self.duration_s * 1000)


def supervised_input(tools: FfmpegTools, source: str) -> list[str]:
    """The start of every argv `job_runner` supervises: quiet, no prompt, overwrite,
    progress reports once a second on stdout (the watchdog's heartbeat), then `source`."""
    return [
        tools.ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-y",
        "-loglevel",
        "error",
        "-progress",
        "pipe:1",
        "-stats_period",
        "1",
        "-i",
        source,
    ]


@cache
def locate_tools() -> FfmpegTools:
    """System ffmpeg and ffprobe when on PATH, else the imageio-ffmpeg binary."""
    system_ffmpeg = shutil.which("ffmpeg")
    if system_ffmpeg is not None:
        return FfmpegTools(ffmpeg=system_ffmpeg, ffprobe=shutil.which("ffprobe"))
    try:
        import imageio_ffmpeg  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - the wheel is a runtime dependency
        raise RuntimeError("ffmpeg not found on PATH and imageio-ffmpeg is missing") from exc
    return FfmpegTools(ffmpeg=str(imageio_ffmpeg.get_ffmpeg_exe()), ffprobe=None)


async def ffmpeg_version(tools: FfmpegTools | None = None) -> str | None:
    """The first line of `ffmpeg -version`, or None when ffmpeg does not run."""
    tools = tools or locate_tools()
    try:
        result = await run_short([tools.ffmpeg, "-hide_banner", "-version"], timeout_s=10)
    except (OSError, trio.TooSlowError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode(errors="replace").splitlines()[0] if result.stdout else None


async def probe(
    path: Path | str,
    *,
    tools: FfmpegTools | None = None,
    max_duration_s: float = MAX_DURATION_S,
    check_tail: bool = True,
) -> MediaInfo:
    """Describe `path` (a local file or URL) or raise `ProbeFailed`.

    With `check_tail`, the last two seconds are decoded as well: containers
    that carry their index up front (webm, fast-start mp4) describe a whole
    file even when its end is missing, and only reading the end shows it.
    """
    tools = tools or locate_tools()
    if tools.ffprobe is not None:
        info = await _probe_with_ffprobe(tools.ffprobe, str(path))
    else:
        info = await _probe_with_ffmpeg_banner(tools.ffmpeg, str(path))
    if not info.has_video:
        raise ProbeFailed("no_video_stream", "The file has no video stream.")
    if info.duration_s > max_duration_s:
        raise ProbeFailed(
            "too_long",
            f"The video lasts {info.duration_s / 3600:.1f} h; at most "
            f"{max_duration_s / 3600:.0f} h are accepted.",
        )
    if info.duration_s <= 0:
        raise ProbeFailed("undecodable", "The video has no measurable duration.")
    if check_tail:
        await _check_tail_decodes(tools.ffmpeg, str(path))
    return info


async def _probe_with_ffprobe(ffprobe: str, target: str) -> MediaInfo:
    argv = [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams"]
    result = await run_short([*argv, target], timeout_s=60)
    errors = result.stderr.decode(errors="replace")
    if result.returncode != 0:
        raise _failure_from_log(errors)
    try:
        report: dict[str, Any] = json.loads(result.stdout or b"{}")
    except json.JSONDecodeError as exc:
        raise ProbeFailed("undecodable", "ffprobe returned no usable description.") from exc
    return media_info_from_ffprobe(report)


def media_info_from_ffprobe(report: dict[str, Any]) -> MediaInfo:
    """Build `MediaInfo` from `ffprobe -print_format json -show_format -show_streams`."""
    streams: list[dict[str, Any]] = report.get("streams", [])
    # Cover art is a "video" stream of one picture; it does not make a video.
    videos = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    video = videos[0] if videos else {}
    audio = audios[0] if audios else {}
    duration = _float(report.get("format", {}).get("duration")) or _float(video.get("duration"))
    return MediaInfo(
        duration_s=duration,
        has_video=bool(videos),
        has_audio=bool(audios),
        video_codec=video.get("codec_name"),
        audio_codec=audio.get("codec_name"),
        width=int(video.get("width") or 0),
        height=int(video.get("height") or 0),
        fps=_frame_rate(video.get("avg_frame_rate")) or _frame_rate(video.get("r_frame_rate")),
        pixel_format=video.get("pix_fmt"),
        profile=video.get("profile"),
        level=int(video["level"]) if isinstance(video.get("level"), int) else None,
        bit_rate=int(_float(report.get("format", {}).get("bit_rate"))),
        sample_aspect=_ratio(video.get("sample_aspect_ratio")),
    )


_DURATION_RE = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_STREAM_RE = re.compile(r"^\s*Stream #\d+:\d+.*?: (Video|Audio): (.*)$", re.MULTILINE)
_SIZE_RE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_FPS_RE = re.compile(r"([\d.]+)(k?) fps")
_BITRATE_RE = re.compile(r"Duration: .*?bitrate: (\d+) kb/s")
_SAR_RE = re.compile(r"SAR (\d+):(\d+)")
_PIXEL_FORMATS = ("yuv", "nv12", "rgb", "bgr", "gray", "gbr", "p010")


async def _probe_with_ffmpeg_banner(ffmpeg: str, target: str) -> MediaInfo:
    # With no output file ffmpeg exits 1 after describing its input: the exit
    # status says nothing, the text says everything.
    result = await run_short([ffmpeg, "-hide_banner", "-i", target], timeout_s=60)
    return media_info_from_banner(result.stderr.decode(errors="replace"))


def media_info_from_banner(banner: str) -> MediaInfo:
    """Build `MediaInfo` from the input description `ffmpeg -i` prints."""
    duration_match = _DURATION_RE.search(banner)
    if duration_match is None:
        raise _failure_from_log(banner)
    hours, minutes, seconds = duration_match.groups()
    duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    video_desc = audio_desc = None
    for kind, description in _STREAM_RE.findall(banner):
        if kind == "Video" and video_desc is None and "attached pic" not in description:
            video_desc = description
        elif kind == "Audio" and audio_desc is None:
            audio_desc = description
    bit_rate = _BITRATE_RE.search(banner)
    info = MediaInfo(
        duration_s=duration,
        has_video=video_desc is not None,
        has_audio=audio_desc is not None,
        audio_codec=_first_word(audio_desc) if audio_desc else None,
        bit_rate=int(bit_rate.group(1)) * 1000 if bit_rate else 0,
    )
    if video_desc is None:
        return info
    profile = re.match(r"\w+ \(([^)]*)\)", video_desc)
    size = _SIZE_RE.search(video_desc)
    fps = _FPS_RE.search(video_desc)
    sar = _SAR_RE.search(video_desc)
    pixel_format = next(
        (
            part.strip().split("(")[0]
            for part in _split_top_level(video_desc)
            if part.strip().startswith(_PIXEL_FORMATS)
        ),
        None,
    )
    return MediaInfo(
        duration_s=duration,
        has_video=True,
        has_audio=info.has_audio,
        video_codec=_first_word(video_desc),
        audio_codec=info.audio_codec,
        width=int(size.group(1)) if size else 0,
        height=int(size.group(2)) if size else 0,
        fps=float(fps.group(1)) * (1000 if fps.group(2) else 1) if fps else 0.0,
        pixel_format=pixel_format,
        profile=profile.group(1) if profile else None,
        bit_rate=info.bit_rate,
        sample_aspect=_ratio(f"{sar.group(1)}:{sar.group(2)}") if sar else 1.0,
    )


async def _check_tail_decodes(ffmpeg: str, target: str) -> None:
    argv = [
        ffmpeg,
        "-v",
        "error",
        "-nostdin",
        "-sseof",
        "-2",
        "-i",
        target,
        "-map",
        "0:v:0",
        "-f",
        "null",
        "-",
    ]
    result = await run_short(argv, timeout_s=120)
    log = result.stderr.decode(errors="replace")
    if result.returncode != 0 or any(marker in log.lower() for marker in _TRUNCATION_MARKERS):
        raise _failure_from_log(log or "the end of the file does not decode")


def _failure_from_log(log: str) -> ProbeFailed:
    lowered = log.lower()
    last_line = next((line for line in reversed(log.strip().splitlines()) if line.strip()), "")
    if any(marker in lowered for marker in _TRUNCATION_MARKERS):
        return ProbeFailed("truncated", "The file ends before its data does; upload it again.")
    return ProbeFailed("undecodable", last_line[:300] or "ffmpeg cannot read the file.")


async def run_short(argv: list[str], *, timeout_s: float) -> subprocess.CompletedProcess[bytes]:
    """A short ffmpeg/ffprobe query with its output captured, bounded by `timeout_s`."""
    with trio.fail_after(timeout_s):
        return await trio.run_process(
            argv, capture_stdout=True, capture_stderr=True, check=False, stdin=b""
        )


def _float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def _frame_rate(value: object) -> float:
    if not isinstance(value, str) or "/" not in value:
        return _float(value)
    numerator, denominator = value.split("/", 1)
    den = _float(denominator)
    return _float(numerator) / den if den else 0.0


def _ratio(value: object) -> float:
    if not isinstance(value, str) or ":" not in value:
        return 1.0
    numerator, denominator = (_float(part) for part in value.split(":", 1))
    return numerator / denominator if numerator > 0 and denominator > 0 else 1.0


def _first_word(text: str) -> str:
    return text.strip().split(" ", 1)[0].rstrip(",")


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts
