"""What every `syncwatch admin` command shares: the deployment's services and the audit
event each command leaves (spec 7.8: every admin command is audited)."""

from __future__ import annotations

import getpass
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from syncwatch.settings import Settings

if TYPE_CHECKING:
    from syncwatch.services import Services


def operator() -> str:
    """Who ran the command, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@asynccontextmanager
async def admin_services(settings: Settings) -> AsyncIterator[Services]:
    from syncwatch.services import open_services

    async with open_services(settings) as services:
        try:
            yield services
        finally:
            await services.audit.flush()


async def record_admin_command(
    services: Services, command: str, *, success: bool = True, **details: Any
) -> None:
    await services.audit.record(f"admin.{command}", success=success, operator=operator(), **details)
