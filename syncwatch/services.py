"""The long-lived parts of one server process, opened once and passed explicitly.

`open_services(settings)` opens the database (migrating it), the fabric and
everything built on them, and closes them in reverse order, shielded and
bounded, whatever happens. The parts that run tasks (the room registry, the
janitor, the media service, the audit writer, the group commit writer) are built
and run by the composition root, `syncwatch/components.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import trio
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SpanExporter

from syncwatch.audit import AuditLog
from syncwatch.auth.account import AccountService
from syncwatch.auth.passwords import PasswordHasher
from syncwatch.auth.revocation import Revocations
from syncwatch.auth.service import AuthService
from syncwatch.clock import Clock, SystemClock
from syncwatch.fabric import Fabric, open_fabric
from syncwatch.fabric.leases import RoomLeases
from syncwatch.observability.logs import get_logger
from syncwatch.observability.metrics import Metrics
from syncwatch.observability.tracing import Tracer, open_tracing
from syncwatch.settings import Settings
from syncwatch.shutdown import Shutdown
from syncwatch.store import Database, open_database
from syncwatch.store.group_commit import GroupCommit
from syncwatch.store.migrations import migrate
from syncwatch.store.repositories import Repositories

log = get_logger("syncwatch.services")

CLOSE_DEADLINE_S = 10


@dataclass
class Services:
    settings: Settings
    clock: Clock
    metrics: Metrics
    db: Database
    repositories: Repositories
    fabric: Fabric
    audit: AuditLog
    hasher: PasswordHasher
    auth: AuthService
    account: AccountService
    # Room snapshots and chat lines, committed in groups (store/group_commit.py).
    group_commit: GroupCommit
    # Leases on rooms (fabric/leases.py, ADR 0015): only with Redis configured.
    room_leases: RoomLeases | None = None
    # Set while a shutdown is under way: open sockets are told at once to close 1012.
    shutting_down: Shutdown = field(default_factory=Shutdown)
    # Extra origins of media (S3 public endpoint) allowed by the CSP.
    media_origins: tuple[str, ...] = ()
    # OpenTelemetry (syncwatch/observability/tracing.py): a no-op unless configured.
    tracer: Tracer = field(default_factory=trace.NoOpTracer)


@asynccontextmanager
async def open_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    fabric_prefix: str = "sw:",
    span_exporter: SpanExporter | None = None,
) -> AsyncIterator[Services]:
    with open_tracing(settings, exporter=span_exporter) as tracer:
        async with _open_services(settings, clock, fabric_prefix, tracer) as services:
            yield services


@asynccontextmanager
async def _open_services(
    settings: Settings, clock: Clock | None, fabric_prefix: str, tracer: Tracer
) -> AsyncIterator[Services]:
    clock = clock or SystemClock()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = await open_database(settings.resolved_database_url)
    fabric: Fabric | None = None
    room_leases: RoomLeases | None = None
    try:
        version = await migrate(db)
        log.info("database ready", dialect=db.dialect, schema_version=version)
        fabric = await open_fabric(settings.redis_url, prefix=fabric_prefix)
        if settings.redis_url:
            room_leases = RoomLeases(settings.redis_url, prefix=fabric_prefix)
        repositories = Repositories.build(db)
        audit = AuditLog(repositories.audit, clock)
        hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        revocations = Revocations(fabric, clock, settings.access_token_ttl_s)
        auth = AuthService(
            settings=settings,
            repositories=repositories,
            fabric=fabric,
            hasher=hasher,
            clock=clock,
            audit=audit,
            revocations=revocations,
        )
        account = AccountService(
            settings=settings,
            repositories=repositories,
            fabric=fabric,
            hasher=hasher,
            clock=clock,
            audit=audit,
            revocations=revocations,
        )
        yield Services(
            settings=settings,
            clock=clock,
            metrics=Metrics(),
            db=db,
            repositories=repositories,
            fabric=fabric,
            audit=audit,
            hasher=hasher,
            auth=auth,
            account=account,
            group_commit=GroupCommit(db),
            room_leases=room_leases,
            tracer=tracer,
        )
    finally:
        with trio.move_on_after(CLOSE_DEADLINE_S) as scope:
            scope.shield = True
            if fabric is not None:
                await fabric.close()
            if room_leases is not None:
                await room_leases.close()
            await db.close()
