"""Fixtures of the operations tests: a short generated clip to upload."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest

from syncwatch.media.ffmpeg import locate_tools


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Two seconds of test pattern and tone, H.264/AAC in mp4 (~60 kB)."""
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    subprocess.run(
        [
            locate_tools().ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(path),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path.read_bytes()


@pytest.fixture(scope="session")
def figures(pytestconfig: pytest.Config) -> Callable[[str], None]:
    """Print a measured figure to the terminal even while pytest captures output,
    so CI logs show what the operator docs quote."""
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")

    def say(line: str) -> None:
        with capture.global_and_fixture_disabled():
            print(f"\n[figures] {line}", flush=True)

    return say
