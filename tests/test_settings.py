from __future__ import annotations

import stat
from pathlib import Path

import pytest

from syncwatch.settings import ConfigError, load_settings


def test_defaults_are_embedded_and_local(tmp_path: Path) -> None:
    settings = load_settings(environ={}, data_dir=tmp_path)
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.resolved_database_url == f"sqlite:///{(tmp_path / 'syncwatch.db').resolve()}"
    assert settings.resolved_storage_url.startswith("file://")
    assert settings.redis_url is None


def test_environment_variables_configure_every_concern(tmp_path: Path) -> None:
    settings = load_settings(
        environ={
            "SYNCWATCH_DATA_DIR": str(tmp_path),
            "SYNCWATCH_DATABASE_URL": "postgresql://db.internal/syncwatch",
            "SYNCWATCH_REDIS_URL": "redis://cache:6379/0",
            "SYNCWATCH_STORAGE_URL": "s3://key:secret@minio:9000/media",
            "SYNCWATCH_PUBLIC_URL": "https://watch.example.org/",
            "SYNCWATCH_ALLOWED_ORIGINS": "https://a.example.org, https://b.example.org",
            "SYNCWATCH_SECRET_KEY": "k" * 40,
            "UNRELATED": "ignored",
        }
    )
    assert settings.database_url == "postgresql://db.internal/syncwatch"
    assert settings.public_url == "https://watch.example.org"
    assert settings.origins == {
        "https://watch.example.org",
        "https://a.example.org",
        "https://b.example.org",
    }
    assert settings.secure_cookies


def test_secrets_can_be_read_from_files(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("s" * 48 + "\n")
    database_file = tmp_path / "db"
    database_file.write_text("postgresql://u:p@db/syncwatch\n")
    settings = load_settings(
        environ={
            "SYNCWATCH_SECRET_KEY_FILE": str(secret_file),
            "SYNCWATCH_DATABASE_URL_FILE": str(database_file),
        },
        data_dir=tmp_path,
    )
    assert settings.secret_key == "s" * 48
    assert settings.database_url == "postgresql://u:p@db/syncwatch"


def test_missing_secret_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SYNCWATCH_SECRET_KEY_FILE: cannot read"):
        load_settings(environ={"SYNCWATCH_SECRET_KEY_FILE": str(tmp_path / "absent")})


def test_generated_secret_key_is_kept_private_and_reused(tmp_path: Path) -> None:
    first = load_settings(environ={}, data_dir=tmp_path)
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = load_settings(environ={}, data_dir=tmp_path)
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 32


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SYNCWATCH_DATABASE_URL", "mysql://x", "SYNCWATCH_DATABASE_URL"),
        ("SYNCWATCH_PORT", "eighty", "SYNCWATCH_PORT"),
        ("SYNCWATCH_PORT", "70000", "SYNCWATCH_PORT"),
        ("SYNCWATCH_PUBLIC_URL", "watch.example.org", "SYNCWATCH_PUBLIC_URL"),
        ("SYNCWATCH_ALLOWED_ORIGINS", "https://a.example.org/path", "SYNCWATCH_ALLOWED_ORIGINS"),
        ("SYNCWATCH_SECRET_KEY", "short", "at least 32 characters"),
        ("SYNCWATCH_LOG_LEVEL", "loud", "SYNCWATCH_LOG_LEVEL"),
    ],
)
def test_invalid_values_name_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ={variable: value}, data_dir=tmp_path)


def test_a_secret_given_twice_is_refused(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("s" * 48)
    with pytest.raises(ConfigError, match="not both"):
        load_settings(
            environ={
                "SYNCWATCH_SECRET_KEY": "k" * 40,
                "SYNCWATCH_SECRET_KEY_FILE": str(secret_file),
            },
            data_dir=tmp_path,
        )
