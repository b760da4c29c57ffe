"""Chat rules: who may write, how much, how often; and the shape of system events.

Owns content validation, the per-user sliding-window limit (30 messages per
60 s) and the handling of `chat:message`. Time is passed in.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from syncwatch.errors import Forbidden, RateLimited, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.server_messages import ChatMessageData, SystemEvent
from syncwatch.rooms.core.effects import Effect, Send, StoreChat
from syncwatch.rooms.core.presence import Member

if TYPE_CHECKING:
    from syncwatch.rooms.core.state import RoomState

MAX_CHAT_LENGTH = 2000
CHAT_WINDOW_MS = 60_000
CHAT_MESSAGES_PER_WINDOW = 30


def clean_content(content: str) -> str:
    """The content as stored: trimmed, 1..2000 characters, else `validation_error`."""
    trimmed = content.strip()
    if not 1 <= len(trimmed) <= MAX_CHAT_LENGTH:
        raise ValidationFailed(
            [{"field": "content", "message": f"must be 1..{MAX_CHAT_LENGTH} characters"}],
            detail=f"A chat message must be 1 to {MAX_CHAT_LENGTH} characters after trimming.",
        )
    return trimmed


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


def system_message(new_id: Callable[[], str], now_ms: int, event: SystemEvent) -> ChatMessageData:
    return ChatMessageData(id=new_id(), kind="system", created_at=now_ms, event=event)


def user_message(
    new_id: Callable[[], str], now_ms: int, user_id: str, username: str, content: str
) -> ChatMessageData:
    return ChatMessageData(
        id=new_id(),
        kind="user",
        created_at=now_ms,
        user_id=user_id,
        username=username,
        content=content,
    )


def handle_chat(room: RoomState, now_ms: int, member: Member, message: m.ChatSend) -> list[Effect]:
    """Registered members only; stored before it is broadcast or acknowledged."""
    if member.is_guest:
        raise Forbidden("Guests cannot use the text chat; register to chat.")
    content = clean_content(message.data.content)
    room._chat_limits.check(member.participant_id, now_ms)
    room._chat_limits.record(member.participant_id, now_ms)
    stored = user_message(room._new_id, now_ms, member.participant_id, member.display_name, content)
    follow_up = (
        Send(room._everyone(), out.ChatMessage(data=stored)),
        *room._ack(member, message, {"id": stored.id}),
    )
    return [StoreChat(room.settings.id, stored, then=follow_up)]
