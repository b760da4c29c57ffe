"""Configuration: one validated `Settings` object, built once at start-up.

Values come from `SYNCWATCH_*` environment variables (and CLI flags, which win).
Every secret may instead be given as `SYNCWATCH_<NAME>_FILE`, the path of a file
holding it (Docker/Kubernetes secrets). Anything invalid raises `ConfigError`
with one readable message; the CLI prints it and exits with status 2.

The object is passed explicitly to whatever needs it; nothing imports it as a
global.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ENV_PREFIX = "SYNCWATCH_"

# Secrets: may be given inline or as *_FILE. Never logged.
SECRET_FIELDS = ("secret_key", "database_url", "redis_url", "storage_url", "turn_secret")


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    data_dir: Path = Path("./data")
    database_url: str = ""
    redis_url: str | None = None
    storage_url: str = ""
    secret_key: str = ""
    public_url: str = "http://127.0.0.1:8000"
    allowed_origins: tuple[str, ...] = ()
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)

    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["auto", "json", "console"] = "auto"
    trust_proxy_headers: bool = False

    access_token_ttl_s: int = Field(default=15 * 60, ge=30)
    refresh_token_ttl_s: int = Field(default=7 * 24 * 3600, ge=60)

    # argon2id, RFC 9106 "second recommended" option: t=3, m=64 MiB, p=4.
    # Tests lower these through the environment to keep the suite fast.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=64 * 1024, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)

    # Spec 7.6. A limit of 0 disables that limiter (load tests, benchmarks).
    login_limit_per_minute: int = Field(default=10, ge=0)
    register_limit_per_hour: int = Field(default=5, ge=0)
    api_limit_per_minute: int = Field(default=100, ge=0)
    room_create_limit_per_hour: int = Field(default=5, ge=0)
    # Spec 7.7.3: wrong room codes per IP (then blocked for the rest of the hour)
    # and room joins per user per minute (REST pre-flight and WebSocket hello alike).
    room_code_limit_per_hour: int = Field(default=5, ge=0)
    room_join_limit_per_minute: int = Field(default=10, ge=0)
    # Spec 8.7.3: uploads a user may start per hour, counted across every instance when
    # Redis is configured.
    upload_limit_per_hour: int = Field(default=3, ge=0)

    # The automatic moderator's blocklist of words and phrases (spec 15.4.1), from a
    # comma-separated list and/or a file of one entry per line ('#' starts a comment).
    automod_blocklist: tuple[str, ...] = ()
    automod_blocklist_file: Path | None = None

    # Graceful overload (docs/architecture.md "Overload"): past either limit this process
    # refuses new rooms and joins (503 / close 1013) and `/health/ready` answers 503, so
    # the rooms it runs keep their latency. The lag is how late a short sleep wakes (every
    # time of the last three); the backlog, the commands queued in all room inboxes.
    # 0 disables a limit.
    overload_lag_ms: int = Field(default=150, ge=0)
    overload_backlog: int = Field(default=2000, ge=0)
    # Rooms one process runs at most: the lag and the backlog only show a load once it
    # has come, and rooms that connect before they play bring theirs all at once
    # (docs/benchmarks.md: 200 rooms carried on one core's loop, 500 not). 0: no cap.
    max_rooms: int = Field(default=250, ge=0)

    max_json_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    room_expiry_hours: float = Field(default=24.0, gt=0)

    # Optional OpenTelemetry: an OTLP/HTTP traces URL; unset, nothing is traced.
    tracing_endpoint: str | None = None

    turn_urls: tuple[str, ...] = ()
    turn_secret: str | None = None
    # Short: coturn checks it when a relay is allocated, so calls outlive it (the app
    # fetches fresh credentials before each reconnection).
    turn_ttl_s: int = Field(default=600, ge=60)
    stun_urls: tuple[str, ...] = ()

    transcode_workers: int = Field(default_factory=lambda: max(1, (os.cpu_count() or 2) // 2), ge=1)
    # x264 preset of the HLS ladder (docs/adr/0005-transcode-ladder.md); tests use ultrafast.
    transcode_preset: Literal["ultrafast", "superfast", "veryfast", "faster", "fast", "medium"] = (
        "superfast"
    )
    # Spec 8.7.3: per-user upload bandwidth in Mbit/s; 0 disables the throttle.
    upload_bandwidth_mbit: float = Field(default=50.0, ge=0)

    @field_validator("database_url")
    @classmethod
    def _database_scheme(cls, value: str) -> str:
        if value and not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value or None

    @field_validator("storage_url")
    @classmethod
    def _storage_scheme(cls, value: str) -> str:
        if value and not value.startswith(("file://", "s3://")):
            raise ValueError("must start with file:// or s3://")
        return value

    @field_validator("tracing_endpoint")
    @classmethod
    def _tracing_endpoint(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// OTLP traces URL")
        return value or None

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                raise ValueError(f"{origin!r} is not an origin like https://example.org")
        return value

    # --- derived values ----------------------------------------------------

    @property
    def public_origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def origins(self) -> frozenset[str]:
        """Origins allowed for CORS and WebSockets: the public one plus the configured ones."""
        return frozenset({self.public_origin, *self.allowed_origins})

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def serves_https(self) -> bool:
        """The deployment is reached over https (its public URL says so): pages may then
        load no plain http:// media (browsers block mixed content), so the room refuses
        such sources and the page's CSP admits none."""
        return self.public_url.startswith("https://")

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'syncwatch.db').resolve()}"

    @property
    def resolved_storage_url(self) -> str:
        return self.storage_url or (self.data_dir / "media").resolve().as_uri()


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


