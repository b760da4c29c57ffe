"""Identifiers.

Every row id is a UUIDv7 string: unique without coordination between instances
and, being time-ordered, sortable as text, so "messages after id X" is a plain
`id > X` on both SQLite and PostgreSQL. The `uuid6` package provides a
monotonic generator within the process.
"""

from __future__ import annotations

from uuid6 import uuid7


def new_id() -> str:
    return str(uuid7())
