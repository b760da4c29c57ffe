"""JSON text from clients, parsed strictly: the one parser for frames and request bodies.

Python's `json` accepts `NaN`, `Infinity` and `-Infinity` and turns `1e400`
into infinity, none of which RFC 8259 allows. A non-finite number that reaches
room state is written back out as `null` and corrupts every later welcome, so
such numbers are refused here, before any model sees them; integers beyond 64
bits are refused too (no JavaScript client could hold them, no column either).
Nesting deep enough to exhaust the parser's recursion is a refusal, not a crash.

Every refusal is an `InvalidJson` (a `ValueError`) naming what is wrong; the
WebSocket parser turns it into `bad_message`, the HTTP body reader into 400.
"""

from __future__ import annotations

import json
import math
from typing import Any

INTEGER_LIMIT = 2**63 - 1


class InvalidJson(ValueError):
    """The text is not JSON this server accepts."""


def _no_constant(name: str) -> Any:
    raise InvalidJson(f"{name} is not a JSON number: numbers must be finite")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InvalidJson(f"the number {text[:32]} is too large: numbers must be finite")
    return value


def _bounded_int(text: str) -> int:
    # 20 characters hold any 64-bit integer with its sign; longer ones never get to int().
    if len(text) > 20 or abs(value := int(text)) > INTEGER_LIMIT:
        raise InvalidJson(
            f"the integer {text[:24]}{'...' if len(text) > 24 else ''} does not fit in 64 bits"
        )
    return value


def loads(text: str | bytes) -> Any:
    """Parse `text` as JSON, refusing what `InvalidJson` describes."""
    try:
        return json.loads(
            text, parse_constant=_no_constant, parse_float=_finite_float, parse_int=_bounded_int
        )
    except RecursionError:
        raise InvalidJson("the JSON is nested too deeply") from None
    except InvalidJson:
        raise
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise InvalidJson(str(error)) from None


def contains_nul(value: Any) -> bool:
    """Whether a parsed JSON value holds a NUL character in any string or key.

    No text a person writes needs one, and PostgreSQL cannot store it: a NUL that
    reached a chat line or a report would fail the room's write (found by tests/fuzz).
    Refused at the edges: a 422 for request bodies, `bad_message` for frames.
    """
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False
