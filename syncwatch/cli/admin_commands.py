"""`syncwatch admin …`: operator commands on the configured deployment (spec 7.8).

One parser group; each family of admin commands is its own module listed in
`ADMIN_MODULES`, with `register(admin)` adding its subcommands and setting
`run(args, settings) -> exit code` on each, as the top-level groups do. Every
admin command is audited (an `admin.*` event, kept a year like the other
security events, naming the operator who ran it; `admin_support.py` has the
helpers for opening the deployment's services and recording the event).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncwatch.cli import admin_password_commands, admin_report_commands

if TYPE_CHECKING:
    from syncwatch.cli.common import Commands

ADMIN_MODULES = (admin_report_commands, admin_password_commands)


def register(commands: Commands) -> None:
    admin = commands.add_parser("admin", help="operator commands (accounts, reports)")
    group = admin.add_subparsers(dest="admin_command", required=True, metavar="ADMIN_COMMAND")
    for module in ADMIN_MODULES:
        module.register(group)
