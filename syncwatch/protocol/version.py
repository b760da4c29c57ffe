"""Protocol version negotiation and the JSON Schema of every WebSocket message.

Owns `PROTOCOL_VERSION`, the compatibility rule applied to a client's `hello`,
and `protocol_json_schema()`, the one document the browser's TypeScript types
are generated from (`tasks/protocol_schema.py` writes it to
`docs/protocol.schema.json`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import models_json_schema

from syncwatch.errors import BadMessage
from syncwatch.protocol.messages import ClientMessage
from syncwatch.protocol.server_messages import SERVER_MESSAGE_MODELS

PROTOCOL_VERSION = "1.0.0"

_SEMVER = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$")


@dataclass(frozen=True, slots=True)
class Negotiation:
    """`compatible` false → close 4010; `deprecated` → the welcome says so."""

    compatible: bool
    deprecated: bool


def _parse(version: str) -> tuple[int, int, int]:
    match = _SEMVER.match(version)
    if match is None:
        raise BadMessage(
            f"Field 'data.protocolVersion': {version!r} is not a MAJOR.MINOR.PATCH version."
        )
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def negotiate(client_version: str, server_version: str = PROTOCOL_VERSION) -> Negotiation:
    """Same major: compatible; an older minor is compatible but deprecated; a newer minor
    is compatible (the client must ignore what the server lacks); another major is not."""
    client_major, client_minor, _ = _parse(client_version)
    server_major, server_minor, _ = _parse(server_version)
    if client_major != server_major:
        return Negotiation(compatible=False, deprecated=False)
    return Negotiation(compatible=True, deprecated=client_minor < server_minor)


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
