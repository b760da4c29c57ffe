"""What an endpoint promises, declared beside its handler and read by `openapi.py`.

Each route module lists its `OPERATIONS`: method, path, the request body model,
every success reply with its body model, and the errors only it raises. The
errors every endpoint of a kind can give (no token, a malformed or oversized
JSON body, the per-IP API limit, a foreign Origin) are added by `openapi.py`
from the declaration, so no endpoint forgets one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

Method = Literal["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"]


@dataclass(frozen=True, slots=True)
class Reply:
    """One success answer. Without `body` it is empty (or `media_type` describes it)."""

    description: str
    body: type[BaseModel] | None = None
    media_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RawBody:
    """A request body that is not JSON (tus chunks, subtitle files)."""

    description: str
    media_types: tuple[str, ...] = ("application/octet-stream",)


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    where: Literal["path", "query", "header"]
    description: str
    required: bool = False
    integer: bool = False


@dataclass(frozen=True, slots=True)
class Operation:
    method: Method
    path: str
    """OpenAPI form: `/api/v1/rooms/{code}`."""
    summary: str
    replies: Mapping[int, Reply]
    errors: Mapping[int, str] = field(default_factory=dict)
    """Status -> the problem codes this endpoint itself answers with."""
    body: type[BaseModel] | None = None
    """The JSON request body's model."""
    body_optional: bool = False
    raw_body: RawBody | None = None
    signed_in: bool = False
    parameters: tuple[Parameter, ...] = ()
    tag: str = ""


def path_parameters(path: str) -> tuple[Parameter, ...]:
    """The `{name}` segments of an OpenAPI path, as required string parameters."""
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return tuple(Parameter(name, "path", f"the {name}", required=True) for name in names)
