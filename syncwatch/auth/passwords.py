"""Password hashing with argon2id (argon2-cffi).

Parameters come from settings; the defaults are RFC 9106's second recommended
option (t=3, m=64 MiB, p=4), about 60 ms per hash on this class of machine.
Hashing is CPU-bound, so it runs in worker threads under its own small limiter
and never blocks the loop. A hash made with older parameters is replaced at the
next successful login (`needs_rehash`).
"""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from syncwatch.blocking import run_blocking


class PasswordHasher:
    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._argon2 = _Argon2(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        # Verified against when the login names nobody, so that a miss costs
        # as much time as a wrong password and does not reveal who exists.
        self._decoy_hash = self._argon2.hash("decoy password that matches nothing")

    async def hash(self, password: str) -> str:
        result: str = await run_blocking("password_hashing", self._argon2.hash, password)
        return result

    async def verify(
        self, password_hash: str | None, password: str, *, family: str = "password_hashing"
    ) -> bool:
        """Whether `password` matches; `family` names the worker limiter it waits
        for (room passwords have their own, so guesses never delay logins)."""
        target = password_hash or self._decoy_hash

        def check() -> bool:
            try:
                return bool(self._argon2.verify(target, password))
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return False

        matched = await run_blocking(family, check)
        return matched and password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        return bool(self._argon2.check_needs_rehash(password_hash))
