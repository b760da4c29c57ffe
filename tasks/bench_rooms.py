"""Rooms benchmark: many live rooms of five on one server process.

    nox -s bench -- rooms [--rooms 50,100,200] [--seconds 20] [--warmup 5] [--repeat 1]
                          [--client-procs auto|1|2] [--database-url postgresql://...]
                          [--arrivals S] [--instances N]

For each room count R, a fresh server (`python -m syncwatch serve`, its own
process, on 127.0.0.1) gets R rooms of 5 members (the owner, two registered
users, two guests). Every member sends `presence:heartbeat` every 5 s and
`time:ping` every 2 s; every owner issues one sync command per second (play,
pause, seek in turn, after setting a source). After a warm-up the benchmark
measures for a fixed window:

- fan-out latency: from the owner's send of a command to the moment the fifth
  member (the last of the five, the sender included) holds the `sync:command`
  with that sequence number. All members of a room live in one client process,
  so one `time.perf_counter` clock serves;
- server CPU (utime + stime from /proc over the window, % of one core), server
  RSS under load, and RSS per connection = (RSS under load - RSS idle after
  setup, before any socket) / connections;
- client CPU, so a reader can tell whether the load generator kept up.

With `--arrivals S` the rooms do not all connect before the load: they arrive one
by one over the first S seconds of it, while the rooms already in run (what a
server sees when more rooms are offered than it can take). A room whose member is
turned away (close 1013 `overloaded`) is counted as refused and issues no
commands; the latency figures are the admitted rooms'.

With `--instances N` (needs `--database-url`) the rooms run on N instances
behind Debian's nginx with the shipped configuration (`deploy/nginx/`, TLS with a
self-signed certificate, rooms routed by a hash of their code), sharing
PostgreSQL and a Redis server of the benchmark's own: the clients speak to nginx
only, and server CPU and memory are the instances' sums. `--instances 1` is the
baseline to compare with (one instance, the same proxy in front).

With more than 250 sockets the clients are split over two processes (one
Python process cannot both run 1,000 sockets and time them on this 2-core
machine) and their samples merged; the output says so.

The goals printed per row (issue 15): 200 rooms p99 ≤ 25 ms and under 64 KiB RSS
per connection; 500 rooms p99 ≤ 50 ms and nothing lost; more rooms offered: the
excess refused, the admitted rooms' p99 ≤ 100 ms and nothing lost.
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import itertools
import json
import math
import multiprocessing
import os
import random
import secrets
import ssl
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import trio
from trio_websocket import ConnectionClosed, WebSocketConnection, open_websocket_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tasks"))
sys.path.insert(0, str(ROOT))

from benchkit import (  # noqa: E402
    CpuWindow,
    MachineWindow,
    ServerProcess,
    bucket_percentile,
    fleet_environment,
    free_port,
    histogram_buckets,
    median,
    own_scheduling_group,
    percentile,
    rss_kib,
    throwaway_postgres_database,
)

from tests.support.proxy import nginx_in_front  # noqa: E402
from tests.support.redis_server import OwnRedis  # noqa: E402

PROTOCOL = "1.0.0"
MEMBERS_PER_ROOM = 5
PING_EVERY_S = 2.0
HEARTBEAT_EVERY_S = 5.0
COMMAND_EVERY_S = 1.0
DRAIN_S = 2.0  # after the window: time for the last commands to reach everyone
STOP_GRACE_S = 5.0  # after the drain: sockets still open are cut off
SOCKETS_PER_CLIENT_PROCESS = 250
SOURCE_ACK_TIMEOUT_S = 30.0
GOAL_ROOMS = 200
GOAL_P99_MS = 25.0
GOAL_KIB_PER_CONNECTION = 64.0
PASSWORD = "bench password"
SERVER_LATENCY_METRIC = "syncwatch_sync_command_latency_ms"


@dataclass(slots=True)
class RoomPlan:
    code: str
    tokens: list[str]  # the owner's first


@dataclass(slots=True)
class Window:
    load_start: float  # perf_counter: commands start
    measure_start: float
    measure_end: float
    command_every_s: float = COMMAND_EVERY_S
    # 0: every room connects before the load starts. Else the rooms arrive one by one
    # over this many seconds from `load_start`, while the rooms already in run.
    arrivals_s: float = 0.0


@dataclass(slots=True)
class ClientResult:
    latencies_ms: list[float]
    sent_at: list[float]  # perf_counter send time of each latency sample, same order
    commands_measured: int
    incomplete: int  # measured commands that did not reach all five
    refused: int  # `error` frames received and members turned away at the door
    closed: dict[str, int]  # close codes of sockets the server closed during the run
    sent_frames: int
    rooms_refused: int = 0  # rooms a member of which was turned away: they issue no commands


# --- client side (runs in worker processes) -------------------------------------------------


@dataclass(slots=True)
class _RoomTrace:
    sent_at: dict[str, float] = field(default_factory=dict)  # message id -> send time
    seq_of: dict[str, int] = field(default_factory=dict)  # message id -> acked sequence number
    received: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    source_acked: trio.Event = field(default_factory=trio.Event)
    # Arrivals: the room's fate once every member has been let in or one turned away.
    members_in: int = 0
    refused: bool = False
    answered: trio.Event = field(default_factory=trio.Event)  # the first member let in or not
    settled: trio.Event = field(default_factory=trio.Event)

    def member_in(self) -> None:
        self.members_in += 1
        self.answered.set()
        if self.members_in == MEMBERS_PER_ROOM:
            self.settled.set()

    def member_refused(self) -> None:
        self.refused = True
        self.answered.set()
        self.settled.set()


@dataclass(slots=True)
class _Counters:
    refused: int = 0
    sent: int = 0
    closed: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _ws_url(base_url: str, code: str) -> str:
    scheme, rest = base_url.split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/ws/rooms/{code}"


def _tls(certificate: str | None) -> ssl.SSLContext | None:
    """What the clients trust: the benchmark's own certificate, when nginx is in front."""
    return None if certificate is None else ssl.create_default_context(cafile=certificate)


