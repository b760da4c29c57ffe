"""Shared pieces for the benchmarks under tasks/: a server in its own process,
/proc sampling, percentiles and a throwaway PostgreSQL database.

The server always runs as a separate process so its CPU and memory can be read
from /proc apart from the load generator's. Everything here listens on and talks
to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

LOOPBACK = "127.0.0.1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Every limiter off (a benchmark signs up hundreds of accounts from one IP) and
# argon2 cheap: password hashing is not what the room benchmarks measure.
BENCH_SERVER_ENV = {
    "SYNCWATCH_REGISTER_LIMIT_PER_HOUR": "0",
    "SYNCWATCH_API_LIMIT_PER_MINUTE": "0",
    "SYNCWATCH_ROOM_CREATE_LIMIT_PER_HOUR": "0",
    "SYNCWATCH_LOGIN_LIMIT_PER_MINUTE": "0",
    "SYNCWATCH_ARGON2_TIME_COST": "1",
    "SYNCWATCH_ARGON2_MEMORY_KIB": "1024",
    "SYNCWATCH_ARGON2_PARALLELISM": "1",
}


def fleet_environment(redis_url: str, public_url: str, media: Path) -> dict[str, str]:
    """What every instance of one service behind nginx shares: Redis, the public
    address nginx answers at, the secret key, and one media store."""
    return {
        "SYNCWATCH_REDIS_URL": redis_url,
        "SYNCWATCH_PUBLIC_URL": public_url,
        "SYNCWATCH_TRUST_PROXY_HEADERS": "true",
        "SYNCWATCH_SECRET_KEY": secrets.token_urlsafe(48),
        "SYNCWATCH_STORAGE_URL": f"file://{media}",
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def own_scheduling_group(nice: int = 0) -> None:
    """Make this process a session of its own, with scheduling priority `nice`.

    Linux with autogroups (`/proc/sys/kernel/sched_autogroup_enabled`) shares the
    CPU fairly between sessions first: a server in the benchmark's session would
    share one slice with its own clients while every other session on the machine
    gets a slice each. Its own session gives the server (and each client process)
    its own slice. A negative `nice` (root only) raises that group's share; it is
    applied to the process (threads started later inherit it) and to its autogroup,
    since with autogroups a process's nice counts only within its group.
    """
    with contextlib.suppress(PermissionError):  # already a session leader
        os.setsid()
    if nice:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
        with contextlib.suppress(OSError):
            Path("/proc/self/autogroup").write_text(str(nice))


# --- /proc -----------------------------------------------------------------------------


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """utime + stime of a process (all its threads), or of one of its threads, in seconds."""
    raw = Path(f"/proc/{pid}/task/{thread}/stat" if thread else f"/proc/{pid}/stat").read_text()
    # The command name may contain spaces and parentheses: split after the last ")".
    fields = raw[raw.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLOCK_TICKS


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def run_queue_wait_seconds(pid: int) -> float:
    """Time the process's main thread spent runnable but waiting for a CPU (schedstat)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) / 1e9


