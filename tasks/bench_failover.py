"""Failover benchmark: three instances behind nginx lose one to `kill -9`; then Redis
and PostgreSQL restart under them (issue 15 §2).

    nox -s bench -- failover [--rooms 20] [--before 6] [--after 15] [--outage 5]

Everything runs on loopback, and everything it breaks is its own: a PostgreSQL
cluster (initdb in a temporary directory, on a free port), a redis-server on a
free port, three `syncwatch serve` processes sharing them, the secret key and the
media storage, and Debian's nginx running the shipped deploy/nginx configuration
(rooms by a consistent hash of their code) with a self-signed certificate.

R rooms of five registered members connect through nginx (wss). Each owner issues
a sync command every second (and one at once after every welcome); every member
sends a chat line every 3 s and a heartbeat every 5 s. Clients reconnect on their
own as the web app does (web/src/api/roomSocket.ts): after 1006, 1011, 1012, 1013
or 4008 with jittered exponential backoff (0.5 s doubling, "equal jitter"), never
sooner than an `error`'s `retryAfter`, resuming with `lastSeq` and
`lastMessageId`; a close that means "give up" (4001, 4003, 4004, 4009, 4010,
4011) counts as a client that needed user action.

1. kill -9 the instance running the most rooms. Printed: for each affected room,
   the time from the kill until it acknowledges a command again and until all
   five members are back (goal ≤ 5 s); sequence gaps (a `sync:command` that is not
   the one after the connection's last), repeats (a number seen twice by a client,
   two different commands under one number, or a welcome behind what a client
   already had), acknowledged chat missing from the database afterwards, and
   clients that needed user action (goal 0 each).
2. Redis is killed (SIGKILL, as a crash would) for --outage seconds and started again on
   the same port: readiness of each instance during and after, commands
   acknowledged meanwhile, closes seen, time until every instance says "ok".
3. PostgreSQL is stopped (`pg_ctl stop -m fast`) for --outage seconds and started
   again: what HTTP answered through nginx meanwhile (goal: 503 problem+json,
   never a 500), time until HTTP and every room serve again with no process
   restarted, and the same consistency checks against the database at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import trio
from trio_websocket import ConnectionClosed, HandshakeError, open_websocket_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tasks"))
sys.path.insert(0, str(ROOT))

from benchkit import ServerProcess, fleet_environment, free_port, median  # noqa: E402

from tests.support.proxy import nginx_in_front  # noqa: E402
from tests.support.redis_server import OwnRedis  # noqa: E402

PROTOCOL = "1.0.0"
MEMBERS = 5
INSTANCES = 3
COMMAND_EVERY_S = 1.0
CHAT_EVERY_S = 3.0
HEARTBEAT_EVERY_S = 5.0
HELLO_TIMEOUT_S = 12.0  # the web app's HELLO_TIMEOUT_MS
GOAL_RECOVERY_S = 5.0
POSTGRES_WATCH_S = 30.0  # how long rooms are watched for after PostgreSQL is back
PASSWORD = "bench password"
# Close codes after which the web app stops and shows the user why (roomSocket.ts
# `fatalReasonFor`): the client needed someone to act.
GIVE_UP = {4001, 4003, 4004, 4009, 4010, 4011}
ABNORMAL = 1006


def backoff_s(attempt: int) -> float:
    """The web app's reconnect delay (web/src/api/backoff.ts): 0.5 s doubling to 30 s,
    half fixed and half random."""
    nominal: float = min(30.0, 0.5 * 2.0 ** max(0, attempt))
    return nominal / 2 + random.random() * nominal / 2


# --- what the clients saw -----------------------------------------------------------------


@dataclass
class RoomTrack:
    code: str
    room_id: str
    tokens: list[str]
    commands: dict[int, tuple[str, int]] = field(default_factory=dict)  # seq -> (type, at)
    acked_chat: set[str] = field(default_factory=set)
    acked_seqs: set[int] = field(default_factory=set)
    conflicts: int = 0
    # Event ("kill", ...) -> seconds from it to the room's first command acknowledged
    # after it (for "kill": on a connection opened after it, so never a stray late ack).
    first_ack_after: dict[str, float] = field(default_factory=dict)


@dataclass
class MemberTrack:
    room: RoomTrack
    index: int
    last_seq: int | None = None
    last_message_id: str | None = None
    seen: set[int] = field(default_factory=set)
    gaps: int = 0
    repeats: int = 0
    rollbacks: int = 0
    closes: Counter[int] = field(default_factory=Counter)
    gave_up: int | None = None
    connected: bool = False
    connections: int = 0
    acks: int = 0
    back_after: dict[str, float] = field(default_factory=dict)  # event -> first welcome after


@dataclass
class Run:
    rooms: list[RoomTrack]
    members: list[MemberTrack]
    ssl_context: ssl.SSLContext
    wss: str
    stop: trio.Event = field(default_factory=trio.Event)
    # Events the clients time themselves against ("kill", "redis", "postgres").
    marks: dict[str, float] = field(default_factory=dict)
    acks_by_second: Counter[int] = field(default_factory=Counter)

    def since_marks(self, now: float) -> list[str]:
        return [name for name, at in self.marks.items() if now >= at]


async def member_loop(run: Run, member: MemberTrack) -> None:
    room = member.room
    attempt = 0
    while not run.stop.is_set():
        retry_after = 0.0
        code = ABNORMAL
        try:
            async with open_websocket_url(
                f"{run.wss}/ws/rooms/{room.code}",
                ssl_context=run.ssl_context,
                message_queue_size=256,
                max_message_size=4 << 20,
            ) as ws:
                hello: dict[str, Any] = {
                    "protocolVersion": PROTOCOL,
                    "token": room.tokens[member.index],
                }
                if member.last_seq is not None:
                    hello["lastSeq"] = member.last_seq
                if member.last_message_id is not None:
                    hello["lastMessageId"] = member.last_message_id
                await ws.send_message(json.dumps({"type": "hello", "data": hello}))
                welcome = None
                with trio.move_on_after(HELLO_TIMEOUT_S):
                    while welcome is None:
                        message = json.loads(await ws.get_message())
                        if message["type"] == "welcome":
                            welcome = message["data"]
                        elif message["type"] == "error":
                            retry_after = float(message["data"].get("retryAfter") or 0)
                if welcome is not None:  # else no welcome in time: drop it, try again
                    attempt = 0
                    code = await connected(run, member, ws, welcome)
        except ConnectionClosed as closed:
            code = int(closed.reason.code) if closed.reason is not None else ABNORMAL
        except (HandshakeError, OSError, trio.BrokenResourceError):
            code = ABNORMAL
        member.connected = False
        if run.stop.is_set():
            return
        member.closes[code] += 1
        if code in GIVE_UP:
            member.gave_up = code
            return
        delay = max(backoff_s(attempt), retry_after)
        attempt += 1
        with trio.move_on_after(delay):
            await run.stop.wait()


async def connected(run: Run, member: MemberTrack, ws: Any, welcome: dict[str, Any]) -> int:
    """Play the member's part until the socket closes (its close code) or the run stops."""
    room = member.room
    now = trio.current_time()
    state_seq = int(welcome["state"]["sequenceNumber"])
    if member.last_seq is not None and state_seq < member.last_seq:
        member.rollbacks += 1  # the room went back behind what this client had applied
    member.last_seq = max(member.last_seq or 0, state_seq)
    for line in welcome.get("chat") or []:
        if line.get("id"):
            member.last_message_id = line["id"]
    member.connected = True
    member.connections += 1
    for mark in run.since_marks(now):
        member.back_after.setdefault(mark, now - run.marks[mark])
    resume = welcome.get("resume") or {}
    # Replayed commands follow a "commands" resume, from the client's lastSeq on.
    previous = int(resume["fromSeq"]) if resume.get("mode") == "commands" else state_seq
    pending: dict[str, str] = {}  # message id -> chat content, or "" for a command
    code = 1000
    async with trio.open_nursery() as nursery:

        def until_closed(part: Any) -> Any:
            async def guarded() -> None:
                nonlocal code
                try:
                    await part()
                except ConnectionClosed as closed:
                    code = int(closed.reason.code) if closed.reason is not None else ABNORMAL
                except trio.BrokenResourceError:
                    code = ABNORMAL
                nursery.cancel_scope.cancel()

            return guarded

        async def read() -> None:
            nonlocal previous
            while True:
                message = json.loads(await ws.get_message())
                kind = message["type"]
                if kind == "sync:command":
                    data = message["data"]
                    seq = int(data["sequenceNumber"])
                    if seq != previous + 1:
                        member.gaps += 1
                    if seq in member.seen:
                        member.repeats += 1
                    member.seen.add(seq)
                    said = (data["type"], int(data["atServerTime"]))
                    if room.commands.setdefault(seq, said) != said:
                        room.conflicts += 1
                    previous = seq
                    member.last_seq = max(member.last_seq or 0, seq)
                elif kind == "chat:message" and message["data"].get("id"):
                    member.last_message_id = message["data"]["id"]
                elif kind == "ack" and message.get("re") in pending:
                    content = pending.pop(message["re"])
                    at = trio.current_time()
                    member.acks += 1
                    run.acks_by_second[int(at)] += 1
                    if content:
                        room.acked_chat.add(content)
                    else:
                        room.acked_seqs.add(int(message["data"]["sequenceNumber"]))
                        for mark in run.since_marks(at):
                            if mark != "kill" or run.marks[mark] <= now:
                                room.first_ack_after.setdefault(mark, at - run.marks[mark])
                elif kind == "error" and message.get("re") in pending:
                    pending.pop(message["re"])

        async def send(kind: str, data: dict[str, Any], content: str = "") -> None:
            message_id = secrets.token_hex(4)
            pending[message_id] = content
            await ws.send_message(json.dumps({"type": kind, "id": message_id, "data": data}))

        async def command() -> None:
            n = 0
            while True:  # at once after each welcome, then every second
                choice = n % 3
                if state_seq == 0 and n == 0:
                    await send(
                        "sync:source",
                        {"sourceType": "url", "url": f"https://media.example.org/{room.code}.mp4"},
                    )
                elif choice == 0:
                    await send("sync:play", {})
                elif choice == 1:
                    await send("sync:pause", {})
                else:
                    await send("sync:seek", {"targetMediaTimeMs": 1000 * (n % 600)})
                n += 1
                await trio.sleep(COMMAND_EVERY_S)

        async def chat() -> None:
            await trio.sleep(random.uniform(0, CHAT_EVERY_S))
            while True:
                content = f"{room.code} m{member.index} {secrets.token_hex(6)}"
                await send("chat:message", {"content": content}, content)
                await trio.sleep(CHAT_EVERY_S)

        async def heartbeat() -> None:
            while True:
                await trio.sleep(HEARTBEAT_EVERY_S)
                await ws.send_message(json.dumps({"type": "presence:heartbeat", "data": {}}))

        async def until_stopped() -> None:
            await run.stop.wait()
            nursery.cancel_scope.cancel()

        nursery.start_soon(until_closed(read))
        nursery.start_soon(until_closed(chat))
        nursery.start_soon(until_closed(heartbeat))
        nursery.start_soon(until_stopped)
        if member.index == 0:
            nursery.start_soon(until_closed(command))
    return code


