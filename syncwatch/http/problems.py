"""Errors to RFC 9457 problem+json, in one place.

Handlers raise `SyncWatchError`s; Quart's own HTTP exceptions (404, 405, 413,
...) and anything unexpected are mapped here too, so every error response
has the same shape and a stable `code`, and a 500 never shows internals.
"""

from __future__ import annotations

import json
from typing import Any

from quart import Response
from werkzeug.exceptions import HTTPException

from syncwatch import errors

PROBLEM_JSON = "application/problem+json"

_HTTP_CODES: dict[int, type[errors.SyncWatchError]] = {
    400: errors.BadRequest,
    401: errors.Unauthorized,
    403: errors.Forbidden,
    404: errors.NotFound,
    405: errors.MethodNotAllowed,
    409: errors.Conflict,
    413: errors.PayloadTooLarge,
    422: errors.ValidationFailed,
    503: errors.ServiceUnavailable,
}


class UnsupportedMediaType(errors.SyncWatchError):
    status, code, title = 415, "unsupported_media_type", "Unsupported media type"


def problem_body(error: errors.SyncWatchError) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:syncwatch:problem:{error.code}",
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "code": error.code,
    }
    # Extension members never replace the standard ones (RFC 9457 section 3.2).
    body.update({key: value for key, value in error.extra.items() if key not in body})
    return body


def problem_response(
    error: errors.SyncWatchError, headers: dict[str, str] | None = None
) -> Response:
    response = Response(
        json.dumps(problem_body(error), ensure_ascii=False),
        status=error.status,
        content_type=PROBLEM_JSON,
    )
    if isinstance(error, errors.RateLimited | errors.RoomUnavailable | errors.Overloaded):
        response.headers["Retry-After"] = str(error.retry_after)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http_exception(exception: HTTPException) -> errors.SyncWatchError:
    status = exception.code or 500
    if status == 415:
        return UnsupportedMediaType(exception.description)
    if status == 422:
        return errors.ValidationFailed([], exception.description)
    kind = _HTTP_CODES.get(status)
    if kind is None:
        generic = errors.SyncWatchError(exception.description)
        generic.status, generic.code, generic.title = status, "http_error", exception.name
        return generic
    found = kind(_plain_description(exception, kind))
    return found


def _plain_description(exception: HTTPException, kind: type[errors.SyncWatchError]) -> str:
    if kind is errors.NotFound:
        return "There is nothing at this address."
    if kind is errors.MethodNotAllowed:
        allowed = ", ".join(sorted(getattr(exception, "valid_methods", None) or []))
        return f"This address accepts {allowed}." if allowed else kind.title
    if kind is errors.PayloadTooLarge:
        return "The request body is larger than this endpoint accepts."
    return exception.description or kind.title
