"""The composition root: every long-lived part of one server process, built in one place.

`build_components` constructs each part with everything it needs, so nothing is
wired after construction; `Components.run` starts the core services in the
order below, under one nursery, supervised (`supervision.py`):

    audit writer   rows queued by every other part are stored in batches
    checkpointer   SQLite's log folded back, off every request's path
    group commit   rooms' snapshots and chat lines, one transaction per group
    rooms          the registry: one supervised actor per live room
    media          tus uploads, the transcode pool and its janitor
    janitor        expiry of rooms, refresh tokens and audit rows
    presence       friends see an idle user turn away (social/hub.py)
    reminders      scheduled rooms' reminders, 10 minutes before and at the start
    crossing       what other instances send to the sockets this one holds (ADR 0016)

`open_components(settings)` opens the services, builds the parts and runs them
for as long as its block lasts: the server and the tests both go through it.
The HTTP app (`app.create_app`) only routes requests to these parts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import trio

from syncwatch.clock import Clock
from syncwatch.fabric.crossing import Crossing
from syncwatch.janitor import Janitor
from syncwatch.media.metrics import MediaMetrics
from syncwatch.media.service import MediaConfig, MediaService
from syncwatch.media.storage import MediaStorage, open_storage
from syncwatch.media.transcode_pool import JobUpdate
from syncwatch.media.video_store import VideoRecord
from syncwatch.observability.metrics import ScrapeHook
from syncwatch.protocol.server_messages import MediaProgress, MediaProgressData
from syncwatch.rooms.directory import RoomDirectory
from syncwatch.rooms.registry import RoomRegistry
from syncwatch.services import Services, open_services
from syncwatch.settings import Settings
from syncwatch.social.friends import FriendsService
from syncwatch.social.history import WatchLog
from syncwatch.social.hub import UserHub
from syncwatch.social.notifications import Notifier
from syncwatch.social.reminders import Reminders
from syncwatch.social.schedules import ScheduleService
from syncwatch.social.templates import TemplateService
from syncwatch.store.checkpointer import Checkpointer
from syncwatch.supervision import CoreServices
from syncwatch.voice.telemetry import VoiceTelemetry

Check = Callable[[], Awaitable[object]]

# Shutdown: members told to reconnect (1012) and every room saved within this.
SHUTDOWN_DEADLINE_S = 10.0


@dataclass(frozen=True, slots=True)
class Components:
    services: Services
    storage: MediaStorage
    rooms: RoomRegistry
    directory: RoomDirectory
    janitor: Janitor
    media: MediaService
    checkpointer: Checkpointer
    hub: UserHub
    friends: FriendsService
    notifier: Notifier
    reminders: Reminders
    schedules: ScheduleService
    templates: TemplateService
    voice_telemetry: VoiceTelemetry
    crossing: Crossing
    core: CoreServices

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Run the core services; raises `CoreServiceLost` when one is lost."""
        await self.core.run(task_status=task_status)

    async def shutdown(self) -> None:
        """Graceful stop: readiness turns 503, members reconnect (1012), rooms are saved.

        Once: the server's shutdown trigger and the end of `running_components` both ask.
        """
        if self.services.shutting_down.is_set():
            return
        self.services.shutting_down.set()
        with trio.move_on_after(SHUTDOWN_DEADLINE_S):
            await self.rooms.shutdown()

    def readiness_checks(self) -> dict[str, Check]:
        """What `/health/ready` asks besides the database and Redis."""

        async def core_services() -> None:
            missing = self.core.not_running()
            if missing:
                raise RuntimeError(f"not running: {', '.join(missing)}")

        async def storage() -> None:
            await self.storage.exists("health/probe")

        async def capacity() -> None:
            # Saturated: 503 with the reason, so a load balancer sends people elsewhere.
            reason = self.rooms.saturation()
            if reason is not None:
                raise RuntimeError(f"saturated: {reason}")

        return {"services": core_services, "storage": storage, "capacity": capacity}

    def scrape_hooks(self) -> list[ScrapeHook]:
        """What refreshes gauges at each `/metrics` scrape."""
        return [self.media.refresh_queue_metrics]