# --- what the bench owns: PostgreSQL, Redis, instances, nginx ------------------------------


class OwnPostgres:
    """A PostgreSQL cluster of the bench's own, in a temporary directory on a free port."""

    def __init__(self, directory: Path) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not found:
            raise SystemExit("PostgreSQL server binaries (Debian package postgresql) are needed")
        self.bin = found[-1].parent
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, *command], check=True, capture_output=True)

    def initialise(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "log"),
            "-o", options, "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def stop_quietly(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self.stop()


@contextmanager
def deployment(work: Path) -> Iterator[Deployment]:
    """PostgreSQL, Redis, three instances and nginx; yields them once all answer."""
    with ExitStack() as stack:
        postgres = OwnPostgres(work / "postgres")
        postgres.initialise()
        postgres.start()
        stack.callback(postgres.stop_quietly)
        with psycopg.connect(postgres.url, autocommit=True) as admin:
            admin.execute("CREATE DATABASE syncwatch")
        database_url = postgres.url.rsplit("/", 1)[0] + "/syncwatch"
        own_redis = OwnRedis()
        own_redis.start()
        stack.callback(own_redis.stop)
        https_port, http_port = free_port(), free_port()
        public_url = f"https://localhost:{https_port}"
        shared = {
            **fleet_environment(own_redis.url, public_url, work / "media"),
            "SYNCWATCH_LOG_FORMAT": "json",
        }
        instances = []
        for n in range(INSTANCES):
            server = ServerProcess(
                work / f"instance{n + 1}", database_url=database_url, extra_env=shared
            )
            instances.append(stack.enter_context(server))
        proxy = stack.enter_context(
            nginx_in_front(
                work, http_port=http_port, https_port=https_port,
                app_ports=tuple(server.port for server in instances),
            )
        )  # fmt: skip
        context = proxy.ssl_context
        yield Deployment(postgres, own_redis, instances, public_url, context, database_url)