def _trio_deadline(perf_time: float) -> float:
    return trio.current_time() + (perf_time - time.perf_counter())


async def _send(ws: WebSocketConnection, counters: _Counters, frame: dict[str, Any]) -> None:
    await ws.send_message(json.dumps(frame, separators=(",", ":")))
    counters.sent += 1


async def _read(
    ws: WebSocketConnection, trace: _RoomTrace, counters: _Counters, owner: bool
) -> None:
    """Timestamp every `sync:command`; the owner also maps its acks to sequence numbers.

    Only frames that matter are parsed: pongs and presence updates are read and dropped.
    """
    try:
        while True:
            text = await ws.get_message()
            now = time.perf_counter()
            if "sync:command" in text:
                trace.received[json.loads(text)["data"]["sequenceNumber"]].append(now)
            elif '"error"' in text and '"type":"error"' in text:
                counters.refused += 1
            elif owner and '"type":"ack"' in text:
                message = json.loads(text)
                sequence = message["data"].get("sequenceNumber")
                if message.get("re") == "source":
                    trace.source_acked.set()
                elif sequence is not None:
                    trace.seq_of[message["re"]] = sequence
    except ConnectionClosed as closed:
        counters.closed[str(closed.reason.code) if closed.reason else "?"] += 1


class _KeepAlive:
    """Every member's ping every 2 s and heartbeat every 5 s, at a random phase per
    member, sent by one task for the whole client process.

    A sleeping task per member cost the client a timer and a cancellation at every
    wake-up: thousands a second, which in a join storm took CPU the server shares
    with the clients on this machine. Sends are due within one tick (20 ms).
    """

    TICK_S = 0.02

    def __init__(self, counters: _Counters) -> None:
        self._counters = counters
        self._due: list[tuple[float, int, str, WebSocketConnection]] = []
        self._order = itertools.count()

    def add(self, ws: WebSocketConnection) -> None:
        start = trio.current_time() + random.uniform(0, PING_EVERY_S)
        heapq.heappush(self._due, (start, next(self._order), "ping", ws))
        heapq.heappush(self._due, (start + HEARTBEAT_EVERY_S, next(self._order), "beat", ws))

    async def run(self) -> None:
        while True:
            await trio.sleep(self.TICK_S)
            now = trio.current_time()
            while self._due and self._due[0][0] <= now:
                due, _, kind, ws = heapq.heappop(self._due)
                if ws.closed:
                    continue  # the member left: its schedule ends
                if kind == "ping":
                    t0 = time.time() * 1000
                    frame: dict[str, Any] = {"type": "time:ping", "data": {"t0": t0}}
                    every = PING_EVERY_S
                else:
                    frame = {"type": "presence:heartbeat", "data": {}}
                    every = HEARTBEAT_EVERY_S
                with contextlib.suppress(ConnectionClosed):
                    await _send(ws, self._counters, frame)
                    heapq.heappush(self._due, (due + every, next(self._order), kind, ws))


