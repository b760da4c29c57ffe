"""Protocol version negotiation.

Owns `PROTOCOL_VERSION` and the compatibility rule applied to a client's
`hello`, on every socket that speaks the protocol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from syncwatch.errors import BadMessage

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
