"""Running the `syncwatch` command as an operator would: a real process."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.environment import TEST_ENVIRONMENT


def run_syncwatch(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m syncwatch ARGS` with only the given SYNCWATCH_* variables (and cheap hashing)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith("SYNCWATCH_")}
    return subprocess.run(
        [sys.executable, "-m", "syncwatch", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**keep, **TEST_ENVIRONMENT, **(env or {})},
        check=False,
    )
