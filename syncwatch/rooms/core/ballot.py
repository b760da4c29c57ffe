"""`PlaybackVote`: an open vote to pause or resume, and its `Tally`, as values.

Owns the ballots cast and the rule that decides a vote: a majority of the
members present (more than half), passed once reached, failed once out of
reach. The handlers that change it are in `votes`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from syncwatch.protocol import server_messages as out

VoteStatus = Literal["open", "passed", "failed", "expired"]


@dataclass(frozen=True, slots=True)
class Tally:
    eligible: int
    needed: int
    yes: int
    no: int

    @property
    def status(self) -> VoteStatus:
        if self.yes >= self.needed:
            return "passed"
        if self.no > self.eligible - self.needed:
            return "failed"
        return "open"


@dataclass(frozen=True, slots=True)
class PlaybackVote:
    vote_id: str
    action: Literal["pause", "resume"]
    started_by: str
    ends_at_ms: int
    yes: frozenset[str] = frozenset()
    no: frozenset[str] = frozenset()

    def cast(self, participant_id: str, yes: bool) -> PlaybackVote:
        if yes:
            return replace(self, yes=self.yes | {participant_id}, no=self.no - {participant_id})
        return replace(self, no=self.no | {participant_id}, yes=self.yes - {participant_id})

    def tally(self, present: frozenset[str]) -> Tally:
        """Only the votes of members present count, against a majority of them."""
        eligible = len(present)
        return Tally(eligible, eligible // 2 + 1, len(self.yes & present), len(self.no & present))

    def view(self, tally: Tally, status: VoteStatus) -> out.VoteView:
        return out.VoteView(
            vote_id=self.vote_id,
            action=self.action,
            status=status,
            started_by=self.started_by,
            ends_at=self.ends_at_ms,
            yes=sorted(self.yes),
            no=sorted(self.no),
            needed=tally.needed,
            eligible=tally.eligible,
        )
