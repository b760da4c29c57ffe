"""Is the configured TURN server answering? The readiness check behind `turn`.

A STUN Binding request (RFC 8489) is sent to every distinct host, port and
transport among `SYNCWATCH_TURN_URLS`; any well-formed STUN response carrying
our transaction id proves the server is up, a success or an error alike
(coturn with `secure-stun` answers an unauthenticated Binding with 401). The
probe needs no credential, allocates nothing and leaves no state on the server.

The message encoding and parsing are pure functions; `probe_turn` does the I/O:
UDP with retransmissions, TCP, or TLS for `turns:`.
"""

from __future__ import annotations

import secrets
import ssl
import struct
from dataclasses import dataclass
from urllib.parse import parse_qs

import trio

MAGIC_COOKIE = 0x2112A442
BINDING_REQUEST = 0x0001
HEADER = struct.Struct("!HHI12s")
# The retransmission interval for UDP (RFC 8489 starts at 500 ms).
UDP_RETRY_S = 0.5


class TurnUnreachable(Exception):
    """No STUN answer from a TURN target; the message names it."""


@dataclass(frozen=True, slots=True)
class TurnTarget:
    host: str
    port: int
    transport: str  # "udp", "tcp" or "tls"

    def __str__(self) -> str:
        return f"{self.transport}://{self.host}:{self.port}"


def parse_turn_url(url: str) -> TurnTarget:
    """`turn:host[:port][?transport=udp|tcp]` or `turns:...` (RFC 7065)."""
    scheme, _, rest = url.partition(":")
    if scheme not in ("turn", "turns") or not rest:
        raise ValueError(f"not a TURN URL: {url!r}")
    address, _, query = rest.partition("?")
    transport = parse_qs(query).get("transport", ["udp" if scheme == "turn" else "tcp"])[-1]
    if transport not in ("udp", "tcp"):
        raise ValueError(f"unknown TURN transport in {url!r}")
    if address.startswith("["):
        host, _, tail = address[1:].partition("]")
        port_text = tail.removeprefix(":")
    else:
        host, _, port_text = address.partition(":")
    port = int(port_text) if port_text else (3478 if scheme == "turn" else 5349)
    if scheme == "turns":
        transport = "tls"
    return TurnTarget(host=host, port=port, transport=transport)


def binding_request(transaction_id: bytes) -> bytes:
    return HEADER.pack(BINDING_REQUEST, 0, MAGIC_COOKIE, transaction_id)


def is_response_to(message: bytes, transaction_id: bytes) -> bool:
    """A STUN success or error response (any method) to our transaction."""
    if len(message) < HEADER.size:
        return False
    kind, length, cookie, found_id = HEADER.unpack_from(message)
    response_class = ((kind >> 7) & 0b10) | ((kind >> 4) & 0b01)
    return (
        kind >> 14 == 0
        and cookie == MAGIC_COOKIE
        and found_id == transaction_id
        and response_class in (0b10, 0b11)
        and len(message) >= HEADER.size + length
    )


async def _probe_udp(target: TurnTarget, transaction_id: bytes, refusals: list[str]) -> None:
    """Send, and send again every `UDP_RETRY_S`, until an answer comes. A refusal
    (ICMP port unreachable) is retried too: a server may be binding its socket."""
    (family, kind, proto, _, address), *_ = await trio.socket.getaddrinfo(
        target.host, target.port, type=trio.socket.SOCK_DGRAM
    )
    with trio.socket.socket(family, kind, proto) as sock:
        await sock.connect(address)
        while True:
            with trio.move_on_after(UDP_RETRY_S):
                try:
                    await sock.send(binding_request(transaction_id))
                    while True:
                        answer = await sock.recv(2048)
                        if is_response_to(answer, transaction_id):
                            return
                except ConnectionRefusedError:
                    refusals.append(str(target))
                    await trio.sleep_forever()  # until the next retry


async def _probe_stream(target: TurnTarget, transaction_id: bytes) -> None:
    stream: trio.abc.Stream
    if target.transport == "tls":
        stream = await trio.open_ssl_over_tcp_stream(
            target.host, target.port, ssl_context=ssl.create_default_context()
        )
    else:
        stream = await trio.open_tcp_stream(target.host, target.port)
    async with stream:
        await stream.send_all(binding_request(transaction_id))
        received = b""
        while len(received) < HEADER.size or not is_response_to(received, transaction_id):
            chunk = await stream.receive_some(2048)
            if not chunk:
                raise TurnUnreachable(f"{target}: closed without a STUN answer")
            received += chunk
            if len(received) > 4096:
                raise TurnUnreachable(f"{target}: not a STUN answer")


async def probe_target(target: TurnTarget, refusals: list[str]) -> None:
    transaction_id = secrets.token_bytes(12)
    try:
        if target.transport == "udp":
            await _probe_udp(target, transaction_id, refusals)
        else:
            await _probe_stream(target, transaction_id)
    except OSError as error:
        raise TurnUnreachable(f"{target}: {error.strerror or error}") from error


async def probe_turn(urls: tuple[str, ...], *, timeout_s: float = 2.5) -> None:
    """Return when every distinct target answered; raise `TurnUnreachable` naming the rest."""
    targets = sorted({parse_turn_url(url) for url in urls}, key=str)
    silent: list[str] = []
    refusals: list[str] = []

    async def one(target: TurnTarget) -> None:
        try:
            with trio.fail_after(timeout_s):
                await probe_target(target, refusals)
        except trio.TooSlowError:
            why = "connection refused" if str(target) in refusals else "no answer"
            silent.append(f"{target}: {why} within {timeout_s:g} s")
        except TurnUnreachable as error:
            silent.append(str(error))

    async with trio.open_nursery() as nursery:
        for target in targets:
            nursery.start_soon(one, target)
    if silent:
        raise TurnUnreachable("; ".join(sorted(silent)))
