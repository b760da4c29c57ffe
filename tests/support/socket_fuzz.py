"""Generated WebSocket abuse against a running server, with a well-behaved room beside it.

`fuzz_sockets` opens many connections ("lanes"), each sending generated frames
at about 40 a second: random JSON, known message types with wrong or missing
fields, huge and non-finite numbers, deep nesting, binary frames, oversized
frames (64 KiB+ and 1 MiB+), frames before `hello`, and text frames that are
not UTF-8 (sent over a raw socket: WebSocket libraries refuse to). A lane that
the server closes connects again. Meanwhile, in the same room as some lanes, a
conductor (the owner) sends a command every 100 ms and a watcher records when
each `sync:command` arrives.

The report counts every error code and close code the server used, and which of
them `docs/protocol.md` does not document; `internal_error` frames and 1011
closes are server errors. Used by tests/fuzz (a short run) and `nox -s fuzz`.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import statistics
import struct
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import trio
import trio_websocket
from trio_websocket import ConnectionClosed, open_websocket_url

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = "1.0.0"
FRAMES_PER_S = 40
COMMAND_EVERY_S = 0.1
SEND_TIMEOUT_S = 10
STALL_S = 60
WATCH_EVERY_S = 5
PROGRESS_EVERY_S = 30


def _client_types() -> tuple[str, ...]:
    """Every client message type the server parses (from its own models), and hello."""
    from typing import get_args

    from pydantic import BaseModel

    from syncwatch.protocol import messages

    found = {"hello"}
    for model in vars(messages).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            field_info = model.model_fields.get("type")
            if field_info is not None:
                found.update(v for v in get_args(field_info.annotation) if isinstance(v, str))
    return tuple(sorted(found))


KNOWN_TYPES = _client_types()
FIELDS = (
    "targetMediaTimeMs", "rate", "sourceType", "sourceId", "url", "videoId", "content", "t0",
    "participantId", "targetId", "signal", "expectedSeq", "idempotencyKey", "token", "reason",
    "minutes", "seconds", "playbackControl", "subtitles", "mediaTimeMs", "atServerTime",
    "protocolVersion", "lastSeq", "kind", "duration",
)  # fmt: skip
NUMBER_TEXTS = (
    "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e308", "-0", "0.0000001",
    "18446744073709551616", "-9223372036854775809", "123456789012345678901234567890", "1E-400",
)  # fmt: skip


def documented_codes() -> tuple[frozenset[str], frozenset[int]]:
    """The socket error codes and close codes that docs/protocol.md lists."""
    text = (ROOT / "docs" / "protocol.md").read_text()
    errors_part = text.split("## Error codes on the socket", 1)[1].split("\n## ", 1)[0]
    closes_part = text.split("## Close codes", 1)[1].split("\n## ", 1)[0]
    errors = frozenset(re.findall(r"^\| `([a-z_]+)` \|", errors_part, flags=re.M))
    closes = frozenset(int(c) for c in re.findall(r"^\| (\d{4}) \|", closes_part, flags=re.M))
    return errors, closes | {1000}


@dataclass
class FuzzReport:
    frames: int = 0
    connections: int = 0
    error_codes: Counter[str] = field(default_factory=Counter)
    close_codes: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    undocumented: list[str] = field(default_factory=list)
    commands_sent: int = 0
    commands_missed: int = 0
    command_delays_ms: list[float] = field(default_factory=list)
    member_closed: list[str] = field(default_factory=list)
    stalled_sends: int = 0
    seconds: float = 0.0
    load: list[float] = field(default_factory=list)
    """The machine's 1-minute load average, every 5 s: lateness on a shared machine is
    read against it."""

    def summary(self) -> str:
        delays = sorted(self.command_delays_ms) or [float("nan")]
        quantile = lambda q: delays[min(len(delays) - 1, int(q * len(delays)))]  # noqa: E731
        return "\n".join(
            [
                f"websocket fuzz: {self.frames} frames over {self.connections} connections "
                f"in {self.seconds:.1f} s ({self.frames / max(self.seconds, 1e-9):.0f}/s)",
                f"  frame kinds: {dict(sorted(self.kinds.items()))}",
                f"  error codes: {dict(self.error_codes.most_common())}",
                f"  close codes: {dict(self.close_codes.most_common())}",
                f"  server errors: {len(self.server_errors)}, undocumented codes: "
                f"{sorted(set(self.undocumented))}, sends stalled on a closed socket: "
                f"{self.stalled_sends}",
                f"  well-behaved member: {self.commands_sent} commands, "
                f"{self.commands_missed} missed; late by p50 {statistics.median(delays):.1f} ms, "
                f"p95 {quantile(0.95):.1f} ms, p99 {quantile(0.99):.1f} ms, "
                f"max {delays[-1]:.1f} ms; cut off or refused: {self.member_closed or 'never'}",
                f"  machine: load {min(self.load, default=0):.1f}..{max(self.load, default=0):.1f}"
                f" over the run, {os.cpu_count()} CPUs",
            ]
        )


class Budget:
    def __init__(self, frames: int) -> None:
        self.left = frames

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


# --- generated frames ------------------------------------------------------------------


def random_value(rng: random.Random, depth: int = 3) -> Any:
    roll = rng.random()
    if depth <= 0 or roll < 0.5:
        return rng.choice(
            [
                None, True, False, 0, -1, rng.randint(-(2**70), 2**70), rng.random() * 1e12,
                "", "x" * rng.randint(1, 300), "\u202e\u0000\ud7ff\ufeff", "€" * 10,
                rng.choice(KNOWN_TYPES),
            ]
        )  # fmt: skip
    if roll < 0.75:
        return [random_value(rng, depth - 1) for _ in range(rng.randint(0, 4))]
    return {
        rng.choice((*FIELDS, "type", "id", "data", "")): random_value(rng, depth - 1)
        for _ in range(rng.randint(0, 4))
    }


def generated_frame(rng: random.Random, seq: int) -> tuple[str, str | bytes]:
    """One frame and its kind."""
    message_id = f"f{seq}" if rng.random() < 0.8 else random_value(rng, 1)
    kind = rng.choices(
        (
            "random_json", "wrong_fields", "known_type", "huge_number", "deep", "binary",
            "oversized", "not_json", "unknown_type", "valid",
        ),
        weights=(15, 25, 15, 10, 5, 8, 2, 8, 7, 5),
    )[0]  # fmt: skip
    if kind == "random_json":
        return kind, json.dumps(random_value(rng, 4))
    if kind == "wrong_fields":
        data = {rng.choice(FIELDS): random_value(rng, 2) for _ in range(rng.randint(0, 3))}
        body = {"type": rng.choice(KNOWN_TYPES), "id": message_id, "data": data}
        return kind, json.dumps(body)
    if kind == "known_type":
        body = {"type": rng.choice(KNOWN_TYPES), "id": message_id, "data": random_value(rng, 2)}
        if rng.random() < 0.3:
            body.pop("data")
        return kind, json.dumps(body)
    if kind == "huge_number":
        number = rng.choice(NUMBER_TEXTS)
        name = rng.choice(FIELDS)
        return kind, (
            f'{{"type":"{rng.choice(KNOWN_TYPES)}","id":"f{seq}","data":{{"{name}":{number}}}}}'
        )
    if kind == "deep":
        depth = rng.choice((64, 1000, 20_000))
        opener, closer = rng.choice((("[", "]"), ('{"a":', "}")))
        return kind, opener * depth + "1" + closer * depth
    if kind == "binary":
        return kind, rng.randbytes(rng.randint(0, 2048))
    if kind == "oversized":
        size = 70_000 if rng.random() < 0.8 else 1_100_000
        return kind, json.dumps(
            {"type": "chat:message", "id": f"f{seq}", "data": {"content": "y" * size}}
        )
    if kind == "not_json":
        return kind, rng.choice(
            ("", " ", "{", "}", "nul", '{"type":', "\x00\x01", "[1,]", '{"a" 1}', "'single'")
        )
    if kind == "unknown_type":
        return kind, json.dumps({"type": f"nope:{rng.randint(0, 9)}", "id": message_id, "data": {}})
    # Valid frames a client sends anyway, mixed in.
    if rng.random() < 0.5:
        return kind, json.dumps({"type": "time:ping", "data": {"t0": rng.randint(0, 2**40)}})
    return kind, json.dumps({"type": "presence:heartbeat", "id": f"f{seq}", "data": {}})


# --- raw frames (text that is not UTF-8) ----------------------------------------------


def client_frame(opcode: int, payload: bytes, *, masked: bool = True) -> bytes:
    mask = os.urandom(4) if masked else b""
    size = len(payload)
    mask_bit = 0x80 if masked else 0
    if size < 126:
        header = struct.pack("!BB", 0x80 | opcode, mask_bit | size)
    elif size < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, mask_bit | 126, size)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, mask_bit | 127, size)
    if not masked:
        return header + payload
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


@dataclass
class RawAnswer:
    """What the server sent back on a raw socket: its text frames and its close frame
    (`close_code` None when the connection ended without one: a client sees 1006)."""

    texts: list[str] = field(default_factory=list)
    close_code: int | None = None
    close_reason: str = ""


async def raw_text_frame(base_url: str, path: str, payload: bytes) -> tuple[list[str], int | None]:
    """Send one text frame carrying `payload` as it is; the server's text frames and close
    code (None: no close frame, or the upgrade was refused)."""
    try:
        answer = await raw_frames(base_url, path, [client_frame(0x1, payload)])
    except ConnectionError:
        return [], None
    return answer.texts, answer.close_code


async def raw_frames(base_url: str, path: str, frames: list[bytes]) -> RawAnswer:
    """Send `frames` on a fresh raw socket (bytes on the wire, built with `client_frame`)
    and read until the server's close frame, the end of the connection or 5 s."""
    async with open_raw_socket(base_url, path) as raw:
        for frame in frames:
            await raw.send(frame)
        return await raw.answer()


