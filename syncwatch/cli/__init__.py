"""The `syncwatch` command.

    syncwatch serve | migrate | doctor          (server_commands)
    syncwatch backup DEST [--verify]            (backup_commands)
    syncwatch restore SRC [--verify]
    syncwatch admin reports list|show|resolve   (admin_commands: one module per family)
    syncwatch admin reset-password USER

Each group of commands is a module with `register(commands)`, which adds its
subcommands and sets `run(args, settings) -> exit code` on each; a new group
(e.g. `syncwatch admin ...`) is one more module in `COMMAND_MODULES`.

Exit codes: 0 success, 1 a check or an operation failed, 2 invalid
configuration or usage. Configuration errors print one line, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from syncwatch import __version__
from syncwatch.cli import admin_commands, backup_commands, server_commands
from syncwatch.cli.common import EXIT_CONFIG
from syncwatch.observability.logs import configure_logging
from syncwatch.settings import ConfigError, load_settings

COMMAND_MODULES = (server_commands, backup_commands, admin_commands)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="syncwatch", description="SyncWatch: watch videos together, in sync."
    )
    parser.add_argument("--version", action="version", version=f"syncwatch {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            data_dir=getattr(args, "data_dir", None),
        )
    except ConfigError as error:
        print(f"syncwatch: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(settings.log_level, settings.log_format)
    code: int = args.run(args, settings)
    return code


if __name__ == "__main__":
    sys.exit(main())
