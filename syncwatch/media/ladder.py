"""The HLS rendition ladder and the ffmpeg command that produces it.

Owns two decisions: which renditions a source gets (never larger than the
source, aspect kept, even dimensions, the top one stream-copied when the
source is already browser-ready H.264 + AAC), and the exact ffmpeg argv. It
runs nothing; `job_runner` does.

Output layout inside the job's work directory:

    {name}/index.m3u8          one media playlist per rendition (EVENT type
    {name}/{stem}_00000.ts     while being written, closed by #EXT-X-ENDLIST),
                               MPEG-TS segments of `segment_seconds`

The master playlist is not ffmpeg's: `hls_publisher.master_playlist()` writes
it from the plan, with bandwidths we chose rather than ones ffmpeg guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncwatch.media.ffmpeg import FfmpegTools, MediaInfo, supervised_input

# (short side, video kbit/s): the rungs a source may get, best first.
_RUNGS: tuple[tuple[int, int], ...] = ((1080, 5000), (720, 2800), (480, 1400), (360, 800))
_AUDIO_KBPS = 128
# H.264 levels a browser's hardware decoder accepts for stream copy (5.1 is too
# much for some phones; 4.2 covers 1080p60).
_MAX_COPY_LEVEL = 42
_COPYABLE_PROFILES = frozenset({"Constrained Baseline", "Baseline", "Main", "High"})


@dataclass(frozen=True, slots=True)
class TranscodeSettings:
    # x264 preset for encoded renditions; tests use "ultrafast".
    preset: str = "superfast"
    segment_seconds: int = 4
    max_renditions: int = 3
    allow_stream_copy: bool = True
    # 0 lets ffmpeg choose; the pool sets it so parallel jobs share the cores.
    threads: int = 0


@dataclass(frozen=True, slots=True)
class Rendition:
    name: str
    width: int
    height: int
    video_kbps: int
    copy_video: bool = False

    @property
    def bandwidth_bps(self) -> int:
        """Peak bits per second for the master playlist (video + audio, headroom)."""
        return int((self.video_kbps * 1.1 + _AUDIO_KBPS) * 1000)


@dataclass(frozen=True, slots=True)
class LadderPlan:
    renditions: tuple[Rendition, ...]
    has_audio: bool
    copy_audio: bool
    # RFC 6381 codec strings per rendition, for the master playlist.
    codecs: tuple[str, ...]


def plan_ladder(info: MediaInfo, settings: TranscodeSettings | None = None) -> LadderPlan:
    """Choose renditions for `info`, best first."""
    settings = settings or TranscodeSettings()
    width, height = _display_size(info)
    short_side = min(width, height)
    copy_top = settings.allow_stream_copy and is_stream_copyable(info)
    renditions: list[Rendition] = []
    if copy_top:
        source_kbps = max(info.bit_rate // 1000 - _AUDIO_KBPS, 1)
        renditions.append(
            Rendition(_rung_name(short_side), info.width, info.height, source_kbps, True)
        )
    for rung, kbps in _RUNGS:
        if len(renditions) >= settings.max_renditions:
            break
        fits = rung < short_side if copy_top else rung <= short_side
        if fits:
            out_w, out_h = _scaled(width, height, rung)
            renditions.append(Rendition(_rung_name(rung), out_w, out_h, kbps))
    if not renditions:
        # Smaller than the lowest rung: one rendition at the source's own size.
        out_w, out_h = _scaled(width, height, _even_at_most(short_side))
        renditions.append(
            Rendition(_rung_name(out_h if out_h <= out_w else out_w), out_w, out_h, _RUNGS[-1][1])
        )
    copy_audio = info.has_audio and info.audio_codec == "aac"
    audio_codec = ",mp4a.40.2" if info.has_audio else ""
    codecs = tuple(
        (_source_codec(info) if r.copy_video else _encoded_codec(r)) + audio_codec
        for r in renditions
    )
    return LadderPlan(tuple(renditions), info.has_audio, copy_audio, codecs)


def is_stream_copyable(info: MediaInfo) -> bool:
    """Whether browsers can play the source's video as is, inside HLS."""
    return (
        info.video_codec == "h264"
        and info.pixel_format == "yuv420p"
        and info.profile in _COPYABLE_PROFILES
        and info.level is not None
        and info.level <= _MAX_COPY_LEVEL
        and info.sample_aspect == 1.0
        and min(info.width, info.height) <= _RUNGS[0][0]
        and (not info.has_audio or info.audio_codec == "aac")
    )


