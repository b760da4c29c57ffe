"""`syncwatch admin reset-password USER`: a one-time link to set a new password.

For a deployment without email: the operator hands the printed link to the
person (auth/password_reset.py). It works once, for 30 minutes; a newer link
replaces an older one.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import trio

from syncwatch.cli.common import EXIT_FAILED, EXIT_OK, add_data_dir
from syncwatch.settings import Settings

if TYPE_CHECKING:
    from syncwatch.cli.common import Commands


def register(admin: Commands) -> None:
    reset = admin.add_parser(
        "reset-password", help="print a one-time link (30 minutes) to set a user's password"
    )
    reset.add_argument("user", help="the username or email of the account")
    add_data_dir(reset)
    reset.set_defaults(run=run_reset_password)


def run_reset_password(args: argparse.Namespace, settings: Settings) -> int:
    return trio.run(_reset_password, settings, args.user)


async def _reset_password(settings: Settings, login: str) -> int:
    from syncwatch.auth.password_reset import PasswordResets, UnknownUser
    from syncwatch.cli.admin_support import admin_services, record_admin_command

    async with admin_services(settings) as services:
        resets = PasswordResets(
            settings=settings,
            repositories=services.repositories,
            hasher=services.hasher,
            clock=services.clock,
            audit=services.audit,
            revocations=services.auth.revocations,
        )
        try:
            link = await resets.issue(login)
        except UnknownUser as error:
            await record_admin_command(services, "reset_password", success=False, login=login)
            print(f"syncwatch: {error.detail}", file=sys.stderr)
            return EXIT_FAILED
        await record_admin_command(
            services,
            "reset_password",
            target_type="user",
            target_id=link.user_id,
            expires_at=link.expires_at,
        )
    print(f"One-time link for {link.username} (valid 30 minutes, works once):")
    print(link.url)
    return EXIT_OK