async def _command(
    ws: WebSocketConnection, trace: _RoomTrace, counters: _Counters, window: Window
) -> None:
    """One sync command a second (play, pause, seek in turn) from a random phase."""
    every = window.command_every_s
    await trio.sleep_until(_trio_deadline(window.load_start) + random.uniform(0, every))
    start = trio.current_time()
    for n in itertools.count():
        await trio.sleep_until(start + n * every)
        kind = ("sync:play", "sync:pause", "sync:seek")[n % 3]
        data = {"targetMediaTimeMs": 1000 * (n % 600)} if kind == "sync:seek" else {}
        message_id = f"c{n}"
        trace.sent_at[message_id] = time.perf_counter()
        await _send(ws, counters, {"type": kind, "id": message_id, "data": data})


async def _member(
    base_url: str,
    plan: RoomPlan,
    index: int,
    trace: _RoomTrace,
    counters: _Counters,
    connect_slots: trio.Semaphore,
    connected: trio.MemorySendChannel[int],
    go: trio.Event,
    window_box: list[Window],
    stop: trio.Event,
    keep_alive: _KeepAlive,
    tls: ssl.SSLContext | None = None,
) -> None:
    owner = index == 0
    # Connections open a few at a time; a slot is held only until the welcome arrives.
    await connect_slots.acquire()
    holding = True
    welcomed = False
    try:
        async with open_websocket_url(
            _ws_url(base_url, plan.code),
            ssl_context=tls,
            message_queue_size=64,
            max_message_size=1 << 20,
        ) as ws:
            hello = {"protocolVersion": PROTOCOL, "token": plan.tokens[index]}
            await _send(ws, counters, {"type": "hello", "data": hello})
            while '"welcome"' not in (await ws.get_message()):
                pass
            welcomed = True
            trace.member_in()
            connect_slots.release()
            holding = False
            async with trio.open_nursery() as nursery:
                nursery.start_soon(_read, ws, trace, counters, owner)
                keep_alive.add(ws)
                if owner:
                    source = {
                        "sourceType": "url",
                        "url": f"https://media.example.org/{plan.code}.mp4",
                    }
                    await _send(
                        ws, counters, {"type": "sync:source", "id": "source", "data": source}
                    )
                    with trio.move_on_after(SOURCE_ACK_TIMEOUT_S):
                        await trace.source_acked.wait()
                    if not trace.source_acked.is_set():
                        raise RuntimeError(
                            f"room {plan.code}: no ack for sync:source within "
                            f"{SOURCE_ACK_TIMEOUT_S:g} s (server overloaded?)"
                        )
                await connected.send(1)
                if owner:
                    await go.wait()
                    if window_box[0].arrivals_s:
                        await trace.settled.wait()  # all five in, or the room was refused
                    if not trace.refused:
                        nursery.start_soon(_command, ws, trace, counters, window_box[0])
                await stop.wait()
                nursery.cancel_scope.cancel()
    except* ConnectionClosed as group:
        if not welcomed:
            # Turned away at the door (1013 `overloaded` while the server is saturated):
            # counted as refused, and the run goes on with the members admitted.
            closed = group.exceptions[0]
            assert isinstance(closed, ConnectionClosed)
            counters.refused += 1
            counters.closed[str(closed.reason.code) if closed.reason else "?"] += 1
            trace.member_refused()
            await connected.send(1)
        # Otherwise the server closed this socket later: `_read` counted its close code.
    finally:
        if holding:
            connect_slots.release()


async def _client_main(
    base_url: str, plans: list[RoomPlan], pipe: Connection, certificate: str | None = None
) -> ClientResult:
    traces = [_RoomTrace() for _ in plans]
    tls = _tls(certificate)
    counters = _Counters()
    connect_slots = trio.Semaphore(16)
    go, stop = trio.Event(), trio.Event()
    window_box: list[Window] = []
    connected_send, connected_receive = trio.open_memory_channel[int](math.inf)
    expected = len(plans) * MEMBERS_PER_ROOM

    def members_of(plan: RoomPlan, trace: _RoomTrace) -> list[Any]:
        return [
            partial(
                _member,
                base_url,
                plan,
                index,
                trace,
                counters,
                connect_slots,
                connected_send,
                go,
                window_box,
                stop,
                keep_alive,
                tls,
            )
            for index in range(MEMBERS_PER_ROOM)
        ]

    keep_alive = _KeepAlive(counters)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(keep_alive.run)
        arriving = bool(pipe.recv())  # the parent says first whether rooms arrive under load
        if not arriving:
            for plan, trace in zip(plans, traces, strict=True):
                # The owner connects first so the room is theirs before guests arrive.
                for member in members_of(plan, trace):
                    nursery.start_soon(member)
            with trio.fail_after(180):
                for _ in range(expected):
                    await connected_receive.receive()
        pipe.send("connected")
        window: Window = await trio.to_thread.run_sync(pipe.recv, abandon_on_cancel=True)
        window_box.append(window)
        go.set()
        if arriving:
            nursery.start_soon(_arrive, plans, traces, members_of, window)
        await trio.sleep_until(_trio_deadline(window.measure_end + DRAIN_S))
        stop.set()
        # Members still at the door of a saturated server (a handshake or a `hello` not
        # yet answered) do not watch `stop`: whatever has not ended by then is cut off.
        nursery.cancel_scope.deadline = trio.current_time() + STOP_GRACE_S
    result = _collect(traces, counters, window)
    result.rooms_refused = sum(trace.refused for trace in traces)
    return result


