"""Benchmark: our HLS ladder against a plain single-rendition ffmpeg HLS encode.

    python tasks/bench_transcode.py [--seconds 60] [--presets ultrafast,superfast,veryfast]

Generates a 1080p30 H.264 + AAC clip, then for each preset runs the real
pipeline (`TranscodePool.process` into file storage: probe, ladder, ffmpeg,
publishing) twice, with and without stream copy of the top rendition, and a
baseline `ffmpeg -c:v libx264 -preset veryfast -f hls` single rendition. It
prints wall time, realtime factor (media seconds per wall second), output
bytes, and the seconds until the top rendition's first segment was playable
from storage.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import trio

from syncwatch.media.ffmpeg import locate_tools, probe
from syncwatch.media.ladder import TranscodeSettings
from syncwatch.media.storage.files import FileStorage
from syncwatch.media.transcode_pool import JobUpdate, MemoryJobQueue, TranscodeJob, TranscodePool

FFMPEG = locate_tools().ffmpeg
SECONDS = [60.0]  # the clip length, for figures derived when printing


def make_source(path: Path, seconds: int) -> None:
    subprocess.run(
        [
            FFMPEG,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-profile:v",
            "high",
            "-pix_fmt",
            "yuv420p",
            "-g",
            "60",
            "-b:v",
            "6M",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-shortest",
            str(path),
        ],
        check=True,
    )


def _children_cpu_s() -> float:
    """CPU seconds of reaped child processes (ffmpeg): unlike wall time, load-independent."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def directory_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


async def run_pipeline(source: Path, work: Path, settings: TranscodeSettings) -> dict[str, float]:
    storage = FileStorage(work / "store")
    await storage.put_file("videos/bench/source", source)
    info = await probe(source)
    job = TranscodeJob("bench", "bench", "videos/bench/source", info, "videos/bench/hls")
    first_playable: list[float] = []
    top_first_segment: list[float] = []
    started = time.monotonic()

    async def on_update(update: JobUpdate) -> None:
        if update.playable and not first_playable:
            first_playable.append(time.monotonic() - started)

    async def watch_top(top: trio.Path) -> None:
        # Polling is the point here: it is how a player would discover the playlist.
        while not await top.exists():
            await trio.sleep(0.05)
        top_first_segment.append(time.monotonic() - started)

    cpu_before = _children_cpu_s()
    pool = TranscodePool(
        storage=storage,
        jobs=MemoryJobQueue(),
        work_root=work / "tmp",
        on_update=on_update,
        workers=1,
        settings=settings,
    )
    async with trio.open_nursery() as nursery:
        top_name = "1080p"
        top = trio.Path(storage.path_for(f"videos/bench/hls/{top_name}/index.m3u8"))
        nursery.start_soon(watch_top, top)
        final = await pool.process(job)
        nursery.cancel_scope.cancel()
    wall = time.monotonic() - started
    assert final.state == "ready", final
    return {
        "cpu_s": _children_cpu_s() - cpu_before,
        "wall_s": wall,
        "realtime_x": info.duration_s / wall,
        "bytes": directory_bytes(storage.path_for("videos/bench/hls")),
        "top_playable_s": top_first_segment[0] if top_first_segment else float("nan"),
        "all_playable_s": first_playable[0] if first_playable else float("nan"),
    }


def run_baseline(source: Path, out: Path, seconds: float) -> dict[str, float]:
    out.mkdir(parents=True)
    cpu_before = _children_cpu_s()
    started = time.monotonic()
    process = subprocess.Popen(
        [
            FFMPEG,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(source),
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-c:a",
            "aac",
            "-f",
            "hls",
            "-hls_time",
            "4",
            "-hls_playlist_type",
            "vod",
            "-hls_segment_filename",
            str(out / "seg_%05d.ts"),
            str(out / "index.m3u8"),
        ]
    )
    first_segment = float("nan")
    while process.poll() is None:
        if first_segment != first_segment and (out / "seg_00001.ts").exists():
            # seg_00001 appears when seg_00000 is closed: the first is complete.
            first_segment = time.monotonic() - started
        time.sleep(0.05)
    wall = time.monotonic() - started
    return {
        "cpu_s": _children_cpu_s() - cpu_before,
        "wall_s": wall,
        "realtime_x": seconds / wall,
        "bytes": directory_bytes(out),
        "top_playable_s": first_segment,
        "all_playable_s": first_segment,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--presets", default="ultrafast,superfast,veryfast")
    parser.add_argument("--renditions", type=int, default=3)
    args = parser.parse_args()
    SECONDS[0] = args.seconds
    with tempfile.TemporaryDirectory(prefix="syncwatch-bench-") as scratch:
        root = Path(scratch)
        source = root / "source.mp4"
        print(f"generating a {args.seconds} s 1080p30 H.264 source ...", flush=True)
        make_source(source, args.seconds)
        rows: list[tuple[str, dict[str, float]]] = []
        rows.append(
            (
                "baseline: 1 rendition, x264 veryfast",
                run_baseline(source, root / "baseline", args.seconds),
            )
        )
        print_row(*rows[-1])
        for preset in args.presets.split(","):
            for copy in (True, False):
                settings = TranscodeSettings(
                    preset=preset, max_renditions=args.renditions, allow_stream_copy=copy
                )
                label = (
                    f"ladder x{args.renditions}, {preset}, {'copy top' if copy else 'encode all'}"
                )
                work = root / f"{preset}-{copy}"
                rows.append((label, trio.run(run_pipeline, source, work, settings)))
                print_row(*rows[-1])


def print_row(label: str, figures: dict[str, float]) -> None:
    # CPU seconds do not depend on what else the machine runs; spread over idle
    # cores they give the realtime factor a dedicated host would reach.
    cores = os.cpu_count() or 1
    cpu_realtime = SECONDS[0] / (figures["cpu_s"] / cores)
    print(
        f"{label:<38} cpu {figures['cpu_s']:6.1f} s ({cpu_realtime:4.2f}x realtime on "
        f"{cores} idle cores)  wall {figures['wall_s']:6.1f} s ({figures['realtime_x']:4.2f}x)  "
        f"output {figures['bytes'] / 1e6:5.1f} MB  first top segment "
        f"{figures['top_playable_s']:4.1f} s  all renditions {figures['all_playable_s']:4.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
