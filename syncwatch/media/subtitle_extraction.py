"""Text subtitle streams inside an uploaded file, turned into sidecar WebVTT.

Owns finding the subtitle streams of a source (ffprobe, or `ffmpeg -i`'s
banner when there is no ffprobe) and the one supervised ffmpeg run that
writes each text stream (SubRip, ASS, mov_text, WebVTT) to its own `.vtt`
file in the job's work directory. Each file then goes through
`subtitles.to_webvtt`, so an embedded track obeys exactly the rules of an
uploaded one. Bitmap subtitles (PGS, DVD, DVB) cannot become text and are
skipped. Storing the results is the transcode pool's business.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncwatch.blocking import run_blocking
from syncwatch.media.ffmpeg import FfmpegTools, run_short, supervised_input
from syncwatch.media.job_runner import ProcessLimits, run_ffmpeg
from syncwatch.media.subtitles import TEXT_SUBTITLE_CODECS, SubtitleRejected, to_webvtt
from syncwatch.observability.logs import get_logger

log = get_logger("syncwatch.media.subtitles")

# More than this many text tracks in one file is not worth a menu entry each.
MAX_EMBEDDED_TRACKS = 8
_BANNER_STREAM = re.compile(
    r"^\s*Stream #\d+:\d+(?:\[[^\]]*\])?(?:\((?P<lang>[A-Za-z-]+)\))?: Subtitle: (?P<codec>\w+)",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class SubtitleStream:
    # Position among the file's subtitle streams (ffmpeg's `0:s:N`).
    position: int
    codec: str
    language: str | None = None
    title: str | None = None

    @property
    def is_text(self) -> bool:
        return self.codec in TEXT_SUBTITLE_CODECS

    @property
    def label(self) -> str:
        if self.title:
            return self.title[:64]
        if self.language and self.language != "und":
            return self.language
        return f"Track {self.position + 1}"


@dataclass(frozen=True, slots=True)
class ExtractedSubtitle:
    stream: SubtitleStream
    webvtt: str


@dataclass(frozen=True, slots=True)
class PublishedSubtitle:
    """An embedded track in media storage, as the transcode pool reports it."""

    track_id: str
    label: str
    language: str | None
    storage_key: str
    size_bytes: int


def streams_from_ffprobe(report: dict[str, Any]) -> list[SubtitleStream]:
    found = []
    streams = [s for s in report.get("streams", []) if s.get("codec_type") == "subtitle"]
    for position, stream in enumerate(streams):
        tags = stream.get("tags") or {}
        found.append(
            SubtitleStream(
                position=position,
                codec=str(stream.get("codec_name") or "unknown"),
                language=tags.get("language"),
                title=tags.get("title"),
            )
        )
    return found


def streams_from_banner(banner: str) -> list[SubtitleStream]:
    return [
        SubtitleStream(position=position, codec=match["codec"], language=match["lang"])
        for position, match in enumerate(_BANNER_STREAM.finditer(banner))
    ]


async def subtitle_streams(source: str, tools: FfmpegTools) -> list[SubtitleStream]:
    """Every subtitle stream of `source`, text or not, in file order."""
    if tools.ffprobe is not None:
        argv = [tools.ffprobe, "-v", "error", "-print_format", "json", "-show_streams"]
        result = await run_short([*argv, source], timeout_s=60)
        if result.returncode != 0:
            return []
        try:
            return streams_from_ffprobe(json.loads(result.stdout or b"{}"))
        except json.JSONDecodeError:
            return []
    result = await run_short([tools.ffmpeg, "-hide_banner", "-i", source], timeout_s=60)
    return streams_from_banner(result.stderr.decode(errors="replace"))


def build_extract_command(
    source: str, streams: list[SubtitleStream], output_dir: Path, tools: FfmpegTools
) -> list[str]:
    """One ffmpeg run with an output per stream: `{output_dir}/s{position}.vtt`."""
    argv = supervised_input(tools, source)
    for stream in streams:
        argv += ["-map", f"0:s:{stream.position}", "-c:s", "webvtt", "-f", "webvtt"]
        argv.append(str(output_dir / f"s{stream.position}.vtt"))
    return argv


async def extract_subtitles(
    source: str,
    *,
    work_dir: Path,
    duration_s: float,
    tools: FfmpegTools,
    limits: ProcessLimits,
) -> list[ExtractedSubtitle]:
    """The text subtitle tracks of `source` as clean WebVTT; [] when it has none.

    A track ffmpeg writes but that holds no usable cue is left out; a failed
    ffmpeg run raises `TranscodeFailed` like any other step of the job.
    """
    streams = [s for s in await subtitle_streams(source, tools) if s.is_text]
    streams = streams[:MAX_EMBEDDED_TRACKS]
    if not streams:
        return []
    output_dir = work_dir / "subtitles"
    await run_blocking("files", output_dir.mkdir, parents=True, exist_ok=True)
    await run_ffmpeg(
        build_extract_command(source, streams, output_dir, tools),
        duration_s=duration_s,
        log_path=work_dir / "subtitles.log",
        limits=limits,
    )
    extracted = []
    for stream in streams:
        try:
            raw = await run_blocking("files", (output_dir / f"s{stream.position}.vtt").read_bytes)
            webvtt = await run_blocking("parsing", to_webvtt, raw, filename="embedded.vtt")
            extracted.append(ExtractedSubtitle(stream, webvtt))
        except (FileNotFoundError, SubtitleRejected) as skipped:
            log.info("embedded subtitle track skipped", position=stream.position, why=str(skipped))
    return extracted
