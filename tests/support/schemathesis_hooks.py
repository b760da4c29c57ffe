"""Loaded by schemathesis in tests/fuzz (SCHEMATHESIS_HOOKS): what it cannot do alone."""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.serializer("application/offset+octet-stream")
def tus_chunk(ctx: Any, value: Any) -> bytes:
    """tus PATCH bodies are raw bytes: whatever was generated, as bytes."""
    if isinstance(value, bytes):
        return value
    return str(value).encode()