class RawSocket:
    """A WebSocket spoken by hand on a TCP stream: WebSocket libraries refuse to send
    broken frames (text that is not UTF-8, unmasked frames, reserved opcodes)."""

    def __init__(self, stream: trio.SocketStream, buffer: bytes) -> None:
        self.stream = stream
        self.buffer = buffer

    async def send(self, frame: bytes) -> None:
        await self.stream.send_all(frame)

    async def next_frame(self) -> tuple[int, bytes] | None:
        """The server's next frame (opcode, payload), or None when the connection ended."""
        while len(self.buffer) < 2 or len(self.buffer) < _frame_length(self.buffer):
            chunk = await self.stream.receive_some(65536)
            if not chunk:
                return None
            self.buffer += chunk
        length = _frame_length(self.buffer)
        frame, self.buffer = self.buffer[:length], self.buffer[length:]
        return frame[0] & 0x0F, frame[length - _payload_size(frame) :]

    async def next_text(self, timeout: float = 5) -> str:
        with trio.fail_after(timeout):
            while (frame := await self.next_frame()) is not None:
                if frame[0] == 0x1:
                    return frame[1].decode("utf-8", "replace")
        raise AssertionError("the connection ended before a text frame")

    async def answer(self) -> RawAnswer:
        """Text frames until the close frame, the end of the connection or 5 s."""
        answer = RawAnswer()
        with trio.move_on_after(5):
            while (frame := await self.next_frame()) is not None:
                opcode, body = frame
                if opcode == 0x8:
                    answer.close_code = struct.unpack("!H", body[:2])[0] if len(body) >= 2 else 1005
                    answer.close_reason = body[2:].decode("utf-8", "replace")
                    return answer
                if opcode == 0x1:
                    answer.texts.append(body.decode("utf-8", "replace"))
        return answer


