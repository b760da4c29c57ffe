"""The base of every WebSocket message model: camelCase on the wire, absent rather than null.

Owns the pydantic configuration shared by `messages` (client→server) and
`server_messages` (server→client). Nothing here knows about rooms.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer
from pydantic.alias_generators import to_camel


class WireModel(BaseModel):
    """A JSON object of the protocol.

    Unknown fields are ignored so a newer minor client can talk to this server.
    Optional fields left at None are omitted on the wire, except those named in
    `nullable_on_wire` (camelCase), which the contract shows as explicit nulls.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
        # "NaN" or "inf" as a string would otherwise pass for a float (the JSON
        # parser already refuses them as numbers: syncwatch/json_text.py).
        allow_inf_nan=False,
    )

    nullable_on_wire: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _omit_absent(self, handler: SerializerFunctionWrapHandler) -> Any:
        dumped = handler(self)
        if not isinstance(dumped, dict):
            return dumped
        keep = self.nullable_on_wire
        return {key: value for key, value in dumped.items() if value is not None or key in keep}

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready dict, camelCase keys."""
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)


class EmptyData(WireModel):
    """`data: {}` for messages that carry nothing."""
