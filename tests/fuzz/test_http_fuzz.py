"""Schemathesis against the generated OpenAPI document (issue 12 §6): requests made from
the document, valid and not, to a real server. No 5xx, and every answer a status
and body the document lists for that operation.

A short run here; `nox -s fuzz` runs thousands of cases (SYNCWATCH_FUZZ_HTTP_EXAMPLES).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import trio

from syncwatch.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("SYNCWATCH_FUZZ_HTTP_EXAMPLES", "4"))
DATABASES = os.environ.get("SYNCWATCH_FUZZ_HTTP_DATABASES", "sqlite").split(",")
SESSIONS = "/api/v1/auth/sessions"
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance"
)


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    # Limits would turn most generated requests into 429s (which are documented).
    return settings_factory(
        log_level=os.environ.get("SYNCWATCH_FUZZ_LOG_LEVEL", "info"),
        register_limit_per_hour=0,
        room_create_limit_per_hour=0,
        api_limit_per_minute=0,
        login_limit_per_minute=0,
    )


def schemathesis() -> str:
    found = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
    assert Path(found).exists(), "schemathesis is in the test extras"
    return found


@pytest.mark.parametrize("database_url", DATABASES, indirect=True)
async def test_generated_requests_get_documented_answers_and_never_a_server_error(
    live_server: str, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    registered = await http.post(
        "/api/v1/auth/register",
        json={"email": "fuzz@example.org", "username": "fuzzer", "password": "correct horse"},
    )
    token = registered.json()["accessToken"]
    # Signing out ends the token every other request carries: the rest of the run
    # would then test only 401s. Those operations go last, in a run of their own.
    signed_in = ["--exclude-path", "/api/v1/auth/logout", "--exclude-path", SESSIONS]
    output = await run_schemathesis(live_server, token, signed_in, tmp_path)
    # Only the refresh (it takes the cookie, never the bearer token) answers 401 to all.
    refused_all = re.search(r"401 Unauthorized \(\d+ operations?\):\n((?:  - .*\n)+)", output)
    assert refused_all is None or refused_all.group(1) == "  - POST /api/v1/auth/refresh\n"
    signing_out = ["--include-path", "/api/v1/auth/logout", "--include-path", SESSIONS]
    await run_schemathesis(live_server, token, signing_out, tmp_path)


async def run_schemathesis(
    live_server: str, token: str, selection: list[str], tmp_path: Path
) -> str:
    command = [
        schemathesis(), "run", str(ROOT / "docs" / "openapi.json"),
        "--url", live_server,
        "--checks", CHECKS,
        "--max-examples", str(EXAMPLES),
        "--phases", "examples,coverage,fuzzing",
        "--header", f"Authorization: Bearer {token}",
        "--suppress-health-check", "all",
        "--workers", "2",
        "--request-timeout", "10",
        "--seed", "12",
        "--generation-database", "none",
        *selection,
    ]  # fmt: skip
    finished = await trio.run_process(
        command,
        capture_stdout=True,
        stderr=subprocess.STDOUT,
        check=False,
        cwd=tmp_path,
        env={
            **os.environ,
            "NO_COLOR": "1",
            "PYTHONPATH": str(ROOT),
            "SCHEMATHESIS_HOOKS": "tests.support.schemathesis_hooks",
        },
    )
    output = finished.stdout.decode(errors="replace")
    print(output[-6000:])
    assert finished.returncode == 0, output[-6000:]
    return output
