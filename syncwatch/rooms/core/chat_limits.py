"""How often one person may write in a room's chat: 30 messages per sliding 60 s.

Owns the per-user window the room keeps between messages. Time is passed in.
"""

from __future__ import annotations

from collections import deque

from syncwatch.errors import RateLimited

CHAT_WINDOW_MS = 60_000
CHAT_MESSAGES_PER_WINDOW = 30


class ChatRateLimiter:
    """Sliding window per user: the 31st message within any 60 s is refused."""

    def __init__(self) -> None:
        self._sent: dict[str, deque[int]] = {}

    def check(self, subject_id: str, now_ms: int) -> None:
        recent = self._recent(subject_id, now_ms)
        if len(recent) >= CHAT_MESSAGES_PER_WINDOW:
            retry_after_ms = recent[0] + CHAT_WINDOW_MS - now_ms
            raise RateLimited(retry_after_ms / 1000, detail="Too many chat messages; slow down.")

    def record(self, subject_id: str, now_ms: int) -> None:
        self._recent(subject_id, now_ms).append(now_ms)

    def _recent(self, subject_id: str, now_ms: int) -> deque[int]:
        sent = self._sent.setdefault(subject_id, deque())
        while sent and now_ms - sent[0] >= CHAT_WINDOW_MS:
            sent.popleft()
        return sent