async def _arrive(
    plans: list[RoomPlan], traces: list[_RoomTrace], members_of: Any, window: Window
) -> None:
    """Rooms come in one by one over `arrivals_s` while the earlier ones run: the owner
    first; once the owner is let in, the other four. A room whose owner is turned away
    (1013) is refused whole."""
    spacing = window.arrivals_s / max(1, len(plans))
    start = _trio_deadline(window.load_start)
    async with trio.open_nursery() as nursery:
        for n, (plan, trace) in enumerate(zip(plans, traces, strict=True)):
            await trio.sleep_until(start + n * spacing)
            nursery.start_soon(_one_arrival, trace, members_of(plan, trace))


async def _one_arrival(trace: _RoomTrace, members: list[Any]) -> None:
    async with trio.open_nursery() as nursery:
        nursery.start_soon(members[0])
        # An event, not polling: hundreds of rooms wait for their owner's answer from a
        # saturated server, and a poll each 10 ms cost the client a sixth of its CPU.
        await trace.answered.wait()
        if trace.refused:
            return
        for member in members[1:]:
            nursery.start_soon(member)


def _collect(traces: list[_RoomTrace], counters: _Counters, window: Window) -> ClientResult:
    latencies: list[float] = []
    sent_times: list[float] = []
    measured = incomplete = 0
    for trace in traces:
        for message_id, sent in trace.sent_at.items():
            if not window.measure_start <= sent < window.measure_end:
                continue
            measured += 1
            sequence = trace.seq_of.get(message_id)
            arrivals = trace.received.get(sequence, []) if sequence is not None else []
            if len(arrivals) < MEMBERS_PER_ROOM:
                incomplete += 1
                continue
            latencies.append((max(arrivals) - sent) * 1000)
            sent_times.append(sent)
    return ClientResult(
        latencies_ms=latencies,
        sent_at=sent_times,
        commands_measured=measured,
        incomplete=incomplete,
        refused=counters.refused,
        closed=dict(counters.closed),
        sent_frames=counters.sent,
    )


def client_process(
    base_url: str,
    plans: list[RoomPlan],
    pipe: Connection,
    nice: int,
    certificate: str | None = None,
) -> None:
    """Entry point of a client worker process: connect, report, load, send results back."""
    own_scheduling_group(nice)
    try:
        result = trio.run(_client_main, base_url, plans, pipe, certificate)
    except BaseException as error:
        pipe.send(f"failed: {error!r}")
        raise
    pipe.send(result)


# --- setup over HTTP -----------------------------------------------------------------------


async def _setup_rooms(base_url: str, rooms: int, certificate: str | None = None) -> list[RoomPlan]:
    """Register R owners and create their rooms; two registered users and two guests each."""
    tag = secrets.token_hex(3)
    slots = trio.CapacityLimiter(8)
    plans: list[RoomPlan | None] = [None] * rooms

    async def register(http: httpx.AsyncClient, username: str) -> str:
        body = {"email": f"{username}@example.org", "username": username, "password": PASSWORD}
        response = await http.post("/api/v1/auth/register", json=body)
        response.raise_for_status()
        return str(response.json()["accessToken"])

    async def guest(http: httpx.AsyncClient) -> str:
        response = await http.post("/api/v1/auth/guest", json={})
        response.raise_for_status()
        return str(response.json()["accessToken"])

    async def one_room(http: httpx.AsyncClient, n: int) -> None:
        async with slots:
            owner = await register(http, f"b{tag}_{n}_o")
            while True:
                response = await http.post(
                    "/api/v1/rooms",
                    json={
                        "name": f"Bench {n}",
                        "maxParticipants": 5,
                        "playbackControl": "owner_only",
                    },
                    headers={"Authorization": f"Bearer {owner}"},
                )
                if response.status_code != 503:  # saturated: try again as told
                    break
                await trio.sleep(int(response.headers.get("Retry-After", "1")))
            response.raise_for_status()
            members = [await register(http, f"b{tag}_{n}_u{k}") for k in range(2)]
            members += [await guest(http) for _ in range(2)]
            plans[n] = RoomPlan(code=response.json()["code"], tokens=[owner, *members])

    verify: ssl.SSLContext | bool = _tls(certificate) or True
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=30, verify=verify) as http,
        trio.open_nursery() as n,
    ):
        for i in range(rooms):
            n.start_soon(one_room, http, i)
    return [plan for plan in plans if plan is not None]


