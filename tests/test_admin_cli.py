"""`syncwatch admin reset-password USER` as an operator runs it: a real process on the
deployment's database, whose link the person then opens (issue 12 §4, spec 7.8)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from syncwatch.settings import Settings
from tests.support.environment import TEST_ENVIRONMENT


def run_admin(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("SYNCWATCH_")}
    env = {
        **keep,
        **TEST_ENVIRONMENT,
        "SYNCWATCH_DATABASE_URL": settings.resolved_database_url,
        "SYNCWATCH_DATA_DIR": str(settings.data_dir),
        "SYNCWATCH_PUBLIC_URL": "https://watch.example.org",
    }
    return subprocess.run(
        [sys.executable, "-m", "syncwatch", "admin", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


async def test_reset_password_prints_a_one_time_link_that_sets_a_new_password(
    settings: Settings, services: Any, client: Any
) -> None:
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": "ann@example.org", "username": "ann", "password": "correct horse"},
    )
    assert registered.status_code == 201

    result = run_admin(settings, "reset-password", "ann")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "One-time link for ann (valid 30 minutes, works once):"
    assert lines[1].startswith("https://watch.example.org/reset-password#token=")
    token = lines[1].split("#token=", 1)[1]
    reset = await client.post(
        "/api/v1/auth/password-reset", json={"token": token, "newPassword": "battery staple"}
    )
    assert reset.status_code == 204
    login = await client.post(
        "/api/v1/auth/login", json={"login": "ann", "password": "battery staple"}
    )
    assert login.status_code == 200
    events = await services.repositories.audit.list(event_type="admin.reset_password")
    assert len(events) == 1
    assert events[0].target_id == (await registered.get_json())["user"]["id"]
    assert events[0].metadata["operator"]


async def test_reset_password_for_nobody_fails_with_one_line_and_is_audited(
    settings: Settings, services: Any
) -> None:
    result = run_admin(settings, "reset-password", "nobody")
    assert result.returncode == 1
    # Log lines come first (on stderr too); the last line says what went wrong.
    assert result.stderr.strip().splitlines()[-1] == (
        "syncwatch: No account has the username or email 'nobody'."
    )
    assert "Traceback" not in result.stderr
    events = await services.repositories.audit.list(event_type="admin.reset_password")
    assert [(e.success, e.metadata["login"]) for e in events] == [(False, "nobody")]
