"""ICE server lists with per-user, time-limited TURN credentials.

The TURN REST API scheme that coturn checks with `use-auth-secret`:
`username = "<expiry unix seconds>:<userId>"` and
`credential = base64(HMAC-SHA1(secret, username))`. The shared secret stays on
the server; a browser only ever sees a credential that stops working at the
expiry written into its own username. Pure functions: the caller passes time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class TurnCredential:
    username: str
    credential: str
    expires_at_s: int


@dataclass(frozen=True, slots=True)
class IceConfiguration:
    """What `GET /voice/ice-servers` answers."""

    ice_servers: tuple[dict[str, Any], ...]
    ttl_s: int
    relay_available: bool
    expires_at_s: int | None

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "iceServers": list(self.ice_servers),
            "ttl": self.ttl_s,
            "relayAvailable": self.relay_available,
        }
        if self.expires_at_s is not None:
            body["expiresAt"] = self.expires_at_s * 1000
        return body


def turn_credential(secret: str, user_id: str, now_s: float, ttl_s: int) -> TurnCredential:
    expires_at_s = int(now_s) + ttl_s
    username = f"{expires_at_s}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return TurnCredential(username, base64.b64encode(digest).decode("ascii"), expires_at_s)


def ice_configuration(
    *,
    stun_urls: tuple[str, ...],
    turn_urls: tuple[str, ...],
    turn_secret: str | None,
    user_id: str,
    now_s: float,
    ttl_s: int,
    in_call: bool = True,
) -> IceConfiguration:
    """STUN entries as configured, plus one TURN entry carrying fresh credentials.

    TURN URLs without a secret would be unusable (coturn answers 401), so they
    are left out and `relay_available` is false: relay-only mode cannot work.
    Someone who may relay but is not in the call yet (`in_call` false) learns
    that a relay is available, without credentials and with a `ttl` of 0: their
    client asks again once it has joined the call, and gets them then.
    """
    servers: list[dict[str, Any]] = []
    if stun_urls:
        servers.append({"urls": list(stun_urls)})
    if not (turn_urls and turn_secret):
        return IceConfiguration(tuple(servers), ttl_s, relay_available=False, expires_at_s=None)
    if not in_call:
        return IceConfiguration(tuple(servers), 0, relay_available=True, expires_at_s=None)
    credential = turn_credential(turn_secret, user_id, now_s, ttl_s)
    servers.append(
        {
            "urls": list(turn_urls),
            "username": credential.username,
            "credential": credential.credential,
            "credentialType": "password",
        }
    )
    return IceConfiguration(
        tuple(servers), ttl_s, relay_available=True, expires_at_s=credential.expires_at_s
    )
