"""`syncwatch backup DEST [--verify]` and `syncwatch restore SRC [--verify]` (docs/ops/backup.md).

Both act on the deployment the configuration names (SYNCWATCH_DATA_DIR,
_DATABASE_URL, _STORAGE_URL), exactly as the server would see it. `backup`
works while the server runs. `restore --verify` checks a backup in a scratch
location and changes nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import trio

from syncwatch.cli.common import EXIT_FAILED, EXIT_OK, add_data_dir
from syncwatch.settings import Settings

if TYPE_CHECKING:
    from syncwatch.backup.operations import Report
    from syncwatch.cli.common import Commands


def register(commands: Commands) -> None:
    backup = commands.add_parser(
        "backup", help="copy the database, media and secret key into a new directory"
    )
    backup.add_argument("destination", type=Path, help="a new (or empty) directory")
    backup.add_argument(
        "--verify", action="store_true", help="then restore it into a scratch location and check it"
    )
    add_data_dir(backup)
    backup.set_defaults(run=run_backup)

    restore = commands.add_parser(
        "restore", help="load a backup into the configured, empty database and storage"
    )
    restore.add_argument("source", type=Path, help="a directory made by `syncwatch backup`")
    restore.add_argument(
        "--verify",
        action="store_true",
        help="only check the backup: restore it into a scratch location, then discard it",
    )
    add_data_dir(restore)
    restore.set_defaults(run=run_restore)


def _say(line: str) -> None:
    print(f"  {line}", flush=True)


def _outcome(report: Report, what: str, started: float) -> int:
    for problem in report.problems:
        print(f"  PROBLEM  {problem}")
    elapsed = time.monotonic() - started
    if report.problems:
        print(f"{what} failed: {len(report.problems)} problem(s) ({elapsed:.1f} s).")
        return EXIT_FAILED
    print(f"{what} passed ({elapsed:.1f} s).")
    return EXIT_OK


def _failure(error: Exception) -> int:
    from syncwatch.backup.manifest import BackupError
    from syncwatch.store.dumps import DumpError

    if isinstance(error, BackupError | DumpError):
        print(f"syncwatch: {error}", file=sys.stderr)
    else:
        print(f"syncwatch: {type(error).__name__}: {error}", file=sys.stderr)
    return EXIT_FAILED


def run_backup(args: argparse.Namespace, settings: Settings) -> int:
    from syncwatch.backup.operations import take_backup, verify_backup

    started = time.monotonic()
    print(f"Backing up to {args.destination}")
    try:
        trio.run(take_backup, settings, args.destination, _say)
        print(f"Backup complete ({time.monotonic() - started:.1f} s).")
        if not args.verify:
            return EXIT_OK
        started = time.monotonic()
        print(f"Verifying {args.destination}")
        report = trio.run(verify_backup, settings, args.destination, _say)
    except Exception as error:
        return _failure(error)
    return _outcome(report, "Verification", started)


def run_restore(args: argparse.Namespace, settings: Settings) -> int:
    from syncwatch.backup.operations import restore_backup, verify_backup

    started = time.monotonic()
    try:
        if args.verify:
            print(f"Verifying {args.source}")
            report = trio.run(verify_backup, settings, args.source, _say)
            return _outcome(report, "Verification", started)
        print(f"Restoring {args.source}")
        report = trio.run(restore_backup, settings, args.source, _say)
    except Exception as error:
        return _failure(error)
    return _outcome(report, "Restore", started)
