"""Admissions: who got into a password room, and with which password.

Owns the room's memory of the people who passed its password, so that they
come back without it (a reload, a lost connection, a browser restart) for the
room's life. An admission is keyed by the person's subject id (a guest keeps
theirs through the refresh cookie) and holds the *stamp* of the password it
was proved for: a short fingerprint of the room's current password hash, made
by the shell (`rooms/directory.password_stamp`). A new password has a new
stamp, so changing the password invalidates every admission without a sweep.
A kick or a ban forgets the person's admission.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_ADMISSIONS = 512
"""People a room remembers (a room seats 5; the oldest admissions go first)."""


@dataclass(frozen=True, slots=True)
class Admissions:
    # (subject id, password stamp), oldest first.
    entries: tuple[tuple[str, str], ...] = ()

    def admits(self, subject_id: str, stamp: str | None) -> bool:
        """Whether `subject_id` proved the password whose stamp is `stamp`."""
        return stamp is not None and (subject_id, stamp) in self.entries

    def remembers(self, subject_id: str) -> bool:
        """Whether `subject_id` was admitted, whatever the password was then."""
        return any(entry[0] == subject_id for entry in self.entries)

    def admitting(self, subject_id: str, stamp: str) -> Admissions:
        kept = tuple(entry for entry in self.entries if entry[0] != subject_id)
        return Admissions((*kept, (subject_id, stamp))[-MAX_ADMISSIONS:])

    def revoking(self, subject_id: str) -> Admissions:
        return Admissions(tuple(entry for entry in self.entries if entry[0] != subject_id))

    def to_json(self) -> list[list[str]]:
        return [list(entry) for entry in self.entries]

    @classmethod
    def from_json(cls, body: Any) -> Admissions:
        if not body:
            return cls()
        return cls(tuple((str(subject), str(stamp)) for subject, stamp in body))
