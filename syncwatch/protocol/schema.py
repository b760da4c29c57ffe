"""The JSON Schema of every WebSocket message.

Owns `protocol_json_schema()`, the one document the browser's TypeScript types
are generated from (`tasks/protocol_schema.py` writes it to
`docs/protocol.schema.json`).
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import models_json_schema

from syncwatch.protocol.messages import ClientMessage
from syncwatch.protocol.server_messages import SERVER_MESSAGE_MODELS
from syncwatch.protocol.user_messages import USER_SERVER_MESSAGE_MODELS, UserClientMessage
from syncwatch.protocol.version import PROTOCOL_VERSION
from syncwatch.protocol.wire import WireModel


def protocol_json_schema() -> dict[str, Any]:
    """One JSON Schema for both sockets: the `ClientMessage` / `ServerMessage` unions of
    `/ws/rooms/{code}` and the `UserClientMessage` / `UserServerMessage` unions of
    `/ws/me`, every model in `$defs`."""
    client = TypeAdapter(ClientMessage).json_schema(ref_template="#/$defs/{model}")
    user_client = TypeAdapter(UserClientMessage).json_schema(ref_template="#/$defs/{model}")
    server_models = tuple(dict.fromkeys(SERVER_MESSAGE_MODELS + USER_SERVER_MESSAGE_MODELS))
    _, server = models_json_schema(
        [(model, "validation") for model in server_models],
        ref_template="#/$defs/{model}",
    )
    defs = {**client.pop("$defs", {}), **user_client.pop("$defs", {}), **server.get("$defs", {})}
    for model in server_models:
        # The envelope's `type` has a default in Python but is always on the wire.
        definition = defs[model.__name__]
        required = definition.setdefault("required", [])
        if "type" not in required:
            required.insert(0, "type")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://syncwatch.example/protocol.schema.json",
        "title": "SyncWatch WebSocket protocol",
        "description": (
            f"Every message of protocol {PROTOCOL_VERSION} on /ws/rooms/{{code}} and /ws/me."
        ),
        "x-protocol-version": PROTOCOL_VERSION,
        "oneOf": [
            {"$ref": "#/$defs/ClientMessage"},
            {"$ref": "#/$defs/ServerMessage"},
            {"$ref": "#/$defs/UserClientMessage"},
            {"$ref": "#/$defs/UserServerMessage"},
        ],
        "$defs": {
            **defs,
            "ClientMessage": client,
            "ServerMessage": _one_of(SERVER_MESSAGE_MODELS),
            "UserClientMessage": user_client,
            "UserServerMessage": _one_of(USER_SERVER_MESSAGE_MODELS),
        },
    }


def _one_of(models: tuple[type[WireModel], ...]) -> dict[str, Any]:
    return {"oneOf": [{"$ref": f"#/$defs/{model.__name__}"} for model in models]}
