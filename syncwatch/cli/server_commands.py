"""`syncwatch serve`, `syncwatch migrate`, `syncwatch doctor`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import trio

from syncwatch.cli.common import EXIT_FAILED, EXIT_OK, add_data_dir
from syncwatch.settings import Settings

if TYPE_CHECKING:
    from syncwatch.cli.common import Commands


def register(commands: Commands) -> None:
    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    add_data_dir(serve)
    serve.set_defaults(run=run_serve)

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    add_data_dir(migrate)
    migrate.set_defaults(run=run_migrate)

    doctor = commands.add_parser("doctor", help="check configuration and dependencies")
    add_data_dir(doctor)
    doctor.set_defaults(run=run_doctor)


def _os_error_in(error: BaseException) -> OSError | None:
    """The OSError behind a failure to serve (Trio wraps it in exception groups)."""
    if isinstance(error, OSError):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = _os_error_in(inner)
            if found is not None:
                return found
    return None


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from syncwatch.server import serve_forever
    from syncwatch.supervision import CoreServiceLost, lost_service

    try:
        trio.run(serve_forever, settings)
    except (OSError, CoreServiceLost, BaseExceptionGroup) as error:
        if lost_service(error) is not None:
            return EXIT_FAILED  # already logged, in one line, by the supervisor
        cause = _os_error_in(error)
        if cause is None:
            raise
        print(
            f"syncwatch: cannot serve on {settings.host}:{settings.port}: {cause.strerror}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def run_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from syncwatch.doctor import run_migrate as migrate

    return trio.run(migrate, settings)


def run_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from syncwatch.doctor import run_doctor as doctor

    return trio.run(doctor, settings)
