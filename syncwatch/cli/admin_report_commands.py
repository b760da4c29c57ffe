"""`syncwatch admin reports ...`: what members reported, for operators.

    syncwatch admin reports list [--all] [--limit N] [--json]
    syncwatch admin reports show ID [--json]
    syncwatch admin reports resolve ID --note TEXT [--by NAME]

`ID` may be the first characters of a report's id (as `list` prints them) when
they name one report only. Every command writes an audit event
(`admin.reports.<command>`, spec 7.8) whose actor is the operator: `--by`, or the
login name the command runs under.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import trio

from syncwatch.cli.common import EXIT_FAILED, EXIT_OK, add_data_dir
from syncwatch.settings import Settings

if TYPE_CHECKING:
    from syncwatch.audit import AuditLog
    from syncwatch.cli.common import Commands
    from syncwatch.store.repositories import ReportRecord, Repositories

ID_SHOWN = 13
"""Characters of a report id `list` prints: enough to tell reports apart, short to type."""


def register(admin: Commands) -> None:
    reports = admin.add_parser("reports", help="reports members filed about others")
    actions = reports.add_subparsers(dest="admin_action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="open reports, newest first")
    listing.add_argument("--all", action="store_true", help="resolved reports too")
    listing.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    _common(listing)
    listing.set_defaults(run=_runner(list_reports))

    show = actions.add_parser("show", help="one report with its evidence")
    show.add_argument("report_id", metavar="ID")
    _common(show)
    show.set_defaults(run=_runner(show_report))

    resolve = actions.add_parser("resolve", help="close an open report with a note")
    resolve.add_argument("report_id", metavar="ID")
    resolve.add_argument("--note", required=True, help="what was decided (kept with the report)")
    _common(resolve)
    resolve.set_defaults(run=_runner(resolve_report))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--by", help="the operator's name for the audit trail (default: login)")
    add_data_dir(parser)


# --- running a command ----------------------------------------------------------------

Action = Callable[["Repositories", "AuditLog", argparse.Namespace, str], Awaitable[int]]


def _runner(action: Action) -> Callable[[argparse.Namespace, Settings], int]:
    def run(args: argparse.Namespace, settings: Settings) -> int:
        result: int = trio.run(_with_store, action, args, settings)
        return result

    return run


async def _with_store(action: Action, args: argparse.Namespace, settings: Settings) -> int:
    from syncwatch.audit import AuditLog
    from syncwatch.clock import SystemClock
    from syncwatch.store import open_database
    from syncwatch.store.migrations import current_schema, schema_version
    from syncwatch.store.repositories import Repositories

    db = await open_database(settings.resolved_database_url, pool_size=1)
    try:
        if await schema_version(db) != current_schema()[0]:
            _fail("the database schema is not current: run `syncwatch migrate` first")
            return EXIT_FAILED
        clock = SystemClock()
        repositories = Repositories.build(db, clock)
        audit = AuditLog(repositories.audit, clock)
        return await action(repositories, audit, args, _operator(args))
    finally:
        await db.close()


def _operator(args: argparse.Namespace) -> str:
    name: str = args.by or getpass.getuser()
    return f"operator:{name}"


def _fail(message: str) -> None:
    print(f"syncwatch: {message}", file=sys.stderr)


# --- reports --------------------------------------------------------------------------


async def list_reports(
    repos: Repositories, audit: AuditLog, args: argparse.Namespace, operator: str
) -> int:
    found = await repos.reports.listed(
        status=None if args.all else "open", limit=max(1, min(args.limit, 1000))
    )
    await audit.record(
        "admin.reports.list", actor_id=operator, target_type="report", count=len(found)
    )
    if args.json:
        print(json.dumps([_summary(report) for report in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        print("No open reports." if not args.all else "No reports.")
        return EXIT_OK
    print(
        f"{'ID':<{ID_SHOWN}}  {'FILED (UTC)':<16}  {'STATUS':<8}  {'REASON':<21}  ROOM      ABOUT"
    )
    for report in found:
        print(
            f"{report.id[:ID_SHOWN]:<{ID_SHOWN}}  {_when(report.created_at):<16}  "
            f"{report.status:<8}  {report.reason:<21}  {report.room_code:<8}  "
            f"{report.reported_name} ({report.reported_id})"
        )
    return EXIT_OK


async def show_report(
    repos: Repositories, audit: AuditLog, args: argparse.Namespace, operator: str
) -> int:
    report = await _one(repos, args.report_id)
    if report is None:
        return EXIT_FAILED
    await audit.record(
        "admin.reports.show", actor_id=operator, target_type="report", target_id=report.id
    )
    evidence = _evidence(report)
    if args.json:
        print(json.dumps({**_summary(report), "evidence": evidence}, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Report {report.id} ({report.status})")
    print(f"  filed     {_when(report.created_at)} UTC in room {report.room_code}")
    print(f"  about     {report.reported_name} ({report.reported_id})")
    print(f"  by        {report.reporter_name} ({report.reporter_id})")
    print(f"  reason    {report.reason}")
    if report.details:
        print(f"  details   {report.details}")
    if report.status == "resolved":
        print(f"  resolved  {_when(report.resolved_at or 0)} UTC by {report.resolved_by}")
        print(f"  note      {report.resolution}")
    room = evidence.get("room", {})
    print("\nRoom settings at the time:")
    for key in ("name", "privacy", "guestsAllowed", "playbackControl", "voiceRelayOnly"):
        if key in room:
            print(f"  {key:<16}{json.dumps(room[key], ensure_ascii=False)}")
    if "automod" in room:
        print(f"  {'automod':<16}{json.dumps(room['automod'], ensure_ascii=False)}")
    print("\nWho was in the room:")
    for person in evidence.get("participants", []):
        print(f"  {person.get('username')} ({person.get('participantId')}) {person.get('role')}")
    print(f"\nEvents of {report.reported_name}:")
    for event in evidence.get("events", []):
        details = {k: v for k, v in event.items() if k not in ("at", "kind")}
        extra = f" {json.dumps(details, ensure_ascii=False)}" if details else ""
        print(f"  {_when(int(event.get('at', 0)))}  {event.get('kind')}{extra}")
    chat = evidence.get("chat", [])
    print(f"\nThe room's last {len(chat)} chat lines:")
    for line in chat:
        print(f"  {_chat_line(line)}")
    return EXIT_OK


async def resolve_report(
    repos: Repositories, audit: AuditLog, args: argparse.Namespace, operator: str
) -> int:
    note = args.note.strip()
    if not note:
        _fail("--note must say what was decided")
        return EXIT_FAILED
    report = await _one(repos, args.report_id)
    if report is None:
        return EXIT_FAILED
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    resolved = await repos.reports.resolve(report.id, operator, note, now_ms)
    await audit.record(
        "admin.reports.resolve",
        actor_id=operator,
        target_type="report",
        target_id=report.id,
        success=resolved,
        note=note,
    )
    if not resolved:
        _fail(f"report {report.id} is already resolved")
        return EXIT_FAILED
    print(f"Resolved report {report.id}.")
    return EXIT_OK


async def _one(repos: Repositories, prefix: str) -> ReportRecord | None:
    prefix = prefix.strip()
    found = await repos.reports.find_by_prefix(prefix) if len(prefix) >= 4 else []
    if len(found) == 1:
        return found[0]
    if not found:
        _fail(f"no report's id starts with {prefix!r} (give at least 4 characters)")
    else:
        _fail(f"more than one report's id starts with {prefix!r}: give more of it")
    return None


def _summary(report: ReportRecord) -> dict[str, Any]:
    return {
        "id": report.id,
        "status": report.status,
        "createdAt": report.created_at,
        "roomId": report.room_id,
        "roomCode": report.room_code,
        "reason": report.reason,
        "details": report.details,
        "reported": {"id": report.reported_id, "name": report.reported_name},
        "reporter": {"id": report.reporter_id, "name": report.reporter_name},
        "resolvedAt": report.resolved_at,
        "resolvedBy": report.resolved_by,
        "resolution": report.resolution,
    }


def _evidence(report: ReportRecord) -> dict[str, Any]:
    try:
        evidence = json.loads(report.evidence_json)
    except ValueError:
        return {}
    return evidence if isinstance(evidence, dict) else {}


def _when(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")


def _chat_line(line: dict[str, Any]) -> str:
    when = _when(int(line.get("createdAt", 0)))
    if line.get("kind") == "system":
        return f"{when}  * {json.dumps(line.get('event'), ensure_ascii=False)}"
    seen = f" [seen only by {', '.join(line['visibleTo'])}]" if line.get("visibleTo") else ""
    hidden = " [hidden]" if line.get("hidden") else ""
    return f"{when}  <{line.get('username')}> {line.get('content')}{hidden}{seen}"
