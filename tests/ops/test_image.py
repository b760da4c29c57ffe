"""The one-container deployment, built and run as the README says.

The image is built with podman (on local base images where no registry is
reachable: tasks/base_images.py), started exactly as README.md's "One container"
section says, used by two people (sign-up, friends, a room joined over
WebSocket, play, chat, an upload transcoded to HLS), stopped with SIGTERM and
started again (`podman start`) on its volume, then replaced by a new container
on the same volume; last, backed up and restored into a new volume with the
commands docs/ops/backup.md gives. Run by `nox -s image`; the figures it prints
(build time, size, time to ready, stop time) are the ones docs/ops/deployment.md quotes.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import trio
from trio_websocket import ConnectionClosed

from tasks.base_images import ensure_base_images, podman_environment
from tests.support.databases import service_missing
from tests.support.instance import (
    Filled,
    RoomSocket,
    bearer,
    check_instance,
    fill_instance,
    login,
    room_socket,
)
from tests.support.processes import free_port

# `slow` keeps it out of `nox -s quick`; `image` selects it alone (`nox -s image`).
pytestmark = [pytest.mark.image, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]

IMAGE = "localhost/syncwatch:test"
# README.md, "One container", says exactly these (with the defaults below).
BUILD_COMMAND = (
    "podman build --format docker --network host $(python tasks/base_images.py --args) -t {image} ."
)
RUN_COMMAND = (
    "podman run -d --name {name} -p 127.0.0.1:{port}:8000 -v {volume}:/data"
    " --read-only --tmpfs /tmp -e SYNCWATCH_PUBLIC_URL=http://127.0.0.1:{port} {image}"
)
README_DEFAULTS = {
    "name": "syncwatch",
    "port": 8000,
    "volume": "syncwatch-data",
    "image": "syncwatch",
}
# docs/ops/backup.md says these for one container (with the defaults below): a backup
# into the volume while serving, and a restore into a new volume from a host directory.
BACKUP_COMMAND = "podman exec {name} syncwatch backup /data/backups/{backup} --verify"
RESTORE_COMMAND = (
    "podman run --rm -v {volume}:/data -v {backups}:/backups:ro {image} restore /backups/{backup}"
)
BACKUP_DOC_DEFAULTS = {"name": "syncwatch", "backup": "$(date +%F-%H%M)"}
RESTORE_DOC_DEFAULTS = {
    "volume": "syncwatch-restored",
    "backups": "/backups",
    "image": "syncwatch",
    "backup": "syncwatch-2026-12-06-0300",
}
SIZE_GOAL_BYTES = 450 * 1000 * 1000
GRACEFUL_LIMIT_S = 10


def podman(
    *args: str, check: bool = True, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["podman", *args],
        env=podman_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check:
        assert result.returncode == 0, f"podman {' '.join(args)}: {result.stderr}"
    return result


@dataclass
class Built:
    image: str
    seconds: float
    size_bytes: int


@pytest.fixture(scope="module")
def built(figures: Callable[[str], None]) -> Built:
    if shutil.which("podman") is None:
        service_missing("podman is not installed (Debian packages podman and runc)")
    started = time.monotonic()
    build_args = ensure_base_images(log=figures)
    bases = time.monotonic() - started
    arguments = [f"--build-arg={key}={value}" for key, value in build_args.items()]
    started = time.monotonic()
    command = ["podman", "build", "--format", "docker", "--network", "host", *arguments]
    result = subprocess.run(
        [*command, "-t", IMAGE, str(ROOT)],
        env=podman_environment(),
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    size = int(podman("image", "inspect", "--format", "{{.Size}}", IMAGE).stdout.strip())
    figures(
        f"bases ready in {bases:.0f} s; image built in {seconds:.0f} s; size {size / 1e6:.0f} MB"
    )
    return Built(IMAGE, seconds, size)


@dataclass
class Container:
    name: str
    volume: str
    port: int
    image: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run_command(self) -> list[str]:
        line = RUN_COMMAND.format(
            name=self.name, port=self.port, volume=self.volume, image=self.image
        )
        return shlex.split(line)

    def start(self) -> float:
        """Start as the README says; returns the seconds until /health/ready answered 200."""
        started = time.monotonic()
        result = subprocess.run(
            self.run_command(),
            env=podman_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return self.ready_after(started)

    def start_again(self) -> float:
        """`podman start NAME`, as the README says after a stop; seconds until ready."""
        started = time.monotonic()
        podman("start", self.name)
        return self.ready_after(started)

    def ready_after(self, started: float) -> float:
        deadline = started + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health/ready", timeout=1).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            state = podman("inspect", "--format", "{{.State.Status}}", self.name).stdout.strip()
            assert state == "running", podman("logs", self.name, check=False).stderr[-3000:]
            time.sleep(0.05)
        raise AssertionError("the container never became ready")

    def remove(self) -> None:
        podman("rm", "--force", "--time", "0", self.name, check=False)


@pytest.fixture
def containers(built: Built) -> Iterator[Callable[[], Container]]:
    """Makes containers of the built image, each with its own name, volume and port."""
    made: list[Container] = []

    def make() -> Container:
        suffix = os.urandom(3).hex()
        made.append(
            Container(
                f"syncwatch-test-{suffix}", f"syncwatch-test-{suffix}", free_port(), built.image
            )
        )
        return made[-1]

    try:
        yield make
    finally:
        for found in made:
            found.remove()
            podman("volume", "rm", "--force", found.volume, check=False)


def test_readme_gives_exactly_the_commands_this_test_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    assert RUN_COMMAND.format(**README_DEFAULTS) in readme
    # The stop and the start again that test_one_container... runs.
    assert "`podman stop syncwatch`" in readme
    assert "`podman start syncwatch`" in readme
    assert BUILD_COMMAND.format(image="syncwatch") in readme
    assert "podman build --format docker -t syncwatch ." in readme
    backup_guide = (ROOT / "docs" / "ops" / "backup.md").read_text()
    assert BACKUP_COMMAND.format(**BACKUP_DOC_DEFAULTS) in backup_guide
    assert RESTORE_COMMAND.format(**RESTORE_DOC_DEFAULTS) in backup_guide


def test_the_image_is_under_its_size_goal_and_runs_as_a_non_root_user(built: Built) -> None:
    config = json.loads(podman("image", "inspect", built.image).stdout)[0]["Config"]
    assert config["User"] == "10001"
    assert built.size_bytes < SIZE_GOAL_BYTES, f"{built.size_bytes / 1e6:.0f} MB"


def stop_gracefully(container: Container) -> tuple[float, int]:
    """SIGTERM, as `podman stop` sends it; returns seconds taken and the exit code."""
    started = time.monotonic()
    podman("stop", "--time", str(GRACEFUL_LIMIT_S + 5), container.name, timeout=60)
    seconds = time.monotonic() - started
    code = int(podman("inspect", "--format", "{{.State.ExitCode}}", container.name).stdout)
    return seconds, code


async def closed_with(room: RoomSocket, timeout_s: float) -> int:
    """Read what is left until the server closes; the close code."""
    with trio.fail_after(timeout_s):
        try:
            while True:
                await room.receive()
        except ConnectionClosed as closed:
            return int(closed.reason.code)


def volume_directory(volume: str) -> Path:
    return Path(podman("volume", "inspect", "--format", "{{.Mountpoint}}", volume).stdout.strip())


async def back_up_and_restore_as_the_backup_guide_says(
    serving: Container,
    restored: Container,
    filled: Filled,
    figures: Callable[[str], None],
) -> None:
    """A backup taken in the serving container, restored into a new volume from the
    host's copy, and a container started on that volume has everything."""
    command = BACKUP_COMMAND.format(name=serving.name, backup="nightly")
    started = time.monotonic()
    taken = podman(*shlex.split(command)[1:], timeout=300)
    backup_s = time.monotonic() - started
    assert "Verification passed" in taken.stdout, taken.stdout
    backups = volume_directory(serving.volume) / "backups"
    command = RESTORE_COMMAND.format(
        volume=restored.volume, backups=backups, image=restored.image, backup="nightly"
    )
    started = time.monotonic()
    restore = podman(*shlex.split(command)[1:], timeout=300)
    restore_s = time.monotonic() - started
    assert "Restore passed" in restore.stdout, restore.stdout
    figures(f"in the container: backup --verify {backup_s:.1f} s, restore {restore_s:.1f} s")
    restored.start()
    async with httpx.AsyncClient(base_url=restored.url, timeout=20) as http:
        with trio.fail_after(60):
            await check_instance(http, filled)


