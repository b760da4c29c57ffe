"""Signed-out sessions and access tokens, and the sockets they hold open (issue 12 §5.12).

An access token is a JWT valid for 15 minutes: signing out revokes the refresh
token at once, but without this module the access token would keep working
until it expires, and so would every socket opened with it. Here:

- a deny-list of session ids (`sid`, one sign-in's refresh-token family) and
  access token ids (`jti`), each kept only as long as a token carrying it can
  still be valid (the access token lifetime). It lives in the fabric (Redis when
  configured, so every instance sees it) and always in process as well, so a
  Redis outage forgets nothing this instance was told;
- the open sockets of each session and of each account, told and closed (4001)
  the moment their session is revoked on this instance. A socket served by
  another instance finds out at its next check (`RECHECK_S`), through the
  fabric.

It knows nothing of HTTP: the edge asks `is_revoked` and registers sockets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from syncwatch.auth.identity import Caller
from syncwatch.clock import Clock
from syncwatch.fabric import Fabric
from syncwatch.observability.logs import get_logger

log = get_logger("syncwatch.auth.revocation")

RECHECK_S = 10.0
"""How often an open socket asks the shared deny-list whether its session ended elsewhere."""


class SignedOutConnection(Protocol):
    def signed_out(self) -> None:
        """Tell the client its session ended and close (4001); never waits."""


class Revocations:
    def __init__(self, fabric: Fabric, clock: Clock, ttl_s: int) -> None:
        self._fabric = fabric
        self._clock = clock
        self._ttl_s = ttl_s
        self._denied: dict[str, int] = {}  # key -> expiry (epoch ms)
        self._by_session: defaultdict[str, set[SignedOutConnection]] = defaultdict(set)
        self._by_subject: defaultdict[str, set[SignedOutConnection]] = defaultdict(set)

    # --- the deny-list ------------------------------------------------------------------

    async def revoke_sessions(self, session_ids: Iterable[str]) -> None:
        """Refuse every access token of these sessions from now on; close their sockets."""
        for session_id in set(session_ids):
            await self._deny(f"sid:{session_id}", self._ttl_s)
            for connection in list(self._by_session.pop(session_id, ())):
                connection.signed_out()

    async def revoke_token(self, caller: Caller) -> None:
        """Refuse this one access token (logout with no session id in the token)."""
        if caller.token_id is None:
            return
        now_s = self._clock.now_ms() / 1000
        remaining = (caller.expires_at_s or now_s + self._ttl_s) - now_s
        if remaining > 0:
            await self._deny(f"jti:{caller.token_id}", remaining)

    def close_subject(self, subject_id: str) -> None:
        """Close every socket of an account (the account is gone)."""
        for connection in list(self._by_subject.pop(subject_id, ())):
            connection.signed_out()

    async def is_revoked(self, caller: Caller) -> bool:
        keys = [f"jti:{caller.token_id}"] if caller.token_id else []
        if caller.session_id:
            keys.append(f"sid:{caller.session_id}")
        now_ms = self._clock.now_ms()
        if any(self._denied.get(key, 0) > now_ms for key in keys):
            return True
        for key in keys:
            try:
                if await self._fabric.get_value(f"revoked:{key}") is not None:
                    return True
            except Exception:
                # The shared list is unreachable: what this instance knows still holds.
                log.warning("revocation list unreachable; using this instance's", key=key)
                return False
        return False

    async def _deny(self, key: str, ttl_s: float) -> None:
        now_ms = self._clock.now_ms()
        self._denied = {k: until for k, until in self._denied.items() if until > now_ms}
        self._denied[key] = now_ms + int(ttl_s * 1000)
        try:
            await self._fabric.set_value(f"revoked:{key}", b"1", ttl_s=ttl_s)
        except Exception:
            log.warning("revocation not shared: the fabric is unreachable", key=key)

    # --- open sockets -------------------------------------------------------------------

    def attach(self, caller: Caller, connection: SignedOutConnection) -> None:
        if caller.session_id is not None:
            self._by_session[caller.session_id].add(connection)
        self._by_subject[caller.subject_id].add(connection)

    def detach(self, caller: Caller, connection: SignedOutConnection) -> None:
        for index, key in (
            (self._by_session, caller.session_id),
            (self._by_subject, caller.subject_id),
        ):
            if key is None:
                continue
            held = index.get(key)
            if held is not None:
                held.discard(connection)
                if not held:
                    del index[key]
