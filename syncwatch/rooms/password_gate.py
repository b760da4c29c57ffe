"""The room password gate: how many guesses, and how many at once (spec 7.7.3).

A guess is counted before it is hashed: `Fabric.reserve` takes one of the 3
attempts an IP has per room per 30 minutes atomically, on every instance, so
120 hellos or 30 joins sent at once get 3 hashes between them, not 120. A right
password gives its attempt back (members reconnect with it all the time).

Hashing is what an abuser would make the server do, so at most 2 checks per IP
and 4 per room run at once, the others are refused at once (`rate_limited`,
nothing hashed), and room passwords are hashed under their own worker limiter
(`room_passwords`), so a flood of guesses never queues in front of logins.
The REST join and the WebSocket hello both come through here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from syncwatch.auth.passwords import PasswordHasher
from syncwatch.errors import RateLimited
from syncwatch.fabric import Fabric

PASSWORD_ATTEMPTS = 3
PASSWORD_BLOCK_S = 30 * 60
CHECKS_PER_IP = 2
CHECKS_PER_ROOM = 4
HASHING_FAMILY = "room_passwords"


class ChecksInProgress:
    """Password checks running now, per IP and per room, in this process (a room's
    joins all reach the instance that hosts it)."""

    def __init__(self, *, per_ip: int = CHECKS_PER_IP, per_room: int = CHECKS_PER_ROOM) -> None:
        self._per_ip = per_ip
        self._per_room = per_room
        self._running: Counter[str] = Counter()

    @contextmanager
    def hold(self, *, ip: str, room_id: str) -> Iterator[None]:
        keys = (f"ip:{ip}", f"room:{room_id}")
        if self._running[keys[0]] >= self._per_ip or self._running[keys[1]] >= self._per_room:
            raise RateLimited(1, "Too many password checks at once; try again in a moment.")
        self._running.update(keys)
        try:
            yield
        finally:
            self._running.subtract(keys)
            for key in keys:
                if self._running[key] <= 0:
                    del self._running[key]


class PasswordGate:
    def __init__(self, fabric: Fabric, hasher: PasswordHasher) -> None:
        self._fabric = fabric
        self._hasher = hasher
        self._in_progress = ChecksInProgress()

    async def check(
        self, *, room_id: str, password_hash: str, password: str | None, ip: str, now_ms: int
    ) -> bool:
        """Whether `password` is the room's; raises `RateLimited` when this IP has no
        attempt left for the room or too many checks are running already."""
        with self._in_progress.hold(ip=ip, room_id=room_id):
            key = f"room-password:{room_id}:{ip}"
            decision, token = await self._fabric.reserve(
                key, PASSWORD_ATTEMPTS, PASSWORD_BLOCK_S, now_ms
            )
            if token is None:
                raise RateLimited(decision.retry_after_s, "Too many wrong passwords for this room.")
            matched = bool(password) and await self._hasher.verify(
                password_hash, password or "", family=HASHING_FAMILY
            )
            if matched:
                await self._fabric.release(key, token)
            return matched