# --- one run -------------------------------------------------------------------------------


@dataclass(slots=True)
class RunResult:
    rooms: int
    sockets: int
    client_procs: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    samples: int
    incomplete: int
    refused: int
    rooms_refused: int
    closed: dict[str, int]
    server_cpu: float
    client_cpu: float
    other_cpu: float  # everything else on the machine, % of one core
    server_wait: float  # % of the window the server waited for a CPU while runnable
    client_wait: float  # the same for a client process (average)
    rss_idle_kib: int
    rss_load_kib: int
    server_p50_le_ms: float  # the server's own receipt-to-broadcast time, bucket bound
    server_p99_le_ms: float
    samples_at: list[tuple[float, float]]  # (seconds into the window, latency ms)
    instance_cpu: list[float] = field(default_factory=list)  # each instance's, behind nginx

    @property
    def kib_per_connection(self) -> float:
        return (self.rss_load_kib - self.rss_idle_kib) / self.sockets


def _receive(pipe: Connection, timeout_s: float, what: str) -> Any:
    if not pipe.poll(timeout_s):
        raise RuntimeError(f"client process: no {what} within {timeout_s:.0f} s")
    message = pipe.recv()
    if isinstance(message, str) and message.startswith("failed"):
        raise RuntimeError(f"client process {message}")
    return message


@dataclass(slots=True)
class Front:
    servers: list[ServerProcess]
    base_url: str
    certificate: str


@contextmanager
def behind_nginx(work: Path, instances: int, database_url: str, nice: int) -> Iterator[Front]:
    """`instances` servers on one database and a Redis of our own, behind Debian's nginx
    with the shipped configuration (TLS, rooms routed by code); yields once nginx answers."""
    with ExitStack() as stack:
        own_redis = OwnRedis()
        own_redis.start()
        stack.callback(own_redis.stop)
        https_port, http_port = free_port(), free_port()
        base_url = f"https://localhost:{https_port}"
        shared = fleet_environment(own_redis.url, base_url, work / "media")
        servers = [
            stack.enter_context(
                ServerProcess(
                    work / f"instance{n + 1}", database_url=database_url, extra_env=shared,
                    nice=nice,
                )
            )
            for n in range(instances)
        ]  # fmt: skip
        ports = tuple(server.port for server in servers)
        proxy = stack.enter_context(
            nginx_in_front(work, http_port=http_port, https_port=https_port, app_ports=ports)
        )
        yield Front(servers, base_url, str(proxy.certificate))


def _histograms(servers: list[ServerProcess]) -> dict[float, float]:
    """The command latency histogram, summed over the instances."""
    total: dict[float, float] = defaultdict(float)
    for server in servers:
        for bound, count in histogram_buckets(server.base_url, SERVER_LATENCY_METRIC).items():
            total[bound] += count
    return dict(total)


