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
from syncwatch.protocol.version import PROTOCOL_VERSION


def protocol_json_schema() -> dict[str, Any]:
    """One JSON Schema: `ClientMessage` and `ServerMessage` unions, every model in `$defs`."""
    client = TypeAdapter(ClientMessage).json_schema(ref_template="#/$defs/{model}")
    client_defs = client.pop("$defs", {})
    _, server = models_json_schema(
        [(model, "validation") for model in SERVER_MESSAGE_MODELS],
        ref_template="#/$defs/{model}",
    )
    server_defs = server.get("$defs", {})
    defs = {**client_defs, **server_defs}
    for model in SERVER_MESSAGE_MODELS:
        # The envelope's `type` has a default in Python but is always on the wire.
        definition = defs[model.__name__]
        required = definition.setdefault("required", [])
        if "type" not in required:
            required.insert(0, "type")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://syncwatch.example/protocol.schema.json",
        "title": "SyncWatch WebSocket protocol",
        "description": f"Every message of protocol {PROTOCOL_VERSION} on /ws/rooms/{{code}}.",
        "x-protocol-version": PROTOCOL_VERSION,
        "oneOf": [
            {"$ref": "#/$defs/ClientMessage"},
            {"$ref": "#/$defs/ServerMessage"},
        ],
        "$defs": {
            **defs,
            "ClientMessage": client,
            "ServerMessage": {
                "oneOf": [{"$ref": f"#/$defs/{model.__name__}"} for model in SERVER_MESSAGE_MODELS]
            },
        },
    }
