"""Copying a growing HLS output from the work directory into media storage.

ffmpeg writes segments and playlists into a local work directory. While it
runs, `HlsPublisher.sync()` uploads every segment a media playlist already
lists and then a playlist rebuilt from exactly the uploaded segments: a reader
of storage never meets a playlist naming a segment that is not there yet. The
master playlist is written once every rendition has its first segment, which
is the moment a player can start. Playlists stay `EVENT` type while growing and
get `#EXT-X-ENDLIST` when ffmpeg closes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from syncwatch.blocking import run_blocking
from syncwatch.media.ladder import LadderPlan
from syncwatch.media.storage import MediaStorage

MASTER_PLAYLIST = "master.m3u8"
SEGMENT_CONTENT_TYPE = "video/mp2t"
PLAYLIST_CONTENT_TYPE = "application/vnd.apple.mpegurl"


@dataclass(frozen=True, slots=True)
class MediaPlaylist:
    segments: tuple[tuple[float, str], ...]
    ended: bool


def parse_media_playlist(text: str) -> MediaPlaylist:
    """The (duration, uri) pairs and the end marker of an ffmpeg media playlist.

    A playlist read while ffmpeg rewrites it may stop mid-line; an entry whose
    URI line is missing or unterminated is not taken.
    """
    segments: list[tuple[float, str]] = []
    pending: float | None = None
    complete_lines = text.split("\n")[:-1]  # the last piece has no newline yet
    ended = False
    for line in (raw.strip() for raw in complete_lines):
        if line.startswith("#EXTINF:"):
            try:
                pending = float(line[len("#EXTINF:") :].split(",", 1)[0])
            except ValueError:
                pending = None
        elif line == "#EXT-X-ENDLIST":
            ended = True
        elif line and not line.startswith("#") and pending is not None:
            segments.append((pending, line))
            pending = None
    return MediaPlaylist(tuple(segments), ended)


def render_media_playlist(segments: list[tuple[float, str]], *, ended: bool) -> str:
    target = max((math.ceil(duration) for duration, _ in segments), default=1)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:6",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:EVENT",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    for duration, uri in segments:
        lines += [f"#EXTINF:{duration:.6f},", uri]
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def master_playlist(plan: LadderPlan) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for rendition, codecs in zip(plan.renditions, plan.codecs, strict=True):
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={rendition.bandwidth_bps},"
            f'RESOLUTION={rendition.width}x{rendition.height},CODECS="{codecs}"'
        )
        lines.append(f"{rendition.name}/index.m3u8")
    return "\n".join(lines) + "\n"


@dataclass(slots=True)
class _RenditionState:
    published: list[tuple[float, str]] = field(default_factory=list)
    ended: bool = False
    rendered: str = ""


class HlsPublisher:
    def __init__(
        self, storage: MediaStorage, *, work_dir: Path, prefix: str, plan: LadderPlan
    ) -> None:
        self._storage = storage
        self._work_dir = work_dir
        self._prefix = prefix.rstrip("/")
        self._plan = plan
        self._renditions = {r.name: _RenditionState() for r in plan.renditions}
        self.master_published = False

    @property
    def master_key(self) -> str:
        return f"{self._prefix}/{MASTER_PLAYLIST}"

    @property
    def complete(self) -> bool:
        return self.master_published and all(s.ended for s in self._renditions.values())

    async def sync(self) -> None:
        """Upload what ffmpeg has finished since the last call."""
        for name, state in self._renditions.items():
            await self._sync_rendition(name, state)
        if not self.master_published and all(s.published for s in self._renditions.values()):
            await self._storage.put_bytes(
                self.master_key,
                master_playlist(self._plan).encode(),
                content_type=PLAYLIST_CONTENT_TYPE,
            )
            self.master_published = True

    async def _sync_rendition(self, name: str, state: _RenditionState) -> None:
        playlist_path = self._work_dir / name / "index.m3u8"
        try:
            text = await run_blocking("files", playlist_path.read_text, errors="replace")
        except FileNotFoundError:
            return
        playlist = parse_media_playlist(text)
        for duration, uri in playlist.segments[len(state.published) :]:
            await self._storage.put_file(
                f"{self._prefix}/{name}/{uri}",
                self._work_dir / name / uri,
                content_type=SEGMENT_CONTENT_TYPE,
            )
            state.published.append((duration, uri))
        state.ended = playlist.ended and len(state.published) == len(playlist.segments)
        rendered = render_media_playlist(state.published, ended=state.ended)
        if state.published and rendered != state.rendered:
            await self._storage.put_bytes(
                f"{self._prefix}/{name}/index.m3u8",
                rendered.encode(),
                content_type=PLAYLIST_CONTENT_TYPE,
            )
            state.rendered = rendered