def run_once(
    rooms: int,
    *,
    seconds: float,
    warmup: float,
    client_procs: int,
    database_url: str | None,
    nice: int,
    command_every_s: float = COMMAND_EVERY_S,
    arrivals_s: float = 0.0,
    instances: int = 0,
) -> RunResult:
    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sw-bench-")))
        if database_url:
            database_url = stack.enter_context(throwaway_postgres_database(database_url))
        if instances:
            assert database_url, "instances share a PostgreSQL database: --database-url"
            front = stack.enter_context(behind_nginx(data_dir, instances, database_url, nice))
            servers, base_url, certificate = front.servers, front.base_url, front.certificate
        else:
            servers = [
                stack.enter_context(ServerProcess(data_dir, database_url=database_url, nice=nice))
            ]
            base_url, certificate = servers[0].base_url, None
        server_pids = [server.pid for server in servers]
        plans = trio.run(_setup_rooms, base_url, rooms, certificate)
        time.sleep(1.0)  # let the setup's garbage settle before the idle reading
        rss_idle = sum(rss_kib(pid) for pid in server_pids)

        context = multiprocessing.get_context("spawn")
        workers: list[tuple[Any, Connection]] = []
        try:
            for share in range(client_procs):
                ours, theirs = context.Pipe()
                worker = context.Process(
                    target=client_process,
                    args=(base_url, plans[share::client_procs], theirs, nice, certificate),
                    daemon=True,
                )
                worker.start()
                workers.append((worker, ours))
                ours.send(arrivals_s > 0)
            for _, pipe in workers:
                _receive(pipe, 240, "connections")

            load_start = time.perf_counter() + 0.2
            window = Window(
                load_start,
                load_start + warmup,
                load_start + warmup + seconds,
                command_every_s,
                arrivals_s,
            )
            for _, pipe in workers:
                pipe.send(window)
            server_cpu = CpuWindow(server_pids)
            instance_cpu = [CpuWindow([pid]) for pid in server_pids] if instances else []
            client_cpu = CpuWindow([worker.pid for worker, _ in workers])
            client_pids = [worker.pid for worker, _ in workers]
            machine = MachineWindow(
                [*server_pids, os.getpid(), *client_pids], server_pids[0], client_pids
            )
            time.sleep(max(0.0, window.measure_start - time.perf_counter()))
            server_cpu.start()
            for each in instance_cpu:
                each.start()
            client_cpu.start()
            machine.start()
            histogram_before = _histograms(servers)
            time.sleep(max(0.0, window.measure_end - time.perf_counter()))
            server_cpu.stop()
            for each in instance_cpu:
                each.stop()
            client_cpu.stop()
            machine.stop()
            for server in servers:
                if not server.alive():
                    raise RuntimeError(f"a server stopped during the run:\n{server.log_tail()}")
            histogram_after = _histograms(servers)
            rss_load = sum(rss_kib(pid) for pid in server_pids)
            results: list[ClientResult] = [
                _receive(pipe, DRAIN_S + 60, "results") for _, pipe in workers
            ]
        finally:
            for worker, pipe in workers:
                worker.join(timeout=15)
                if worker.is_alive():
                    worker.terminate()
                    worker.join()
                pipe.close()

    latencies = [value for result in results for value in result.latencies_ms]
    closed: dict[str, int] = defaultdict(int)
    for result in results:
        for code, count in result.closed.items():
            closed[code] += count
    return RunResult(
        rooms=rooms,
        sockets=rooms * MEMBERS_PER_ROOM,
        client_procs=client_procs,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        max_ms=max(latencies, default=math.nan),
        samples=len(latencies),
        incomplete=sum(r.incomplete for r in results),
        refused=sum(r.refused for r in results),
        rooms_refused=sum(r.rooms_refused for r in results),
        closed=dict(closed),
        server_cpu=server_cpu.percent,
        client_cpu=client_cpu.percent,
        other_cpu=machine.other_cpu,
        server_wait=machine.server_wait,
        client_wait=machine.client_wait,
        rss_idle_kib=rss_idle,
        rss_load_kib=rss_load,
        server_p50_le_ms=bucket_percentile(histogram_before, histogram_after, 0.50),
        server_p99_le_ms=bucket_percentile(histogram_before, histogram_after, 0.99),
        samples_at=sorted(
            (sent - window.measure_start, latency)
            for result in results
            for sent, latency in zip(result.sent_at, result.latencies_ms, strict=True)
        ),
        instance_cpu=[each.percent for each in instance_cpu],
    )


# --- the report ----------------------------------------------------------------------------

HEADER = (
    "| rooms | sockets | client procs | samples | p50 ms | p99 ms | max ms | lost "
    "| rooms refused | server CPU % | server CPU wait % | client CPU % | other CPU % "
    "| RSS idle MiB | RSS load MiB | KiB/conn | goal |"
)
RULE = "|" + "---|" * 17
BUSY_MACHINE_CPU = 25.0  # other processes' CPU % above which a row is marked unreliable