def build_components(services: Services, storage: MediaStorage) -> Components:
    crossing = Crossing(services.fabric, services.clock)
    rooms = RoomRegistry(services, crossing=crossing)
    directory = RoomDirectory(
        settings=services.settings,
        repositories=services.repositories,
        fabric=services.fabric,
        hasher=services.hasher,
        clock=services.clock,
        audit=services.audit,
        live=rooms,
        group_commit=services.group_commit,
    )

    async def announce_transcode(update: JobUpdate, video: VideoRecord | None) -> None:
        """Everyone in the room an upload was made for sees its processing progress."""
        if video is None or not video.room_code:
            return
        notice = MediaProgress(
            data=MediaProgressData(
                video_id=video.id,
                filename=video.filename,
                # Retrying is still processing, as far as the room is concerned.
                status=update.state if update.state in ("ready", "failed") else "processing",
                progress=max(0, min(100, round(update.progress))),
                playable=update.playable,
                error=update.reason,
            )
        )
        # The room may run on another instance than the transcode (ADR 0016).
        await rooms.announce_everywhere(video.room_code.upper(), notice.to_json())

    media = MediaService(
        config=MediaConfig.from_settings(services.settings),
        db=services.db,
        storage=storage,
        clock=services.clock,
        metrics=MediaMetrics(services.metrics.registry),
        update_listeners=[announce_transcode],
        tracer=services.tracer,
        fabric=services.fabric,
    )
    janitor = Janitor(
        services,
        is_live=lambda code: rooms.member_count(code) > 0,
        leases=services.room_leases,
    )
    checkpointer = Checkpointer(services.db)
    watch_log = WatchLog(services.repositories, services.clock, now_playing=rooms.now_playing)
    hub = UserHub(
        services.repositories,
        room_lookup=rooms.presence_details,
        watch_log=watch_log,
        crossing=crossing,
        fabric=services.fabric,
        clock=services.clock,
    )

    async def deliver_to_user(user_id: str, text: str) -> None:
        hub.deliver(user_id, text)

    crossing.on("user", deliver_to_user)
    notifier = Notifier(services.repositories, hub, services.clock)
    friends = FriendsService(services.repositories, hub, services.clock, notifier)
    reminders = Reminders(services.repositories, notifier, services.clock)
    return Components(
        services=services,
        storage=storage,
        rooms=rooms,
        directory=directory,
        janitor=janitor,
        media=media,
        checkpointer=checkpointer,
        hub=hub,
        friends=friends,
        notifier=notifier,
        reminders=reminders,
        schedules=ScheduleService(services.repositories, friends, reminders, services.clock),
        templates=TemplateService(services.repositories, services.clock),
        voice_telemetry=VoiceTelemetry(services.metrics.registry),
        crossing=crossing,
        core=CoreServices(
            [
                ("audit", services.audit.run),
                ("checkpointer", checkpointer.run),
                ("group_commit", services.group_commit.run),
                ("rooms", rooms.run),
                ("media", media.run),
                ("janitor", janitor.run),
                ("presence", hub.run),
                ("reminders", reminders.run),
                ("sign-outs", services.auth.revocations.run),
                ("crossing", crossing.run),
                ("sign-out rechecks", services.auth.revocations.recheck),
            ]
        ),
    )


@asynccontextmanager
async def running_components(services: Services) -> AsyncIterator[Components]:
    """Build the parts on open `services` and run them for the block's duration.

    A lost core service cancels the block and surfaces as `CoreServiceLost`.
    Leaving the block stops gracefully: rooms save their snapshots first.
    """
    storage = await open_storage(services.settings.resolved_storage_url)
    components = build_components(services, storage)
    async with trio.open_nursery() as nursery:
        await nursery.start(components.run)
        yield components
        with trio.CancelScope(shield=True):
            await components.shutdown()
        nursery.cancel_scope.cancel()


@asynccontextmanager
async def open_components(
    settings: Settings, *, clock: Clock | None = None, fabric_prefix: str = "sw:"
) -> AsyncIterator[Components]:
    """Open the services and run every part on them: one server process's worth."""
    async with (
        open_services(settings, clock=clock, fabric_prefix=fabric_prefix) as services,
        running_components(services) as components,
    ):
        yield components
