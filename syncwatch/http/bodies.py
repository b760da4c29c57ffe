"""Reading request bodies into pydantic models, with errors clients can act on."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from quart import request

from syncwatch.errors import BadRequest, ValidationFailed
from syncwatch.http.problems import UnsupportedMediaType
from syncwatch.json_text import InvalidJson, contains_nul, loads

M = TypeVar("M", bound=BaseModel)


def display_name(value: str | None, *, what: str) -> str | None:
    """A name others will see (a nickname, a room's name): runs of white space become
    one space; control characters and direction overrides (U+202E...), which could
    disguise it or what follows it, are refused. Empty after that is None."""
    if value is None:
        return None
    value = " ".join(value.split())
    if any(not character.isprintable() for character in value):
        raise ValueError(f"{what} must be printable characters (no control characters)")
    return value or None


def field_errors(error: ValidationError) -> list[dict[str, Any]]:
    found = []
    for problem in error.errors(include_url=False):
        field = ".".join(str(part) for part in problem["loc"]) or "body"
        message = problem["msg"].removeprefix("Value error, ")
        found.append({"field": field, "message": message, "type": problem["type"]})
    return found


async def read_json(model: type[M], *, allow_empty: bool = False) -> M:
    """Parse and validate the JSON body of the current request as `model`."""
    raw = await request.get_data()
    if not raw.strip():
        if allow_empty:
            return model.model_validate({})
        raise BadRequest("The request needs a JSON body.")
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the body as application/json.")
    try:
        payload = loads(raw)
    except InvalidJson as error:
        raise BadRequest(f"The body is not valid JSON: {error}.") from None
    if not isinstance(payload, dict):
        raise ValidationFailed(
            [{"field": "body", "message": "must be a JSON object", "type": "object_type"}]
        )
    try:
        body = model.model_validate(payload)
    except ValidationError as error:
        raise ValidationFailed(field_errors(error)) from None
    # After the model, so that a field that refuses control characters names itself;
    # a NUL anywhere else (a password, a search) is still refused before any store.
    if contains_nul(payload):
        raise ValidationFailed(
            [{"field": "body", "message": "must not contain NUL characters", "type": "string_nul"}]
        )
    return body