def _goal(
    rooms: int, p99: float, kib: float, lost: int, refused: int = 0, *, arriving: bool = False
) -> str:
    """Issue 15's goals: 200 rooms p99 ≤ 25 ms (and under 64 KiB per connection); 500
    rooms p99 ≤ 50 ms and nothing lost; more offered: the admitted rooms p99 ≤ 100 ms and
    nothing lost (the excess refused). Only rooms offered on purpose beyond what the
    server takes (`--arrivals`) may be refused: a 500-room run that serves 250 and
    refuses the rest has not served 500 rooms, whatever their latency."""
    misses = []
    if refused and not arriving:
        misses.append(f"{refused} room{'' if refused == 1 else 's'} refused")
    limit = GOAL_P99_MS if rooms <= GOAL_ROOMS else 50.0 if rooms <= 500 else 100.0
    if not p99 <= limit:
        misses.append(f"p99 > {limit:g} ms")
    if rooms <= GOAL_ROOMS and not kib < GOAL_KIB_PER_CONNECTION:
        misses.append(f"≥ {GOAL_KIB_PER_CONNECTION:g} KiB/conn")
    if rooms > GOAL_ROOMS and lost:
        misses.append(f"{lost} lost")
    return "met" if not misses else "not met (" + ", ".join(misses) + ")"