def build_hls_command(
    plan: LadderPlan,
    *,
    source: str,
    output_dir: str,
    tools: FfmpegTools,
    settings: TranscodeSettings | None = None,
    segment_stem: str = "seg",
) -> list[str]:
    """The ffmpeg argv that writes every rendition of `plan` under `output_dir`.

    Segments are `{segment_stem}_00000.ts`, ...: callers give each attempt its
    own stem, so a segment name never stands for two different encodes (they
    are served as immutable).
    """
    settings = settings or TranscodeSettings()
    encoded = [(i, r) for i, r in enumerate(plan.renditions) if not r.copy_video]
    argv = supervised_input(tools, source)
    if encoded:
        splits = "".join(f"[s{i}]" for i, _ in encoded)
        scales = ";".join(
            f"[s{i}]scale={r.width}:{r.height}:flags=bicubic,setsar=1,format=yuv420p[v{i}]"
            for i, r in encoded
        )
        argv += ["-filter_complex", f"[0:v:0]split={len(encoded)}{splits};{scales}"]
    stream_map = []
    for i, rendition in enumerate(plan.renditions):
        argv += ["-map", "0:v:0" if rendition.copy_video else f"[v{i}]"]
        entry = f"v:{i}"
        if plan.has_audio:
            argv += ["-map", "0:a:0"]
            entry += f",a:{i}"
        stream_map.append(f"{entry},name:{rendition.name}")
    keyframes = f"expr:gte(t,n_forced*{settings.segment_seconds})"
    for i, rendition in enumerate(plan.renditions):
        if rendition.copy_video:
            argv += [f"-c:v:{i}", "copy"]
            continue
        argv += [
            f"-c:v:{i}",
            "libx264",
            f"-b:v:{i}",
            f"{rendition.video_kbps}k",
            f"-maxrate:v:{i}",
            f"{int(rendition.video_kbps * 1.1)}k",
            f"-bufsize:v:{i}",
            f"{int(rendition.video_kbps * 1.5)}k",
            f"-profile:v:{i}",
            "high",
            f"-level:v:{i}",
            _level_for(rendition),
            # Keyframes exactly on segment boundaries, so renditions switch cleanly.
            f"-force_key_frames:v:{i}",
            keyframes,
        ]
    if encoded:
        argv += ["-preset", settings.preset, "-sc_threshold", "0"]
    if settings.threads:
        argv += ["-threads", str(settings.threads)]
    if plan.has_audio:
        if plan.copy_audio:
            argv += ["-c:a", "copy"]
        else:
            argv += ["-c:a", "aac", "-b:a", f"{_AUDIO_KBPS}k", "-ac", "2"]
    argv += [
        "-f",
        "hls",
        "-hls_time",
        str(settings.segment_seconds),
        # EVENT playlists grow while ffmpeg works and end with #EXT-X-ENDLIST:
        # players can start at 0 before the last segment exists.
        "-hls_playlist_type",
        "event",
        "-hls_flags",
        "independent_segments+temp_file",
        "-hls_segment_type",
        "mpegts",
        "-hls_segment_filename",
        f"{output_dir}/%v/{segment_stem}_%05d.ts",
        "-var_stream_map",
        " ".join(stream_map),
        f"{output_dir}/%v/index.m3u8",
    ]
    return argv


def _display_size(info: MediaInfo) -> tuple[int, int]:
    return max(info.display_width, 2), max(info.height, 2)


def _scaled(width: int, height: int, short_side: int) -> tuple[int, int]:
    """Size with the short side `short_side`, aspect kept, both even."""
    if width >= height:
        return _even(width * short_side / height), _even(short_side)
    return _even(short_side), _even(height * short_side / width)


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def _even_at_most(value: int) -> int:
    return max(2, value // 2 * 2)


def _rung_name(short_side: int) -> str:
    return f"{short_side}p"


def _level_for(rendition: Rendition) -> str:
    pixels = rendition.width * rendition.height
    if pixels <= 640 * 360:
        return "3.0"
    if pixels <= 1280 * 720:
        return "3.1"
    return "4.2"


def _encoded_codec(rendition: Rendition) -> str:
    level = int(float(_level_for(rendition)) * 10)
    return f"avc1.6400{level:02x}"


_PROFILE_IDC = {"Constrained Baseline": "42c0", "Baseline": "4200", "Main": "4d40", "High": "6400"}


def _source_codec(info: MediaInfo) -> str:
    return f"avc1.{_PROFILE_IDC.get(info.profile or '', '6400')}{(info.level or 40):02x}"
