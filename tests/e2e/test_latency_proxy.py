"""The latency proxy delays both directions and never reorders bytes."""

from __future__ import annotations

from functools import partial

import trio

from tasks.latency_proxy import DelayLine, serve


def test_jitter_never_schedules_a_chunk_before_the_one_read_ahead_of_it() -> None:
    import random

    line = DelayLine(0.05, 0.01, random.Random(3))
    deliveries = [line.delivery_time(i * 0.001) for i in range(200)]
    assert deliveries == sorted(deliveries)
    assert all(d - i * 0.001 >= 0.04 for i, d in enumerate(deliveries))


async def echo(stream: trio.SocketStream) -> None:
    async with stream:
        while data := await stream.receive_some(65536):
            await stream.send_all(data)


async def test_a_round_trip_through_the_proxy_takes_both_delays_and_keeps_order() -> None:
    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(partial(trio.serve_tcp, echo, 0, host="127.0.0.1"))
        echo_port = listeners[0].socket.getsockname()[1]
        proxy_port = trio.socket.socket()
        await proxy_port.bind(("127.0.0.1", 0))
        port = proxy_port.getsockname()[1]
        proxy_port.close()
        nursery.start_soon(serve, "127.0.0.1", echo_port, port, 0.03, 0.01, 7)
        with trio.fail_after(5):
            while True:
                try:
                    stream = await trio.open_tcp_stream("127.0.0.1", port)
                    break
                except OSError:
                    await trio.sleep(0.01)
        async with stream:
            payload = b"".join(f"{i:05d}".encode() for i in range(2000))
            started = trio.current_time()
            for i in range(0, len(payload), 1000):
                await stream.send_all(payload[i : i + 1000])
            received = b""
            with trio.fail_after(5):
                while len(received) < len(payload):
                    received += await stream.receive_some(65536)
            elapsed = trio.current_time() - started
        assert received == payload
        assert elapsed >= 2 * (0.03 - 0.01)
        nursery.cancel_scope.cancel()