_LIST_FIELDS = {"allowed_origins", "turn_urls", "stun_urls", "automod_blocklist"}


def _read_secret_file(name: str, path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ConfigError(
            f"{ENV_PREFIX}{name.upper()}_FILE: cannot read {path!r} ({error.strerror})"
        ) from error


def values_from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Collect raw values for `Settings` from `SYNCWATCH_*` variables."""
    values: dict[str, Any] = {}
    known = set(Settings.model_fields)
    for key, raw in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX) :].lower()
        if name.endswith("_file") and name[: -len("_file")] in SECRET_FIELDS:
            secret_name = name[: -len("_file")]
            if f"{ENV_PREFIX}{secret_name.upper()}" in environ:
                raise ConfigError(
                    f"set either {ENV_PREFIX}{secret_name.upper()} or "
                    f"{ENV_PREFIX}{secret_name.upper()}_FILE, not both"
                )
            values[secret_name] = _read_secret_file(secret_name, raw)
        elif name in known:
            values[name] = _split_list(raw) if name in _LIST_FIELDS else raw
    return values


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"])
        if problem["type"] == "extra_forbidden":
            lines.append(f"unknown setting {field!r}")
        else:
            lines.append(f"{ENV_PREFIX}{field.upper()}: {problem['msg']}")
    return "invalid configuration: " + "; ".join(lines)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build validated settings from the environment plus explicit overrides.

    Without a secret key, one is generated on first start and kept in
    `<data_dir>/secret_key` (mode 0600) so tokens survive restarts.
    """
    values = values_from_environment(os.environ if environ is None else environ)
    values.update({key: value for key, value in overrides.items() if value is not None})
    try:
        settings = Settings(**values)
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None
    if not settings.secret_key:
        settings = settings.model_copy(update={"secret_key": _persistent_secret(settings.data_dir)})
    elif len(settings.secret_key) < 32:
        raise ConfigError(f"{ENV_PREFIX}SECRET_KEY: must be at least 32 characters long")
    if settings.automod_blocklist_file is not None:
        entries = _read_blocklist(settings.automod_blocklist_file)
        settings = settings.model_copy(
            update={"automod_blocklist": (*settings.automod_blocklist, *entries)}
        )
    return settings


def _read_blocklist(path: Path) -> tuple[str, ...]:
    """One word or phrase per line; blank lines and `#` comments are skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise ConfigError(
            f"{ENV_PREFIX}AUTOMOD_BLOCKLIST_FILE: cannot read {str(path)!r} ({reason})"
        ) from error
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(line for line in lines if line)


def _persistent_secret(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        if path.exists():
            value = path.read_text(encoding="utf-8").strip()
            if len(value) >= 32:
                return value
        value = secrets.token_urlsafe(48)
        # Created 0600 from the start: never readable by other users, even briefly.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(value + "\n")
        path.chmod(0o600)
    except OSError as error:
        raise ConfigError(
            f"cannot keep the generated secret key in {path} ({error.strerror}); "
            f"set {ENV_PREFIX}SECRET_KEY or make {data_dir} writable"
        ) from error
    return value
