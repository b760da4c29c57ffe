"""The Quart-Trio application: routes, hygiene and the services it starts.

`create_app(services)` wires blueprints to already-open services. Long-lived
tasks (room registry, janitor, transcode pool) are started in the app's
nursery before serving begins, so they live exactly as long as the server.
"""

from __future__ import annotations

from functools import partial

import trio
from quart_trio import QuartTrio

from syncwatch.http.auth_routes import auth_blueprint
from syncwatch.http.friend_routes import friend_blueprint
from syncwatch.http.health_routes import health_blueprint
from syncwatch.http.hygiene import install_hygiene
from syncwatch.http.media_routes import install_media
from syncwatch.http.room_routes import room_blueprint
from syncwatch.http.room_socket import room_socket_blueprint
from syncwatch.http.spa import spa_blueprint
from syncwatch.http.subtitle_routes import subtitle_blueprint
from syncwatch.http.user_socket import user_socket_blueprint
from syncwatch.http.voice_routes import voice_blueprint
from syncwatch.janitor import Janitor
from syncwatch.media.service import MediaService
from syncwatch.media.transcode_pool import JobUpdate
from syncwatch.observability.logs import get_logger
from syncwatch.protocol.server_messages import MediaProgress, MediaProgressData
from syncwatch.rooms.directory import RoomDirectory
from syncwatch.rooms.registry import RoomRegistry
from syncwatch.services import Services
from syncwatch.social.friends import FriendsService
from syncwatch.social.hub import UserHub

CHECKPOINT_EVERY_S = 2.0


async def announce_transcode(
    media: MediaService, registry: RoomRegistry, update: JobUpdate
) -> None:
    """Everyone in the room an upload was made for sees its processing progress."""
    video = await media.videos.get(update.video_id)
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
    registry.announce(video.room_code.upper(), notice.to_json())


log = get_logger("syncwatch.app")


def create_app(services: Services) -> QuartTrio:
    app = QuartTrio("syncwatch")
    app.config.update(
        MAX_CONTENT_LENGTH=services.settings.max_json_body_bytes,
        # Without this every shutdown waits 5 s for tasks that never end.
        BACKGROUND_TASK_SHUTDOWN_TIMEOUT=None,
        JSON_SORT_KEYS=False,
        PROVIDE_AUTOMATIC_OPTIONS=True,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    install_hygiene(app, services)

    directory = RoomDirectory(
        settings=services.settings,
        repositories=services.repositories,
        fabric=services.fabric,
        hasher=services.hasher,
        clock=services.clock,
        audit=services.audit,
    )
    registry = RoomRegistry(services)
    directory.live = registry
    janitor = Janitor(services, is_live=lambda code: registry.member_count(code) > 0)
    services.extensions["rooms"] = registry
    services.extensions["janitor"] = janitor
    services.extensions.setdefault("shutdown_hooks", []).append(registry.shutdown)

    app.register_blueprint(health_blueprint(services))
    app.register_blueprint(auth_blueprint(services))
    app.register_blueprint(room_blueprint(services, directory, registry))
    app.register_blueprint(room_socket_blueprint(services, registry, directory))
    hub = UserHub(services.repositories)
    friends = FriendsService(services.repositories, hub, services.clock)
    app.register_blueprint(friend_blueprint(services, friends))
    app.register_blueprint(user_socket_blueprint(services, hub, friends))
    media = install_media(app, services)
    app.register_blueprint(subtitle_blueprint(services, media, is_member=registry.is_member))
    app.register_blueprint(voice_blueprint(services))
    app.register_blueprint(spa_blueprint())

    async def checkpoint_forever() -> None:
        # SQLite's log is checkpointed here, off every request's and room's path.
        while True:
            await trio.sleep(CHECKPOINT_EVERY_S)
            try:
                await services.db.checkpoint()
            except Exception:
                log.exception("database checkpoint failed; will retry")

    @app.before_serving
    async def start_services() -> None:
        media = services.extensions.get("media")
        if media is not None:
            media.update_listeners.append(partial(announce_transcode, media, registry))
        app.nursery.start_soon(checkpoint_forever)
        await app.nursery.start(services.audit.run)
        await app.nursery.start(registry.run)
        await app.nursery.start(janitor.run)

    @app.after_serving
    async def stop_services() -> None:
        await registry.shutdown()

    return app
