"""The Quart-Trio application: routes, hygiene and the services it starts.

`create_app(services)` wires blueprints to already-open services. Long-lived
tasks (room registry, janitor, transcode pool) are started in the app's
nursery before serving begins, so they live exactly as long as the server.
"""

from __future__ import annotations

from quart_trio import QuartTrio

from syncwatch.http.auth_routes import auth_blueprint
from syncwatch.http.health_routes import health_blueprint
from syncwatch.http.hygiene import install_hygiene
from syncwatch.http.spa import spa_blueprint
from syncwatch.media.routes import install_media
from syncwatch.services import Services


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
    app.register_blueprint(health_blueprint(services))
    app.register_blueprint(auth_blueprint(services))
    install_media(app, services)
    app.register_blueprint(spa_blueprint())
    return app
