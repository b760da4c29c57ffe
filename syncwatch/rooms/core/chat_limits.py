"""How often one person may write in a room's chat: 30 messages per sliding 60 s.

Owns the per-user window the room keeps between messages (the same kind of
window limits reports: 5 per 10 minutes, and reactions: 8 per 10 s). Time is passed in.
"""

from __future__ import annotations

from collections import deque

from syncwatch.errors import RateLimited

CHAT_WINDOW_MS = 60_000
CHAT_MESSAGES_PER_WINDOW = 30


REPORT_WINDOW_MS = 10 * 60_000
REPORTS_PER_WINDOW = 5
REACTION_WINDOW_MS = 10_000
REACTIONS_PER_WINDOW = 8
"""Emoji reactions: 8 per sliding 10 s per member (a burst of cheering, not a flood)."""

# `media:failed`: a player reports each source it cannot play once; a few more
# (sources changing quickly, a reload) are fine, a stream of them is not.
MEDIA_FAILURE_WINDOW_MS = 60_000
MEDIA_FAILURES_PER_WINDOW = 10


class ChatRateLimiter:
    """Sliding window per user: the 31st message within any 60 s is refused."""

    def __init__(
        self,
        limit: int = CHAT_MESSAGES_PER_WINDOW,
        window_ms: int = CHAT_WINDOW_MS,
        refusal: str = "Too many chat messages; slow down.",
    ) -> None:
        self._limit = limit
        self._window_ms = window_ms
        self._refusal = refusal
        self._sent: dict[str, deque[int]] = {}

    def check(self, subject_id: str, now_ms: int) -> None:
        recent = self._recent(subject_id, now_ms)
        if len(recent) >= self._limit:
            retry_after_ms = recent[0] + self._window_ms - now_ms
            raise RateLimited(retry_after_ms / 1000, detail=self._refusal)

    def record(self, subject_id: str, now_ms: int) -> None:
        self._recent(subject_id, now_ms).append(now_ms)

    def _recent(self, subject_id: str, now_ms: int) -> deque[int]:
        sent = self._sent.setdefault(subject_id, deque())
        while sent and now_ms - sent[0] >= self._window_ms:
            sent.popleft()
        return sent
