"""The `syncwatch` command: `serve`, `migrate`, `doctor`.

Exit codes: 0 success, 1 a check failed (doctor) or the server failed,
2 invalid configuration or usage. Configuration errors print one line,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import trio

from syncwatch import __version__
from syncwatch.observability.logs import configure_logging
from syncwatch.settings import ConfigError, Settings, load_settings

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="syncwatch", description="SyncWatch: watch videos together, in sync."
    )
    parser.add_argument("--version", action="version", version=f"syncwatch {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument("--data-dir", type=Path, help="where embedded data lives (default ./data)")

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument("--data-dir", type=Path)

    doctor = commands.add_parser("doctor", help="check configuration and dependencies")
    doctor.add_argument("--data-dir", type=Path)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        data_dir=getattr(args, "data_dir", None),
    )


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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args)
    except ConfigError as error:
        print(f"syncwatch: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(settings.log_level, settings.log_format)
    if args.command == "serve":
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
    if args.command == "migrate":
        from syncwatch.doctor import run_migrate

        return trio.run(run_migrate, settings)
    from syncwatch.doctor import run_doctor

    return trio.run(run_doctor, settings)


if __name__ == "__main__":
    sys.exit(main())
