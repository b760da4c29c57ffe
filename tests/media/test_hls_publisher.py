"""Growing HLS output reaches storage so that every published playlist plays."""

from __future__ import annotations

from pathlib import Path

from syncwatch.media.hls_publisher import HlsPublisher, parse_media_playlist
from syncwatch.media.ladder import LadderPlan, Rendition
from syncwatch.media.storage.files import FileStorage

PLAN = LadderPlan(
    renditions=(Rendition("720p", 1280, 720, 2800), Rendition("360p", 640, 360, 800)),
    has_audio=True,
    copy_audio=False,
    codecs=("avc1.64001f,mp4a.40.2", "avc1.64001e,mp4a.40.2"),
)


def _ffmpeg_wrote(
    work: Path, rendition: str, segments: int, *, ended: bool, torn_tail: str = ""
) -> None:
    """What ffmpeg leaves on disk: segments and an EVENT playlist naming them."""
    folder = work / rendition
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:4", "#EXT-X-PLAYLIST-TYPE:EVENT"]
    for index in range(segments):
        (folder / f"seg_{index:05d}.ts").write_bytes(b"\x47" * 188 * (index + 1))
        lines += ["#EXTINF:4.000000,", f"seg_{index:05d}.ts"]
    if ended:
        lines.append("#EXT-X-ENDLIST")
    (folder / "index.m3u8").write_text("\n".join(lines) + "\n" + torn_tail)


async def test_the_master_appears_once_every_rendition_has_a_segment(tmp_path: Path) -> None:
    storage = FileStorage(tmp_path / "store")
    work = tmp_path / "work"
    publisher = HlsPublisher(storage, work_dir=work, prefix="videos/v/hls", plan=PLAN)

    _ffmpeg_wrote(work, "720p", 1, ended=False)
    await publisher.sync()
    master_after_one = await storage.exists("videos/v/hls/master.m3u8")
    _ffmpeg_wrote(work, "360p", 1, ended=False)
    await publisher.sync()

    assert not master_after_one
    assert publisher.master_published
    assert not publisher.complete
    master = (await storage.read("videos/v/hls/master.m3u8")).decode()
    assert "BANDWIDTH=3208000,RESOLUTION=1280x720" in master
    assert master.rstrip().endswith("360p/index.m3u8")
    growing = parse_media_playlist((await storage.read("videos/v/hls/720p/index.m3u8")).decode())
    assert not growing.ended
    assert growing.segments == ((4.0, "seg_00000.ts"),)


async def test_a_published_playlist_names_only_segments_already_in_storage(
    tmp_path: Path,
) -> None:
    storage = FileStorage(tmp_path / "store")
    work = tmp_path / "work"
    publisher = HlsPublisher(storage, work_dir=work, prefix="videos/v/hls", plan=PLAN)

    # Read while ffmpeg rewrites it: the last entry is cut off mid-line.
    _ffmpeg_wrote(work, "720p", 2, ended=False, torn_tail="#EXTINF:4.000000,\nseg_000")
    _ffmpeg_wrote(work, "360p", 3, ended=True)
    await publisher.sync()
    stored = parse_media_playlist((await storage.read("videos/v/hls/720p/index.m3u8")).decode())

    assert [uri for _, uri in stored.segments] == ["seg_00000.ts", "seg_00001.ts"]
    for _, uri in stored.segments:
        assert await storage.exists(f"videos/v/hls/720p/{uri}")


async def test_the_end_marker_is_published_when_ffmpeg_closes_every_playlist(
    tmp_path: Path,
) -> None:
    storage = FileStorage(tmp_path / "store")
    work = tmp_path / "work"
    publisher = HlsPublisher(storage, work_dir=work, prefix="videos/v/hls", plan=PLAN)
    _ffmpeg_wrote(work, "720p", 1, ended=False)
    _ffmpeg_wrote(work, "360p", 1, ended=False)
    await publisher.sync()

    _ffmpeg_wrote(work, "720p", 3, ended=True)
    _ffmpeg_wrote(work, "360p", 3, ended=True)
    await publisher.sync()

    assert publisher.complete
    final = parse_media_playlist((await storage.read("videos/v/hls/360p/index.m3u8")).decode())
    assert final.ended
    assert len(final.segments) == 3
    assert await storage.read("videos/v/hls/360p/seg_00002.ts") == b"\x47" * 188 * 3
