"""The OpenAPI 3.1 document of the HTTP API, generated from the code that serves it.

Each route module declares its `OPERATIONS` (`operations.py`) with the pydantic
models of its request and response bodies (`responses.py`); this module turns
them into paths and component schemas, and adds the errors every endpoint of a
kind can answer with (`_shared_errors`). Served at `/api/v1/openapi.json`;
`tasks/openapi.py` writes `docs/openapi.json`, which `nox -s schema` keeps
current and from which the web app's HTTP types are generated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from quart import Blueprint, Response, jsonify

from syncwatch import __version__
from syncwatch.http import (
    account_data_routes,
    account_routes,
    auth_routes,
    evening_routes,
    friend_routes,
    health_routes,
    media_routes,
    notification_routes,
    room_routes,
    subtitle_routes,
    voice_routes,
)
from syncwatch.http.operations import Operation, Reply, path_parameters
from syncwatch.http.responses import RESPONSE_MODELS, Problem

DOCUMENT_PATH = "/api/v1/openapi.json"
OPERATIONS = (
    Operation(
        "GET",
        DOCUMENT_PATH,
        "This document",
        {200: Reply("The OpenAPI 3.1 document", media_type="application/json")},
    ),
)
_REF = "#/components/schemas/{model}"
_UNSAFE = frozenset({"POST", "PATCH", "DELETE"})


def all_operations() -> tuple[Operation, ...]:
    return (
        *auth_routes.OPERATIONS,
        *account_routes.OPERATIONS,
        *account_data_routes.OPERATIONS,
        *room_routes.OPERATIONS,
        *friend_routes.OPERATIONS,
        *notification_routes.OPERATIONS,
        *evening_routes.OPERATIONS,
        *media_routes.OPERATIONS,
        *subtitle_routes.OPERATIONS,
        *voice_routes.OPERATIONS,
        *health_routes.OPERATIONS,
        *OPERATIONS,
    )


def openapi_blueprint() -> Blueprint:
    bp = Blueprint("openapi", __name__)
    document = openapi_document()

    @bp.get(DOCUMENT_PATH)
    async def openapi() -> Response:
        return jsonify(document)

    return bp


def openapi_document() -> dict[str, Any]:
    operations = all_operations()
    paths: dict[str, dict[str, Any]] = {}
    for operation in operations:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(operation)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SyncWatch",
            "version": __version__,
            "description": "Watch videos together in sync. Every error is "
            "application/problem+json (RFC 9457) with a stable `code`; times are integer "
            "epoch milliseconds. The WebSocket protocol is described in docs/protocol.md "
            "and docs/protocol.schema.json.",
        },
        "paths": paths,
        "components": {
            "schemas": _schemas(operations),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


def _schemas(operations: Iterable[Operation]) -> dict[str, Any]:
    requests = {op.body for op in operations if op.body is not None}
    replies = {r.body for op in operations for r in op.replies.values() if r.body is not None}
    replies.update(RESPONSE_MODELS)
    ordered: list[tuple[type[BaseModel], Any]] = [
        *((model, "validation") for model in sorted(requests, key=lambda m: m.__name__)),
        *((model, "serialization") for model in sorted(replies, key=lambda m: m.__name__)),
    ]
    _, found = models_json_schema(ordered, ref_template=_REF)
    return {name: _without_field_titles(schema) for name, schema in found["$defs"].items()}


def _without_field_titles(schema: dict[str, Any]) -> dict[str, Any]:
    """pydantic titles every field after its name; only the models' titles say anything."""
    properties = schema.get("properties", {})
    for field in properties.values():
        field.pop("title", None)
    return schema


def _operation(operation: Operation) -> dict[str, Any]:
    found: dict[str, Any] = {
        "summary": operation.summary,
        "tags": [_tag(operation.path)],
        "responses": {
            **{str(status): _reply(reply) for status, reply in operation.replies.items()},
            **{str(status): _problem(text) for status, text in _errors(operation).items()},
            "default": _problem(
                "Anything else: `internal_error` (500, never for bad input) or "
                "`service_unavailable` (503, e.g. while the server restarts)"
            ),
        },
    }
    parameters = [*path_parameters(operation.path), *operation.parameters]
    if parameters:
        found["parameters"] = [
            {
                "name": p.name,
                "in": p.where,
                "required": p.required,
                "description": p.description,
                "schema": {"type": "integer" if p.integer else "string"},
            }
            for p in parameters
        ]
    if operation.signed_in:
        found["security"] = [{"bearer": []}]
    if operation.body is not None:
        found["requestBody"] = {
            "required": not operation.body_optional,
            "content": {"application/json": {"schema": _ref(operation.body)}},
        }
    elif operation.raw_body is not None:
        found["requestBody"] = {
            "required": True,
            "description": operation.raw_body.description,
            "content": {kind: {"schema": {}} for kind in operation.raw_body.media_types},
        }
    return found


def _errors(operation: Operation) -> dict[int, str]:
    """The operation's own errors, then those every endpoint of its kind can answer."""
    found = {status: [text] for status, text in operation.errors.items()}
    for status, text in _shared_errors(operation):
        found.setdefault(status, []).append(text)
    return {status: "; ".join(found[status]) for status in sorted(found)}


def _shared_errors(operation: Operation) -> Iterable[tuple[int, str]]:
    if operation.signed_in:
        yield 401, "`unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one)"
    if operation.body is not None:
        yield (
            400,
            "`bad_request`: the body is not JSON"
            + ("" if operation.body_optional else ", or there is none"),
        )
        yield 413, "`too_large`: a JSON body over the limit (1 MiB unless configured)"
        yield 415, "`unsupported_media_type`: a body that is not application/json"
        yield 422, "`validation_error`: `errors` names each wrong field"
    if operation.method in _UNSAFE:
        yield 403, "`origin_not_allowed`: a cross-site request from an origin not allowed"
    if operation.path.startswith("/api/"):
        yield 429, "`rate_limited`: requests per IP per minute (with Retry-After)"


def _reply(reply: Reply) -> dict[str, Any]:
    found: dict[str, Any] = {"description": reply.description}
    if reply.body is not None:
        found["content"] = {"application/json": {"schema": _ref(reply.body)}}
    elif reply.media_type is not None:
        found["content"] = {reply.media_type: {"schema": {}}}
    if reply.headers:
        found["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in reply.headers.items()
        }
    return found


def _problem(description: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref(Problem)}},
    }
    if "rate_limited" in description:
        found["headers"] = {
            "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}
        }
    return found


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": _REF.format(model=model.__name__)}


def _tag(path: str) -> str:
    parts = path.removeprefix("/api/v1/").strip("/").split("/")
    return {"media": "videos", "metrics": "health", "openapi.json": "health"}.get(
        parts[0], parts[0]
    )
