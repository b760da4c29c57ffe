"""Running the server: Hypercorn's Trio worker, driven programmatically.

SIGTERM/SIGINT start a graceful shutdown: `services.shutting_down` is set (room
connections send close 1012 and rooms save their snapshots), then Hypercorn is
told to stop accepting and finish within its graceful timeout. A second signal
cancels everything at once.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Awaitable, Callable

import trio
from hypercorn.config import Config as HypercornConfig
from hypercorn.trio import serve as hypercorn_serve

from syncwatch.app import create_app
from syncwatch.observability.logs import get_logger
from syncwatch.services import Services, open_services
from syncwatch.settings import Settings

log = get_logger("syncwatch.server")

GRACEFUL_TIMEOUT_S = 10.0
# Hypercorn refuses frames above this outright (close 1009). The protocol's own
# 64 KiB limit is enforced by the gateway, which answers with an error frame
# and keeps the connection; this is only the hard ceiling behind it.
HARD_FRAME_LIMIT = 1024 * 1024

ShutdownHook = Callable[[], Awaitable[None]]


def hypercorn_config(settings: Settings) -> HypercornConfig:
    config = HypercornConfig()
    config.bind = [f"{settings.host}:{settings.port}"]
    config.accesslog = None
    config.errorlog = logging.getLogger("hypercorn.error")
    config.graceful_timeout = GRACEFUL_TIMEOUT_S
    config.websocket_max_message_size = HARD_FRAME_LIMIT
    config.keep_alive_timeout = 30
    config.include_server_header = False
    return config


async def run_server(
    services: Services,
    *,
    stop: trio.Event,
    task_status: trio.TaskStatus[list[str]] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Serve until `stop` is set, then shut down gracefully."""
    app = create_app(services)

    async def shutdown_trigger() -> None:
        await stop.wait()
        services.shutting_down.set()
        # Give connection tasks a moment to send 1012 and rooms to save.
        for hook in services.extensions.get("shutdown_hooks", []):
            with trio.move_on_after(GRACEFUL_TIMEOUT_S):
                await hook()

    await hypercorn_serve(
        app,
        hypercorn_config(services.settings),
        shutdown_trigger=shutdown_trigger,
        task_status=task_status,
    )


async def _watch_signals(stop: trio.Event, cancel: trio.CancelScope) -> None:
    with trio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
        async for signum in signals:
            if not stop.is_set():
                log.info("shutting down gracefully", signal=signal.Signals(signum).name)
                stop.set()
            else:
                log.warning("second signal: stopping now", signal=signal.Signals(signum).name)
                cancel.cancel()
                return


async def serve_forever(settings: Settings) -> None:
    stop = trio.Event()
    async with open_services(settings) as services, trio.open_nursery() as nursery:
        nursery.start_soon(_watch_signals, stop, nursery.cancel_scope)
        binds = await nursery.start(_serve_then_end, services, stop, nursery.cancel_scope)
        log.info("SyncWatch is listening", urls=binds, public_url=settings.public_url)


async def _serve_then_end(
    services: Services,
    stop: trio.Event,
    scope: trio.CancelScope,
    task_status: trio.TaskStatus[list[str]] = trio.TASK_STATUS_IGNORED,
) -> None:
    await run_server(services, stop=stop, task_status=task_status)
    scope.cancel()  # the server is done: end the signal watcher too
