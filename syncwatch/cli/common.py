"""What every `syncwatch` command shares: exit codes and common options."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2

if TYPE_CHECKING:
    # What `ArgumentParser.add_subparsers()` returns: each group registers on it.
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, help="where embedded data lives (default ./data)")