@asynccontextmanager
async def open_raw_socket(base_url: str, path: str) -> AsyncIterator[RawSocket]:
    """Upgrade a plain TCP connection to `path` (refused upgrades raise)."""
    host, port = base_url.removeprefix("http://").split(":")
    stream = await trio.open_tcp_stream(host, int(port))
    async with stream:
        key = base64.b64encode(os.urandom(16)).decode()
        await stream.send_all(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = await stream.receive_some(4096)
            if not chunk:
                raise ConnectionError("closed during the upgrade")
            buffer += chunk
        head, buffer = buffer.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise ConnectionError(f"upgrade refused: {status!r}")
        yield RawSocket(stream, buffer)


def _payload_size(frame: bytes) -> int:
    size = frame[1] & 0x7F
    if size == 126:
        return int(struct.unpack("!H", frame[2:4])[0]) if len(frame) >= 4 else 0
    if size == 127:
        return int(struct.unpack("!Q", frame[2:10])[0]) if len(frame) >= 10 else 0
    return size


def _frame_length(buffer: bytes) -> int:
    size = buffer[1] & 0x7F
    header = 2 + (2 if size == 126 else 8 if size == 127 else 0)
    if len(buffer) < header:
        return header + 1
    return header + _payload_size(buffer)


# --- the run ---------------------------------------------------------------------------


class Fuzzer:
    def __init__(self, base_url: str, frames: int, seed: int) -> None:
        self.base_url = base_url
        self.ws_base = base_url.replace("http://", "ws://")
        self.budget = Budget(frames)
        self.report = FuzzReport()
        self.documented_errors, self.documented_closes = documented_codes()
        self.rng = random.Random(seed)
        self.sequence = 0
        # What each lane is doing: printed if the run hangs.
        self.states: dict[str, str] = {}

    def observe(self, text: str | bytes) -> None:
        try:
            message = json.loads(text)
        except ValueError:
            self.report.undocumented.append(f"not JSON from the server: {text[:80]!r}")
            return
        if message.get("type") != "error":
            return
        code = message.get("data", {}).get("code")
        self.report.error_codes[code] += 1
        if code == "internal_error":
            self.report.server_errors.append(f"internal_error: {message}")
        elif code not in self.documented_errors:
            self.report.undocumented.append(f"error code {code!r}")

    def closed(self, code: int | None) -> None:
        code = 1006 if code is None else int(code)
        self.report.close_codes[code] += 1
        if code == 1011:
            self.report.server_errors.append("closed 1011")
        elif code not in self.documented_closes:
            self.report.undocumented.append(f"close code {code}")

    async def lane(self, code: str, token: str) -> None:
        """Connect, say hello (mostly), send generated frames until closed; again."""
        name = f"lane {code} {token[-6:]}"
        while self.budget.left > 0:
            self.report.connections += 1
            self.states[name] = "connecting"
            try:
                async with (
                    open_websocket_url(
                        f"{self.ws_base}/ws/rooms/{code}",
                        max_message_size=4 * 1024 * 1024,
                        message_queue_size=4096,
                        connect_timeout=10,
                        disconnect_timeout=2,
                    ) as ws,
                    trio.open_nursery() as nursery,
                ):
                    read_done = trio.Event()
                    nursery.start_soon(self._read, ws, read_done)
                    await self._send(ws, token, name)
                    # The server's close (or ours) reaches the reader; never wait forever.
                    self.states[name] = "waiting for the close"
                    with trio.move_on_after(5):
                        await read_done.wait()
                    self.states[name] = f"leaving the socket (read done: {read_done.is_set()})"
                    nursery.cancel_scope.cancel()
                self.states[name] = "closing"
            except ConnectionClosed as closed:  # while connecting
                self.closed(closed.reason.code)
            except (OSError, trio_websocket.HandshakeError, trio.TooSlowError) as error:
                self.report.undocumented.append(f"connection failed: {error!r}")
            self.states[name] = "reconnecting"
            await trio.sleep(0.02)
        self.states[name] = "done"

    async def _send(self, ws: Any, token: str, name: str) -> None:
        """Frames until the budget is spent (then close) or the server closes (`_read` says how)."""
        try:
            if self.rng.random() < 0.05:
                _, frame = generated_frame(self.rng, self._next())
                self.report.kinds["before_hello"] += 1
                self.report.frames += 1
            else:
                hello = {"protocolVersion": PROTOCOL, "token": token}
                frame = json.dumps({"type": "hello", "data": hello})
            await ws.send_message(frame)
            while self.budget.take():
                kind, frame = generated_frame(self.rng, self._next())
                self.report.kinds[kind] += 1
                self.report.frames += 1
                self.states[name] = f"sending {kind} ({len(frame)} bytes)"
                # A server that closed (1009) reads no more: a send may then never end.
                with trio.move_on_after(SEND_TIMEOUT_S) as stalled:
                    await ws.send_message(frame)
                if stalled.cancelled_caught:
                    self.report.stalled_sends += 1
                    return
                await trio.sleep(1 / FRAMES_PER_S)
            self.states[name] = "closing after its last frame"
            await ws.aclose()
        except ConnectionClosed:
            pass

    async def _read(self, ws: Any, done: trio.Event) -> None:
        try:
            while True:
                self.observe(await ws.get_message())
        except ConnectionClosed as closed:
            if closed.reason.code != 1000:
                self.closed(closed.reason.code)
        finally:
            done.set()

    def _next(self) -> int:
        self.sequence += 1
        return self.sequence

    async def raw_lane(self, code: str, token: str) -> None:
        """Text frames that are not UTF-8, each first on a fresh socket (one of them a hello)."""
        for payload in (b'{"type":"hello","data":{"x":"\xff\xfe"}}', b"\xc3\x28", b"\xed\xa0\x80"):
            self.states["raw lane"] = f"sending {payload!r}"
            texts, close = await raw_text_frame(self.base_url, f"/ws/rooms/{code}", payload)
            self.report.kinds["invalid_utf8"] += 1
            self.report.frames += 1
            self.report.connections += 1
            for text in texts:
                self.observe(text)
            self.closed(close)
        self.states["raw lane"] = "done"


async def well_behaved(
    base_url: str, code: str, owner: str, watcher: str, report: FuzzReport, stop: trio.Event
) -> None:
    """The conductor sends a command every 100 ms; the watcher times each one's arrival."""
    ws_url = f"{base_url.replace('http://', 'ws://')}/ws/rooms/{code}"
    sent_at: dict[str, float] = {}
    seq_of: dict[str, int] = {}
    received_at: dict[int, float] = {}

    async def joined(ws: Any, token: str) -> None:
        await ws.send_message(
            json.dumps({"type": "hello", "data": {"protocolVersion": PROTOCOL, "token": token}})
        )
        while json.loads(await ws.get_message())["type"] != "welcome":
            pass

    async def heartbeat(ws: Any) -> None:
        while True:
            await ws.send_message(json.dumps({"type": "presence:heartbeat", "data": {}}))
            await trio.sleep(4)

    async def conduct(ws: Any) -> None:
        async def acks() -> None:
            while True:
                message = json.loads(await ws.get_message())
                if message["type"] == "ack" and message.get("re") in sent_at:
                    seq_of[message["re"]] = message["data"]["sequenceNumber"]
                elif message["type"] == "error" and message.get("re") in sent_at:
                    report.member_closed.append(f"command refused: {message}")

        async with trio.open_nursery() as nursery:
            nursery.start_soon(acks)
            nursery.start_soon(heartbeat, ws)
            source = {"sourceType": "url", "url": "https://media.example.org/film.mp4"}
            await ws.send_message(json.dumps({"type": "sync:source", "id": "src", "data": source}))
            await trio.sleep(0.3)
            index = 0
            while not stop.is_set():
                index += 1
                message_id = f"c{index}"
                body: dict[str, Any] = {"type": "sync:seek", "id": message_id}
                body["data"] = {"targetMediaTimeMs": index * 1000}
                if index % 3 == 0:
                    body = {"type": "sync:play" if index % 2 else "sync:pause", "id": message_id}
                    body["data"] = {}
                sent_at[message_id] = time.perf_counter()
                report.commands_sent += 1
                await ws.send_message(json.dumps(body))
                await trio.sleep(COMMAND_EVERY_S)
            await trio.sleep(1)  # the last replies
            nursery.cancel_scope.cancel()

    async def watch(ws: Any) -> None:
        with trio.CancelScope() as scope:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(heartbeat, ws)

                async def until_done() -> None:
                    await stop.wait()
                    await trio.sleep(1.5)
                    scope.cancel()

                nursery.start_soon(until_done)
                while True:
                    message = json.loads(await ws.get_message())
                    if message["type"] == "sync:command":
                        received_at[message["data"]["sequenceNumber"]] = time.perf_counter()

    try:
        async with (
            open_websocket_url(ws_url, message_queue_size=4096) as owner_ws,
            open_websocket_url(ws_url, message_queue_size=4096) as watcher_ws,
        ):
            await joined(owner_ws, owner)
            await joined(watcher_ws, watcher)
            async with trio.open_nursery() as nursery:
                nursery.start_soon(conduct, owner_ws)
                nursery.start_soon(watch, watcher_ws)
    except* ConnectionClosed as group:
        # Raised inside the member's nurseries, so it arrives in an exception group.
        for closed in _leaves(group):
            reason = closed.reason
            report.member_closed.append(f"closed {reason.code} {reason.reason}")
    for message_id, started in sent_at.items():
        seq = seq_of.get(message_id)
        if seq is None or seq not in received_at:
            report.commands_missed += 1
            continue
        report.command_delays_ms.append((received_at[seq] - started) * 1000)


def _leaves(group: BaseExceptionGroup[ConnectionClosed]) -> list[ConnectionClosed]:
    found: list[ConnectionClosed] = []
    for error in group.exceptions:
        found += _leaves(error) if isinstance(error, BaseExceptionGroup) else [error]
    return found


async def _register(http: httpx.AsyncClient, name: str) -> str:
    response = await http.post(
        "/api/v1/auth/register",
        json={"email": f"{name}@example.org", "username": name, "password": "correct horse"},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["accessToken"])


async def _guest(http: httpx.AsyncClient, name: str) -> str:
    response = await http.post("/api/v1/auth/guest", json={"nickname": name})
    assert response.status_code == 200, response.text
    return str(response.json()["accessToken"])


async def _room(http: httpx.AsyncClient, token: str) -> str:
    response = await http.post(
        "/api/v1/rooms",
        json={"maxParticipants": 5, "playbackControl": "owner_only"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["code"])


async def fuzz_sockets(
    base_url: str, *, frames: int, side_rooms: int, seed: int = 12
) -> FuzzReport:
    """`frames` generated frames over lanes in one watched room and `side_rooms` others."""
    fuzzer = Fuzzer(base_url, frames, seed)
    tag = f"{seed}{os.getpid() % 1000}{time.time_ns() % 10_000}"
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        conductor = await _register(http, f"cond{tag}")
        watcher = await _register(http, f"watch{tag}")
        watched = await _room(http, conductor)
        lanes = [(watched, await _guest(http, f"G{tag}{i}")) for i in range(3)]
        for index in range(side_rooms):
            owner = await _register(http, f"own{tag}x{index}")
            room = await _room(http, owner)
            lanes += [(room, owner), (room, await _guest(http, f"H{tag}{index}"))]
    started = time.perf_counter()
    stop = trio.Event()
    # A hang is a finding too: it fails the run instead of holding it up.
    try:
        with trio.fail_after(120 + frames / 100):
            await _run(fuzzer, base_url, watched, conductor, watcher, lanes, stop, started)
    except trio.TooSlowError:
        raise AssertionError(f"the fuzzing hung; where each part was:\n{_where(fuzzer)}") from None
    except BaseException:
        # Whatever failed, what the run had seen so far is what explains it.
        print(f"\nthe fuzzing failed; where each part was:\n{_where(fuzzer)}", flush=True)
        raise
    return fuzzer.report


def _where(fuzzer: Fuzzer) -> str:
    states = "\n".join(f"  {name}: {state}" for name, state in sorted(fuzzer.states.items()))
    return f"{states}\n{fuzzer.report.summary()}"


async def _run(
    fuzzer: Fuzzer,
    base_url: str,
    watched: str,
    conductor: str,
    watcher: str,
    lanes: list[tuple[str, str]],
    stop: trio.Event,
    started: float,
) -> None:
    async with trio.open_nursery() as nursery:
        nursery.start_soon(well_behaved, base_url, watched, conductor, watcher, fuzzer.report, stop)
        await trio.sleep(0.5)
        progress = trio.CancelScope()
        nursery.start_soon(watch_progress, fuzzer, progress)
        async with trio.open_nursery() as fuzzing:
            fuzzing.start_soon(fuzzer.raw_lane, watched, lanes[0][1])
            for code, token in lanes:
                fuzzing.start_soon(fuzzer.lane, code, token)
        progress.cancel()
        fuzzer.report.seconds = time.perf_counter() - started
        stop.set()


async def watch_progress(fuzzer: Fuzzer, scope: trio.CancelScope) -> None:
    """A line every 30 s (with `-s`): a long run shows it is moving, and how fast. And the
    watchdog: lanes still open `STALL_S` after the last frame fail the run (on Trio's
    clock, so a test can drive it with `MockClock`)."""
    started = trio.current_time()
    spent_at: float | None = None
    ticks = 0
    with scope:
        while True:
            await trio.sleep(WATCH_EVERY_S)
            ticks += 1
            fuzzer.report.load.append(os.getloadavg()[0])
            elapsed = trio.current_time() - started
            if ticks % (PROGRESS_EVERY_S // WATCH_EVERY_S) == 0:
                print(
                    f"websocket fuzz: {fuzzer.report.frames} frames, "
                    f"{fuzzer.report.connections} connections in {elapsed:.0f} s",
                    flush=True,
                )
            if fuzzer.budget.left > 0:
                continue
            spent_at = elapsed if spent_at is None else spent_at
            # Every lane ends within seconds of the last frame: one that does not is a
            # hang, and says where it is now rather than at the run's far deadline.
            if elapsed - spent_at >= STALL_S:
                raise AssertionError(
                    f"lanes still open {STALL_S} s after the last frame:\n{_where(fuzzer)}"
                )