def machine_busy_seconds() -> float:
    """CPU time all processes used on all cores (the "cpu" line of /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


@dataclass(slots=True)
class MachineWindow:
    """What else ran on the machine during a window: CPU % (of one core) used by every
    process not in `ours`, and how long the server waited for a CPU while runnable.

    The benchmarks share a 2-core machine; when other work competes, latency says more
    about the machine than about the server, and these two figures say so.
    """

    ours: Sequence[int]
    server: int
    clients: Sequence[int]
    _busy0: float = 0.0
    _ours0: float = 0.0
    _wait0: float = 0.0
    _client_wait0: float = 0.0
    _wall0: float = 0.0
    other_cpu: float = math.nan
    server_wait: float = math.nan  # % of the window the server was runnable but not running
    client_wait: float = math.nan  # the same for the client processes, on average

    def start(self) -> None:
        self._busy0 = machine_busy_seconds()
        self._ours0 = sum(cpu_seconds(pid) for pid in self.ours)
        self._wait0 = run_queue_wait_seconds(self.server)
        self._client_wait0 = sum(run_queue_wait_seconds(pid) for pid in self.clients)
        self._wall0 = time.perf_counter()

    def stop(self) -> None:
        wall = time.perf_counter() - self._wall0
        busy = machine_busy_seconds() - self._busy0
        ours = sum(cpu_seconds(pid) for pid in self.ours) - self._ours0
        self.other_cpu = max(0.0, 100.0 * (busy - ours) / wall)
        self.server_wait = 100.0 * (run_queue_wait_seconds(self.server) - self._wait0) / wall
        client_wait = sum(run_queue_wait_seconds(pid) for pid in self.clients)
        self.client_wait = (
            100.0 * (client_wait - self._client_wait0) / wall / max(1, len(self.clients))
        )


@dataclass(slots=True)
class CpuWindow:
    """CPU used by a set of processes between `start()` and `stop()`, as % of one core."""

    pids: Sequence[int]
    _cpu0: float = 0.0
    _wall0: float = 0.0
    percent: float = math.nan

    def start(self) -> None:
        self._cpu0 = sum(cpu_seconds(pid) for pid in self.pids)
        self._wall0 = time.perf_counter()

    def stop(self) -> float:
        used = sum(cpu_seconds(pid) for pid in self.pids) - self._cpu0
        self.percent = 100.0 * used / (time.perf_counter() - self._wall0)
        return self.percent


# --- statistics --------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: every figure is a real sample)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    finite = sorted(v for v in values if not math.isnan(v))
    if not finite:
        return math.nan
    middle = len(finite) // 2
    if len(finite) % 2:
        return finite[middle]
    return (finite[middle - 1] + finite[middle]) / 2


# --- the server ----------------------------------------------------------------------------


class ServerProcess:
    """`python -m syncwatch serve` on loopback in its own process; SIGTERM on exit."""

    def __init__(
        self,
        data_dir: Path,
        *,
        database_url: str | None = None,
        extra_env: Mapping[str, str] | None = None,
        ready_timeout_s: float = 30.0,
        nice: int = 0,
    ) -> None:
        self.port = free_port()
        self.base_url = f"http://{LOOPBACK}:{self.port}"
        self.data_dir = data_dir
        self.log_path = data_dir / "server.log"
        self._database_url = database_url
        self._extra_env = dict(extra_env or {})
        self._ready_timeout_s = ready_timeout_s
        self._nice = nice
        self._process: subprocess.Popen[bytes] | None = None
        self._log: object | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None, "server not started"
        return self._process.pid

    def __enter__(self) -> ServerProcess:
        env = {**os.environ, **BENCH_SERVER_ENV, **self._extra_env}
        if self._database_url:
            env["SYNCWATCH_DATABASE_URL"] = self._database_url
        command = [sys.executable, "-m", "syncwatch", "serve", "--host", LOOPBACK]
        command += ["--port", str(self.port), "--data-dir", str(self.data_dir)]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self._log = log
        self._process = subprocess.Popen(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=lambda: own_scheduling_group(self._nice),
        )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self._ready_timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_tail()}")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(f"{self.base_url}/health/live", timeout=1) as answer,
            ):
                if answer.status == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"server not ready after {self._ready_timeout_s} s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: nothing is saved, nothing closed."""
        assert self._process is not None, "server not started"
        self._process.kill()
        self._process.wait()

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def __exit__(self, *_exc: object) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()  # type: ignore[attr-defined]
            self._log = None


# --- PostgreSQL --------------------------------------------------------------------------


@contextlib.contextmanager
def throwaway_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server `server_url` names; dropped afterwards.

    Yields the URL of the new database (same credentials, other database name).
    """
    import psycopg

    name = f"syncwatch_bench_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Prometheus histograms -----------------------------------------------------------------


def histogram_buckets(base_url: str, name: str) -> dict[float, float]:
    """Cumulative bucket counts of histogram `name` from `/metrics`, summed over labels.

    Empty when the server does not answer within 5 s (it may be saturated: the
    figures this feeds are then unknown, not a reason to abandon the run).
    """
    try:
        with urllib.request.urlopen(f"{base_url}/metrics", timeout=5) as answer:
            text = answer.read().decode()
    except (OSError, urllib.error.URLError):
        return {}
    buckets: dict[float, float] = {}
    prefix = f"{name}_bucket{{"
    for line in text.splitlines():
        if not line.startswith(prefix):
            continue
        labels, value = line[len(prefix) :].rsplit("} ", 1)
        bound = labels.split('le="', 1)[1].split('"', 1)[0]
        le = math.inf if bound == "+Inf" else float(bound)
        buckets[le] = buckets.get(le, 0.0) + float(value)
    return buckets


def bucket_percentile(
    before: Mapping[float, float], after: Mapping[float, float], fraction: float
) -> float:
    """The upper bound of the bucket holding the `fraction` quantile of what was observed
    between two scrapes (inf when it lies past the last finite bucket, nan when empty)."""
    if not before or not after:
        return math.nan
    bounds = sorted(after)
    delta = [after[le] - before.get(le, 0.0) for le in bounds]
    if not delta or delta[-1] <= 0:
        return math.nan
    target = fraction * delta[-1]
    for le, cumulative in zip(bounds, delta, strict=True):
        if cumulative >= target:
            return le
    return math.inf
