"""A user-space TCP proxy that delays every byte by a fixed latency plus jitter,
in each direction (the kernel here has no netem qdisc).

    python tasks/latency_proxy.py --target 127.0.0.1:8000 [--listen-port 0]
                                  [--delay-ms 50] [--jitter-ms 10] [--seed 1]

Prints `listening on <port>` once ready. Each chunk read from one side is
written to the other at `read time + delay ± jitter` (uniform), but never
before the chunk read ahead of it: TCP delivers in order, so jitter stretches
and squeezes the gaps between chunks and never reorders bytes. Each
direction's queue is bounded; a side that cannot keep up slows the reader.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import random
import sys
from functools import partial

import trio

QUEUE_CHUNKS = 1024
READ_SIZE = 65536


class DelayLine:
    """The delivery schedule of one direction: latency plus jitter, in order."""

    def __init__(self, delay_s: float, jitter_s: float, rng: random.Random) -> None:
        self.delay_s = delay_s
        self.jitter_s = jitter_s
        self.rng = rng
        self.last_delivery = -math.inf

    def delivery_time(self, read_at: float) -> float:
        wanted = read_at + self.delay_s + self.rng.uniform(-self.jitter_s, self.jitter_s)
        self.last_delivery = max(self.last_delivery, wanted)
        return self.last_delivery


async def pump(source: trio.SocketStream, sink: trio.SocketStream, line: DelayLine) -> None:
    sender, receiver = trio.open_memory_channel[tuple[float, bytes] | None](QUEUE_CHUNKS)

    async def read() -> None:
        async with sender:
            try:
                while chunk := await source.receive_some(READ_SIZE):
                    await sender.send((line.delivery_time(trio.current_time()), chunk))
            except trio.BrokenResourceError:
                pass
            await sender.send(None)

    async def write() -> None:
        async with receiver:
            async for item in receiver:
                if item is None:
                    break
                deliver_at, chunk = item
                await trio.sleep_until(deliver_at)
                await sink.send_all(chunk)
        # The other side finished sending: pass the end of stream on, after its data.
        await sink.send_eof()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(read)
        nursery.start_soon(write)


async def handle(
    client: trio.SocketStream, *, host: str, port: int, delay_s: float, jitter_s: float, seed: int
) -> None:
    rng = random.Random(seed ^ id(client))
    try:
        upstream = await trio.open_tcp_stream(host, port)
    except OSError:
        await client.aclose()
        return
    async with client, upstream:
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(pump, client, upstream, DelayLine(delay_s, jitter_s, rng))
                nursery.start_soon(pump, upstream, client, DelayLine(delay_s, jitter_s, rng))
        except* (trio.BrokenResourceError, trio.ClosedResourceError, OSError):
            pass  # One side went away: closing both ends is all there is to do.


async def serve(
    host: str, port: int, listen_port: int, delay_s: float, jitter_s: float, seed: int
) -> None:
    listeners = await trio.open_tcp_listeners(listen_port, host="127.0.0.1")
    bound = listeners[0].socket.getsockname()[1]
    print(f"listening on {bound}", flush=True)
    handler = partial(handle, host=host, port=port, delay_s=delay_s, jitter_s=jitter_s, seed=seed)
    await trio.serve_listeners(handler, listeners)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="host:port to forward to")
    parser.add_argument("--listen-port", type=int, default=0)
    parser.add_argument("--delay-ms", type=float, default=50)
    parser.add_argument("--jitter-ms", type=float, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    host, _, port = args.target.rpartition(":")
    with contextlib.suppress(KeyboardInterrupt):
        trio.run(
            serve,
            host,
            int(port),
            args.listen_port,
            args.delay_ms / 1000,
            args.jitter_ms / 1000,
            args.seed,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