async def test_one_container_serves_people_and_keeps_everything_across_a_restart(
    containers: Callable[[], Container], clip: bytes, figures: Callable[[str], None]
) -> None:
    container = containers()
    ready_s = container.start()
    figures(f"first start: ready after {ready_s:.2f} s")

    inspect = json.loads(podman("inspect", container.name).stdout)[0]
    assert inspect["HostConfig"]["ReadonlyRootfs"] is True
    assert podman("exec", container.name, "id", "-u").stdout.strip() == "10001"
    refused = podman("exec", container.name, "touch", "/app/written", check=False)
    assert refused.returncode != 0
    assert "Read-only file system" in refused.stderr
    assert podman("exec", container.name, "touch", "/data/written").returncode == 0

    async with httpx.AsyncClient(base_url=container.url, timeout=20) as http:
        with trio.fail_after(180):
            filled = await fill_instance(http, clip)
        token = await login(http, filled.owner)
        async with room_socket(container.url, filled.room_code, token) as (room, _):
            # A member stays connected, reading as a browser does, while the container stops.
            stopped: list[tuple[float, int]] = []

            async def stop() -> None:
                stopped.append(await trio.to_thread.run_sync(stop_gracefully, container))

            async with trio.open_nursery() as nursery:
                nursery.start_soon(stop)
                close_code = await closed_with(room, timeout_s=GRACEFUL_LIMIT_S + 5)
        stopped_s, exit_code = stopped[0]
    figures(f"graceful stop (SIGTERM) took {stopped_s:.2f} s, exit code {exit_code}")
    assert close_code == 1012
    assert stopped_s < GRACEFUL_LIMIT_S
    assert exit_code == 0

    ready_again_s = container.start_again()
    figures(f"podman start after the stop: ready after {ready_again_s:.2f} s")
    async with httpx.AsyncClient(base_url=container.url, timeout=20) as http:
        with trio.fail_after(60):
            await check_instance(http, filled)
        me = await http.get("/api/v1/auth/me", headers=bearer(await login(http, filled.friend)))
        assert me.json()["username"] == filled.friend

    # A new container on the same volume (an upgrade: the old one removed) finds it all too.
    assert stop_gracefully(container)[1] == 0
    podman("rm", container.name)
    ready_new_s = container.start()
    figures(f"a new container on the same volume: ready after {ready_new_s:.2f} s")
    async with httpx.AsyncClient(base_url=container.url, timeout=20) as http:
        with trio.fail_after(60):
            await check_instance(http, filled)

    await back_up_and_restore_as_the_backup_guide_says(container, containers(), filled, figures)
