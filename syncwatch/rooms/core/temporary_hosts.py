"""`TemporaryHosts`: members the owner lent playback control, for a while or until revoked.

Owns who holds a temporary grant and until when (epoch ms, None: until
revoked). A host may drive playback whatever the room's control policy; the
grant ends by itself at its time (the watchdog lifts it), when the owner
revokes it, or when the host gives it back. A value: every change returns a
new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def _no_hosts() -> Mapping[str, int | None]:
    return {}


@dataclass(frozen=True, slots=True)
class TemporaryHosts:
    grants: Mapping[str, int | None] = field(default_factory=_no_hosts)
    """Participant id → when the grant ends (None: until revoked)."""

    def __contains__(self, participant_id: object) -> bool:
        return participant_id in self.grants

    def until(self, participant_id: str) -> int | None:
        return self.grants.get(participant_id)

    def granting(self, participant_id: str, until_ms: int | None) -> TemporaryHosts:
        return TemporaryHosts({**self.grants, participant_id: until_ms})

    def ending(self, participant_id: str) -> TemporaryHosts:
        return TemporaryHosts({p: u for p, u in self.grants.items() if p != participant_id})

    def ended_by(self, now_ms: int) -> list[str]:
        """Hosts whose time is up at `now_ms`."""
        return [p for p, until in self.grants.items() if until is not None and until <= now_ms]

    def next_expiry_ms(self) -> int | None:
        return min((u for u in self.grants.values() if u is not None), default=None)

    def to_json(self) -> dict[str, Any]:
        return dict(self.grants)

    @classmethod
    def from_json(cls, body: Mapping[str, Any] | None) -> TemporaryHosts:
        return cls(dict(body or {}))