# --- the run ------------------------------------------------------------------------------


async def set_up_rooms(http: httpx.AsyncClient, rooms: int) -> list[RoomTrack]:
    tag = secrets.token_hex(3)
    slots = trio.CapacityLimiter(6)
    made: list[RoomTrack] = []

    async def register(name: str) -> str:
        body = {"email": f"{name}@example.org", "username": name, "password": PASSWORD}
        response = await http.post("/api/v1/auth/register", json=body)
        response.raise_for_status()
        return str(response.json()["accessToken"])

    async def one(n: int) -> None:
        async with slots:
            tokens = [await register(f"f{tag}_{n}_{k}") for k in range(MEMBERS)]
            response = await http.post(
                "/api/v1/rooms",
                json={"name": f"Failover {n}", "maxParticipants": MEMBERS,
                      "playbackControl": "owner_only"},
                headers={"Authorization": f"Bearer {tokens[0]}"},
            )  # fmt: skip
            response.raise_for_status()
            room = response.json()
            made.append(RoomTrack(room["code"], room["id"], tokens))

    async with trio.open_nursery() as nursery:
        for n in range(rooms):
            nursery.start_soon(one, n)
    return made


def rooms_live_on(server: ServerProcess, rooms: list[RoomTrack]) -> list[RoomTrack]:
    """The rooms whose actor runs in `server`, asked of it directly (bypassing nginx)."""
    live = []
    for room in rooms:
        answer = httpx.get(
            f"{server.base_url}/api/v1/rooms/{room.code}",
            headers={"Authorization": f"Bearer {room.tokens[0]}"},
            timeout=5,
        )
        if answer.status_code == 200 and answer.json().get("participantCount", 0) > 0:
            live.append(room)
    return live


