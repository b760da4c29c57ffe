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
  the moment their session is revoked on this instance. Every other instance
  hears of it through the fabric's `signed-out` feed (a capped Redis stream),
  which `run` reads every `FEED_POLL_S`, and closes its own sockets of that
  session or account within about a second. In case the feed was unreachable,
  `recheck` asks the shared deny-list every `RECHECK_S` about each open socket's
  token: once per token for the whole process, not in a task of each socket's.

It knows nothing of HTTP: the edge asks `is_revoked` and registers sockets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

import trio

from syncwatch.auth.identity import Caller
from syncwatch.clock import Clock
from syncwatch.fabric import Fabric
from syncwatch.fabric.feeds import follow_feed
from syncwatch.observability.logs import get_logger

log = get_logger("syncwatch.auth.revocation")

RECHECK_S = 10.0
"""How often the open sockets' tokens are checked against the shared deny-list, in case a
session ended elsewhere and the feed missed it (the safety net under the feed)."""

FEED = "signed-out"
FEED_POLL_S = 1.0
"""How often this instance reads what other instances signed out: one fabric call per
instance, however many sockets it holds."""
FEED_RETRY_S = 2.0
"""After a failed read (Redis away), when to try again; nothing is lost meanwhile."""
FEED_CLOCK_SLACK_MS = 2_000
"""Instances' clocks differ a little: events stamped this much before a reader started
still count."""


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
        self._callers: dict[SignedOutConnection, Caller] = {}  # open sockets, for `recheck`

    # --- the deny-list ------------------------------------------------------------------

    async def revoke_sessions(self, session_ids: Iterable[str]) -> None:
        """Refuse every access token of these sessions from now on; close their sockets,
        here at once and on every other instance within about `FEED_POLL_S`."""
        for session_id in set(session_ids):
            await self._deny(f"sid:{session_id}", self._ttl_s)
            self._close_session(session_id)
            await self._publish(f"sid:{session_id}")

    async def revoke_token(self, caller: Caller) -> None:
        """Refuse this one access token (logout with no session id in the token)."""
        if caller.token_id is None:
            return
        now_s = self._clock.now_ms() / 1000
        remaining = (caller.expires_at_s or now_s + self._ttl_s) - now_s
        if remaining > 0:
            await self._deny(f"jti:{caller.token_id}", remaining)

    async def close_subject(self, subject_id: str) -> None:
        """Close every socket of an account (the account is gone), on every instance."""
        self._close_subject(subject_id)
        await self._publish(f"sub:{subject_id}")

    def _close_session(self, session_id: str) -> None:
        for connection in list(self._by_session.pop(session_id, ())):
            connection.signed_out()

    def _close_subject(self, subject_id: str) -> None:
        for connection in list(self._by_subject.pop(subject_id, ())):
            connection.signed_out()

    async def _publish(self, event: str) -> None:
        # Stamped, so a reader that starts late skips what happened before it held sockets.
        stamped = f"{event}@{self._clock.now_ms()}"
        try:
            await self._fabric.publish(FEED, stamped.encode(), keep_s=self._ttl_s)
        except Exception:
            # The deny-list still holds; other instances' sockets find out at their recheck.
            log.warning("sign-out not announced: the fabric is unreachable", signed_out=event)

    # --- what other instances signed out ---------------------------------------------------

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Read the `signed-out` feed for ever and close this instance's sockets it names.

        Never ends on a fabric failure: the cursor is kept and reading resumes where it
        stopped, so a sign-out published while Redis was away here is still acted on. The
        first read starts at the oldest event the feed keeps, and skips those published
        before this reader started: no socket here can be theirs."""
        started_ms = self._clock.now_ms() - FEED_CLOCK_SLACK_MS
        task_status.started()

        async def apply(raw: bytes) -> None:
            self._apply(raw.decode(errors="replace"), started_ms)

        await follow_feed(
            self._fabric,
            FEED,
            apply,
            poll_s=FEED_POLL_S,
            retry_s=FEED_RETRY_S,
            unreachable="signed-out feed unreachable; sockets recheck on their own",
        )

    async def recheck(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> None:
        """Every `RECHECK_S`, close the open sockets whose token the shared deny-list
        refuses: the safety net for a sign-out elsewhere that the feed did not bring."""
        task_status.started()
        while True:
            await trio.sleep(RECHECK_S)
            await self.recheck_once()

    async def recheck_once(self) -> None:
        # One question per token, however many sockets it opened.
        by_token: defaultdict[tuple[str | None, str | None], list[SignedOutConnection]]
        by_token = defaultdict(list)
        callers: dict[tuple[str | None, str | None], Caller] = {}
        for connection, caller in self._callers.items():
            key = (caller.token_id, caller.session_id)
            by_token[key].append(connection)
            callers[key] = caller
        for key, connections in by_token.items():
            if not await self.is_revoked(callers[key]):
                continue
            for connection in connections:
                opened_with = self._callers.get(connection)
                if opened_with is not None:  # still open, and not yet told
                    self.detach(opened_with, connection)
                    connection.signed_out()

    def _apply(self, event: str, started_ms: int) -> None:
        what, _, stamp = event.rpartition("@")
        if not (stamp.isascii() and stamp.isdigit()) or int(stamp) < started_ms:
            return
        kind, _, key = what.partition(":")
        if kind == "sid":
            self._close_session(key)
        elif kind == "sub":
            self._close_subject(key)

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
        self._callers[connection] = caller
        if caller.session_id is not None:
            self._by_session[caller.session_id].add(connection)
        self._by_subject[caller.subject_id].add(connection)

    def detach(self, caller: Caller, connection: SignedOutConnection) -> None:
        self._callers.pop(connection, None)
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
