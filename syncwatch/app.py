"""The Quart-Trio application: routes and hygiene over the running components.

`create_app(components)` registers the blueprints on parts that the
composition root (`syncwatch/components.py`) built and runs; the app starts
nothing itself, so its lifespan never owns a long-lived task.
"""

from __future__ import annotations

from quart_trio import QuartTrio

from syncwatch.components import Components
from syncwatch.http.account_data_routes import account_data_blueprint, account_farewell
from syncwatch.http.account_routes import account_blueprint
from syncwatch.http.auth_routes import auth_blueprint
from syncwatch.http.caller import install_sign_out_check
from syncwatch.http.device import install_device_cookie
from syncwatch.http.evening_routes import evening_blueprint
from syncwatch.http.friend_routes import friend_blueprint
from syncwatch.http.health_routes import health_blueprint
from syncwatch.http.hygiene import install_hygiene
from syncwatch.http.media_routes import install_media
from syncwatch.http.notification_routes import notification_blueprint
from syncwatch.http.openapi import openapi_blueprint
from syncwatch.http.room_routes import room_blueprint
from syncwatch.http.room_socket import room_socket_blueprint
from syncwatch.http.spa import spa_blueprint
from syncwatch.http.subtitle_routes import subtitle_blueprint
from syncwatch.http.upload_rooms import upload_room_check
from syncwatch.http.user_socket import user_socket_blueprint
from syncwatch.http.voice_routes import voice_blueprint


def create_app(components: Components) -> QuartTrio:
    services = components.services
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
    install_device_cookie(app, services)
    install_sign_out_check(app, services)

    app.register_blueprint(
        health_blueprint(services, components.readiness_checks(), components.scrape_hooks())
    )
    app.register_blueprint(openapi_blueprint())
    app.register_blueprint(auth_blueprint(services))
    app.register_blueprint(account_blueprint(services))
    app.register_blueprint(
        account_data_blueprint(services, account_farewell(components.rooms, components.media))
    )
    app.register_blueprint(room_blueprint(services, components.directory, components.rooms))
    app.register_blueprint(
        room_socket_blueprint(services, components.rooms, components.directory, components.hub)
    )
    app.register_blueprint(friend_blueprint(services, components.friends))
    app.register_blueprint(notification_blueprint(services, components.notifier))
    app.register_blueprint(
        evening_blueprint(
            services, components.directory, components.templates, components.schedules
        )
    )
    app.register_blueprint(
        user_socket_blueprint(services, components.hub, components.friends, components.notifier)
    )
    install_media(
        app,
        services,
        components.media,
        components.rooms.is_watching,
        upload_room_check(components.directory, components.rooms),
    )
    app.register_blueprint(
        subtitle_blueprint(
            services,
            components.media,
            is_member=components.rooms.is_member,
            is_watching=components.rooms.is_watching,
        )
    )
    app.register_blueprint(voice_blueprint(services, components.voice_telemetry, components.rooms))
    app.register_blueprint(spa_blueprint())
    return app