async def readiness(server: ServerProcess) -> str:
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            answer = await http.get(f"{server.base_url}/health/ready")
        return f"{answer.status_code} {answer.json().get('status')}"
    except (httpx.HTTPError, ValueError):
        return "no answer"


def acks_between(run: Run, start: float, end: float) -> int:
    return sum(count for second, count in run.acks_by_second.items() if start <= second < end)


def closes_since(members: list[MemberTrack], before: list[Counter[int]]) -> Counter[int]:
    total: Counter[int] = Counter()
    for member, earlier in zip(members, before, strict=True):
        total.update(member.closes - earlier)
    return total


def seconds(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"median {median(values):.2f} s, max {max(values):.2f} s"


@dataclass
class Deployment:
    postgres: OwnPostgres
    redis: OwnRedis
    instances: list[ServerProcess]
    public_url: str
    ssl_context: ssl.SSLContext
    database_url: str


@dataclass
class Phase:
    """What one phase found; `failed` when a goal was missed."""

    failed: bool = False


def closes_text(closes: Counter[int]) -> str:
    return ", ".join(f"{code} x{count}" for code, count in sorted(closes.items())) or "none"


async def kill_one_instance(run: Run, deployment: Deployment, after_s: float) -> tuple[int, Phase]:
    instances = deployment.instances
    placement = [await trio.to_thread.run_sync(rooms_live_on, s, run.rooms) for s in instances]
    victim = max(range(INSTANCES), key=lambda n: len(placement[n]))
    affected = placement[victim]
    print(
        "rooms per instance: " + ", ".join(str(len(p)) for p in placement)
        + f"; killing instance {victim + 1} (pid {instances[victim].pid}) with SIGKILL",
        flush=True,
    )  # fmt: skip
    before = [m.closes.copy() for m in run.members]
    run.marks["kill"] = trio.current_time()
    instances[victim].kill()
    await trio.sleep(after_s)
    recovered = [r.first_ack_after["kill"] for r in affected if "kill" in r.first_ack_after]
    all_back = []
    for room in affected:
        times = [m.back_after.get("kill") for m in run.members if m.room is room]
        if None not in times:
            all_back.append(max(t for t in times if t is not None))
    others = [
        m for m, earlier in zip(run.members, before, strict=True)
        if m.room not in affected and m.closes != earlier
    ]  # fmt: skip
    print("\n## 1. kill -9 of one instance")
    print(f"affected rooms: {len(affected)} of {len(run.rooms)}")
    print(
        f"time until an affected room acknowledges a command again: {seconds(recovered)} "
        f"({len(recovered)} of {len(affected)} rooms; goal ≤ {GOAL_RECOVERY_S:g} s)"
    )
    print(f"time until all five members of an affected room are back: {seconds(all_back)}")
    print(f"closes seen by clients: {closes_text(closes_since(run.members, before))}")
    print(f"members of rooms on the other instances that were disconnected: {len(others)}")
    slow = len(recovered) < len(affected) or any(t > GOAL_RECOVERY_S for t in recovered)
    return victim, Phase(failed=slow)


async def restart_redis(
    run: Run, deployment: Deployment, survivors: list[ServerProcess], outage_s: float
) -> Phase:
    phase = Phase()
    before = [m.closes.copy() for m in run.members]
    print("\n## 2. Redis killed (SIGKILL) and started again on its port")
    await trio.to_thread.run_sync(deployment.redis.stop)
    start = trio.current_time()
    seen: Counter[str] = Counter()
    while trio.current_time() - start < outage_s:
        for server in survivors:
            seen[await readiness(server)] += 1
        await trio.sleep(0.5)
    print(f"/health/ready of the instances while Redis was down: {dict(seen)}")
    acks = acks_between(run, int(start) + 1, int(trio.current_time()))
    print(f"commands and chat lines acknowledged during the outage: {acks} in {outage_s:g} s")
    await trio.to_thread.run_sync(deployment.redis.start)
    back = trio.current_time()
    while not all([await readiness(server) == "200 ok" for server in survivors]):
        if trio.current_time() - back > 30:
            print("readiness not ok 30 s after Redis came back")
            phase.failed = True
            break
        await trio.sleep(0.2)
    print(f"/health/ready ok on every instance {trio.current_time() - back:.2f} s after Redis")
    await trio.sleep(5)
    now = int(trio.current_time())
    print(f"acknowledged in the 4 s that followed: {acks_between(run, now - 4, now)}")
    closes = closes_since(run.members, before)
    print(f"closes seen by clients (outage and 5 s after): {closes_text(closes)}")
    phase.failed |= "200 degraded" not in seen or not acks or bool(closes)
    return phase


async def probe_http(http: httpx.AsyncClient, room: RoomTrack) -> list[str]:
    """A room read and a guest sign-up through nginx: status, content type, problem code."""
    results = []
    for method, path, body in (
        ("GET", f"/api/v1/rooms/{room.code}", None),
        ("POST", "/api/v1/auth/guest", {}),
    ):
        headers = {"Authorization": f"Bearer {room.tokens[1]}"}
        try:
            answer = await http.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as error:
            results.append(f"{method} {type(error).__name__}")
            continue
        kind = answer.headers.get("content-type", "").split(";")[0]
        code = answer.json().get("code") if kind.endswith("json") else None
        results.append(f"{method} {answer.status_code} {kind}" + (f" {code}" if code else ""))
    return results


async def restart_postgres(
    run: Run, deployment: Deployment, survivors: list[ServerProcess], args: argparse.Namespace
) -> Phase:
    phase = Phase()
    before = [m.closes.copy() for m in run.members]
    print("\n## 3. PostgreSQL stopped (pg_ctl stop -m fast) and started again")
    await trio.to_thread.run_sync(deployment.postgres.stop)
    start = trio.current_time()
    answers: Counter[str] = Counter()
    async with httpx.AsyncClient(
        base_url=deployment.public_url, verify=deployment.ssl_context, timeout=15
    ) as http:
        while trio.current_time() - start < args.outage:
            answers.update(await probe_http(http, run.rooms[0]))
            await trio.sleep(0.5)
        print(f"HTTP answers through nginx while PostgreSQL was down: {dict(answers)}")
        acks = acks_between(run, int(start) + 1, int(trio.current_time()))
        print(f"commands and chat lines acknowledged during the outage: {acks}")
        await trio.to_thread.run_sync(deployment.postgres.start)
        run.marks["postgres back"] = back = trio.current_time()
        while True:
            first, second = await probe_http(http, run.rooms[0])
            if first.startswith("GET 200") and second.startswith("POST 200"):
                print(f"HTTP 200 again {trio.current_time() - back:.2f} s after PostgreSQL")
                break
            if trio.current_time() - back > 30:
                print(f"HTTP not back 30 s after PostgreSQL: {first}; {second}")
                phase.failed = True
                break
            await trio.sleep(0.2)
    # Rooms whose members were cut off come back at their next reconnect (their
    # backoff grew while each attempt waited for the database): watch until all serve.
    while trio.current_time() - back < POSTGRES_WATCH_S:
        if all("postgres back" in r.first_ack_after for r in run.rooms):
            break
        await trio.sleep(0.5)
    serving = [
        r.first_ack_after["postgres back"]
        for r in run.rooms
        if "postgres back" in r.first_ack_after
    ]
    cut_off = {
        m.room.code for m, earlier in zip(run.members, before, strict=True) if m.closes != earlier
    }
    print(
        f"rooms acknowledging commands again after PostgreSQL: {len(serving)} of "
        f"{len(run.rooms)}; {seconds(serving)} after it was back ({len(cut_off)} rooms "
        "had members cut off meanwhile)"
    )
    for room in run.rooms:
        if "postgres back" not in room.first_ack_after:
            members = [m for m in run.members if m.room is room]
            print(
                f"  room {room.code} not serving {POSTGRES_WATCH_S:g} s after: "
                f"{sum(m.connected for m in members)} of {MEMBERS} members connected; "
                "what its instances logged of it:"
            )
            for server in survivors:
                lines = [line for line in server.log_tail(4000).splitlines() if room.code in line]
                print("\n".join(f"    {line[:300]}" for line in lines[-6:]))
    closes = closes_since(run.members, before)
    print(f"closes seen by clients (outage and after): {closes_text(closes)}")
    exited = [server for server in survivors if not server.alive()]
    for server in exited:
        print(f"an instance exited on its own; the end of its log:\n{server.log_tail(15)}")
    print(f"instances that exited on their own: {len(exited)} (goal 0)")
    bad = [a for a in answers if not a.endswith("problem+json service_unavailable")]
    phase.failed |= bool(exited) or len(serving) < len(run.rooms) or bool(bad)
    return phase


def check_against_database(run: Run, database_url: str) -> Phase:
    print("\n## the whole run, checked against the database")
    lost_chat = behind = unseen = 0
    with psycopg.connect(database_url) as db:
        for room in run.rooms:
            stored = {
                row[0]
                for row in db.execute(
                    "SELECT content FROM chat_messages WHERE room_id = %s AND kind <> 'system'",
                    (room.room_id,),
                )
            }
            lost_chat += len(room.acked_chat - stored)
            row = db.execute(
                "SELECT sequence_number FROM room_snapshots WHERE room_id = %s", (room.room_id,)
            ).fetchone()
            saved = int(row[0]) if row else 0
            if saved < max([*room.acked_seqs, *room.commands], default=0):
                behind += 1
            unseen += sum(1 for seq in range(1, saved + 1) if seq not in room.commands)
    gaps = sum(m.gaps for m in run.members)
    repeats = sum(m.repeats + m.rollbacks for m in run.members)
    repeats += sum(r.conflicts for r in run.rooms)
    needed_action = [m for m in run.members if m.gave_up is not None or not m.connections]
    print(
        f"commands acknowledged: {sum(len(r.acked_seqs) for r in run.rooms)}; "
        f"chat lines acknowledged: {sum(len(r.acked_chat) for r in run.rooms)}"
    )
    print(f"sequence gaps seen by clients: {gaps} (goal 0)")
    print(
        "repeats (a number seen twice, two commands under one number, a welcome behind "
        f"what the client had): {repeats} (goal 0)"
    )
    print(f"acknowledged chat lines missing from the database: {lost_chat} (goal 0)")
    print(f"rooms whose saved sequence is behind what clients were told: {behind} (goal 0)")
    print(f"numbers saved that no client received as a command (informative): {unseen}")
    print(
        f"clients that needed user action: {len(needed_action)} (goal 0)"
        + (f"; their closes: {Counter(m.gave_up for m in needed_action)}" if needed_action else "")
    )
    return Phase(failed=bool(gaps or repeats or lost_chat or behind or needed_action))


async def main_async(args: argparse.Namespace, work: Path) -> int:
    with deployment(work) as setup:
        print(
            f"deployment: PostgreSQL :{setup.postgres.port}, Redis :{setup.redis.port}, "
            f"{INSTANCES} instances :{', :'.join(str(s.port) for s in setup.instances)}, "
            f"nginx {setup.public_url}",
            flush=True,
        )
        async with httpx.AsyncClient(
            base_url=setup.public_url, verify=setup.ssl_context, timeout=30
        ) as http:
            rooms = await set_up_rooms(http, args.rooms)
        run = Run(
            rooms,
            [MemberTrack(room, k) for room in rooms for k in range(MEMBERS)],
            setup.ssl_context,
            setup.public_url.replace("https://", "wss://"),
        )
        async with trio.open_nursery() as nursery:
            for member in run.members:
                nursery.start_soon(member_loop, run, member)
                await trio.sleep(0.01)
            await trio.sleep(args.before)
            connected = sum(m.connected for m in run.members)
            print(f"{len(rooms)} rooms x {MEMBERS} members: {connected} connected", flush=True)
            victim, killed = await kill_one_instance(run, setup, args.after)
            survivors = [s for n, s in enumerate(setup.instances) if n != victim]
            redis_phase = await restart_redis(run, setup, survivors, args.outage)
            postgres_phase = await restart_postgres(run, setup, survivors, args)
            run.stop.set()
        consistency = check_against_database(run, setup.database_url)
    phases = {
        "kill -9": killed, "Redis restart": redis_phase,
        "PostgreSQL restart": postgres_phase, "consistency": consistency,
    }  # fmt: skip
    missed = [name for name, phase in phases.items() if phase.failed]
    print(f"\ngoals missed: {', '.join(missed) if missed else 'none'}")
    return 1 if missed else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_failover", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--before", type=float, default=6.0, help="seconds of load before the kill")
    parser.add_argument("--after", type=float, default=15.0, help="seconds watched after the kill")
    parser.add_argument(
        "--outage", type=float, default=5.0, help="seconds Redis, then PostgreSQL, stay down"
    )
    args = parser.parse_args(argv)
    print(
        f"failover benchmark: {args.rooms} rooms x {MEMBERS} members through nginx to "
        f"{INSTANCES} instances on PostgreSQL and Redis; a command every {COMMAND_EVERY_S:g} s "
        f"per room, a chat line every {CHAT_EVERY_S:g} s per member; {os.cpu_count()} cores",
        flush=True,
    )
    # Stopped from outside (a timeout, a CI job cancelled): unwind as on Ctrl-C, so the
    # PostgreSQL cluster, redis-server, instances and nginx it started are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
    with tempfile.TemporaryDirectory(prefix="sw-failover-") as work:
        Path(work).chmod(0o755)  # PostgreSQL runs as its own user in a directory inside
        return trio.run(main_async, args, Path(work))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