def summary_row(runs: list[RunResult], *, arriving: bool = False) -> tuple[str, float, float]:
    """One table row for one room count; medians over repeats (`arriving`: rooms were
    offered over time, beyond what the server takes)."""
    first = runs[0]
    p50 = median([r.p50_ms for r in runs])
    p99 = median([r.p99_ms for r in runs])
    kib = median([r.kib_per_connection for r in runs])
    busy = median([r.other_cpu for r in runs]) > BUSY_MACHINE_CPU
    cells = [
        str(first.rooms),
        str(first.sockets),
        str(first.client_procs),
        str(sum(r.samples for r in runs)),
        f"{p50:.2f}",
        f"{p99:.2f}",
        f"{median([r.max_ms for r in runs]):.1f}",
        str(sum(r.incomplete for r in runs)),
        str(sum(r.rooms_refused for r in runs)),
        f"{median([r.server_cpu for r in runs]):.0f}",
        f"{median([r.server_wait for r in runs]):.0f}",
        f"{median([r.client_cpu for r in runs]):.0f}",
        f"{median([r.other_cpu for r in runs]):.0f}",
        f"{median([r.rss_idle_kib for r in runs]) / 1024:.1f}",
        f"{median([r.rss_load_kib for r in runs]) / 1024:.1f}",
        f"{kib:.1f}",
        _goal(
            first.rooms,
            p99,
            kib,
            sum(r.incomplete for r in runs),
            max(r.rooms_refused for r in runs),
            arriving=arriving,
        )
        + (" (busy machine)" if busy else ""),
    ]
    return "| " + " | ".join(cells) + " |", p99, kib


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_rooms", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", default="50,100,200", help="room counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window per run")
    parser.add_argument("--warmup", type=float, default=5.0, help="load before measuring")
    parser.add_argument("--repeat", type=int, default=1, help="runs per room count (medians)")
    parser.add_argument(
        "--client-procs",
        default="auto",
        help=f"client processes: auto (1 up to {SOCKETS_PER_CLIENT_PROCESS} sockets, else 2)",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (postgresql://user@127.0.0.1/db); each run uses a "
        "throwaway database created there and dropped afterwards. Default: SQLite",
    )
    parser.add_argument(
        "--command-every",
        type=float,
        default=COMMAND_EVERY_S,
        help="seconds between one owner's commands (default 1; smaller fills each room's "
        "256-command replay log sooner, to see memory in the steady state)",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="scheduling priority of the server and client processes (each runs in a "
        "session of its own); on a shared machine a negative value (root only) keeps "
        "other work from skewing the figures",
    )
    parser.add_argument(
        "--arrivals",
        type=float,
        default=0.0,
        help="spread the rooms' arrival over this many seconds of load (0: every room "
        "connects before the load starts); refused rooms (1013) are counted and issue "
        "no commands, so the latency is the admitted rooms'",
    )
    parser.add_argument(
        "--instances",
        type=int,
        default=0,
        help="run N instances behind nginx with Redis (needs --database-url); 0: one "
        "server, no proxy. Compare N with 1 (the same proxy in front of one instance)",
    )
    parser.add_argument(
        "--samples-csv", type=Path, help="also write every fan-out sample to this CSV file"
    )
    args = parser.parse_args(argv)
    args.room_counts = [int(part) for part in args.rooms.split(",") if part.strip()]
    if args.instances and not args.database_url:
        parser.error("--instances needs --database-url (the instances share PostgreSQL)")
    return args


def _procs_for(rooms: int, choice: str) -> int:
    if choice != "auto":
        return max(1, int(choice))
    return 1 if rooms * MEMBERS_PER_ROOM <= SOCKETS_PER_CLIENT_PROCESS else 2


def main(argv: list[str]) -> int:
    args = _parse_args(argv)
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"rooms benchmark: {MEMBERS_PER_ROOM} members/room, ping {PING_EVERY_S:g} s, "
        f"heartbeat {HEARTBEAT_EVERY_S:g} s, a command every {args.command_every:g} s "
        f"per room; warm-up {args.warmup:g} s, "
        f"window {args.seconds:g} s, {args.repeat} run(s) each; {database}; "
        + (f"rooms arrive over {args.arrivals:g} s of load; " if args.arrivals else "")
        + (
            f"{args.instances} instance(s) behind nginx (TLS), Redis; CPU and memory "
            "are the instances' sums; "
            if args.instances
            else ""
        )
        + f"{multiprocessing.cpu_count()} cores"
        + (f"; nice {args.nice}" if args.nice else ""),
        flush=True,
    )
    rows: list[tuple[int, str, float, float]] = []
    failures = 0
    samples_csv = args.samples_csv.open("w") if args.samples_csv else None
    if samples_csv is not None:
        samples_csv.write("rooms,run,seconds_into_window,fanout_ms\n")
    for rooms in args.room_counts:
        procs = _procs_for(rooms, args.client_procs)
        runs: list[RunResult] = []
        for attempt in range(args.repeat):
            try:
                run = run_once(
                    rooms,
                    seconds=args.seconds,
                    warmup=args.warmup,
                    client_procs=procs,
                    database_url=args.database_url,
                    nice=args.nice,
                    command_every_s=args.command_every,
                    arrivals_s=args.arrivals,
                    instances=args.instances,
                )
            except RuntimeError as failure:
                print(f"  R={rooms} run {attempt + 1} failed: {failure}", flush=True)
                failures += 1
                continue
            runs.append(run)
            print(
                f"  R={rooms} run {attempt + 1}: p50 {run.p50_ms:.2f} ms, p99 {run.p99_ms:.2f} ms, "
                f"{run.samples} samples, lost {run.incomplete}, refused {run.refused} "
                f"(rooms {run.rooms_refused} of {rooms}), "
                f"closed {run.closed or 'none'}, server CPU {run.server_cpu:.0f}%"
                + (
                    " (" + " + ".join(f"{cpu:.0f}" for cpu in run.instance_cpu) + "), "
                    if run.instance_cpu
                    else ", "
                )
                + f"client CPU {run.client_cpu:.0f}% ({procs} process(es)), "
                f"other processes {run.other_cpu:.0f}% CPU, server waited for a CPU "
                f"{run.server_wait:.0f}% of the window (a client {run.client_wait:.0f}%), "
                f"{run.kib_per_connection:.1f} KiB/conn; server receipt-to-broadcast "
                f"p50 ≤ {run.server_p50_le_ms:g} ms, p99 ≤ {run.server_p99_le_ms:g} ms",
                flush=True,
            )
            if samples_csv is not None:
                for offset, latency in run.samples_at:
                    samples_csv.write(f"{rooms},{attempt + 1},{offset:.4f},{latency:.3f}\n")
        if not runs:
            rows.append((rooms, f"| {rooms} | failed: see above |", math.nan, math.nan))
            continue
        row, p99, kib = summary_row(runs, arriving=args.arrivals > 0)
        rows.append((rooms, row, p99, kib))
    if samples_csv is not None:
        samples_csv.close()

    print()
    print(HEADER)
    print(RULE)
    for _, row, _, _ in rows:
        print(row)
    if any(procs > 1 for procs in (_procs_for(r, args.client_procs) for r, *_ in rows)):
        print(
            f"\nclients: rows with 2 client processes split the rooms between two processes "
            f"(> {SOCKETS_PER_CLIENT_PROCESS} sockets) and merge their samples; "
            "client CPU % is the sum of both (200 % = both cores)."
        )
    if any("busy machine" in row for _, row, _, _ in rows):
        print(
            f"busy machine: other processes used over {BUSY_MACHINE_CPU:g} % CPU during "
            "the window; latency then measures the competition for the CPU as much as "
            "the server (see 'server CPU wait %')."
        )
    print(
        "goals (issue 15): 200 rooms p99 ≤ 25 ms; 500 rooms p99 ≤ 50 ms and 0 lost; "
        "more offered (--arrivals): the excess refused, the admitted p99 ≤ 100 ms, 0 lost"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
