"""Structured logging.

structlog renders JSON (one object per line) for machines and a readable
console format in a terminal. Every line carries the request id bound for the
current request or WebSocket (`structlog.contextvars`). Anything that looks like
a credential is redacted wherever it appears, at any depth, before rendering;
the standard library's loggers (Hypercorn, psycopg) go through the same chain.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, Literal

import structlog

REDACTED = "[REDACTED]"
_SENSITIVE_KEY = re.compile(
    r"pass(word)?|token|secret|credential|authorization|cookie|api[_-]?key", re.IGNORECASE
)
# Values that carry credentials even under an innocent key.
_SENSITIVE_VALUE = re.compile(
    r"(Bearer\s+)[A-Za-z0-9._~+/=-]+|(sw_refresh=)[^;\s]+|(://[^:/@\s]+:)[^@\s]+(@)",
    re.IGNORECASE,
)


def _scrub_text(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1) + REDACTED
        if match.group(2):
            return match.group(2) + REDACTED
        return f"{match.group(3)}{REDACTED}{match.group(4)}"

    return _SENSITIVE_VALUE.sub(replace, text)


def redact(value: Any, key: str | None = None) -> Any:
    """Return `value` with credentials replaced, recursing into containers."""
    if key is not None and _SENSITIVE_KEY.search(key) and value not in (None, "", [], {}):
        return REDACTED
    if isinstance(value, str):
        return _scrub_text(value)
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact(item) for item in value)
    return value


def _redact_processor(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in list(event_dict):
        event_dict[key] = redact(event_dict[key], key if key != "event" else None)
    return event_dict


def configure_logging(
    level: str = "info", fmt: Literal["auto", "json", "console"] = "auto"
) -> None:
    """Install the processor chain for structlog and the standard library."""
    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        _redact_processor,
    ]
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=True)
        if use_console
        else structlog.processors.JSONRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Hypercorn's own access log is replaced by ours (it lacks the request id).
    logging.getLogger("hypercorn.access").disabled = True


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
