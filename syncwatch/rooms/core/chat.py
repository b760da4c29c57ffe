"""Chat rules: who may write and what, and the handling of `chat:message`.

Owns content validation (trimmed, 1..2000 characters) and the shape of a
user's chat line; how often one may write is `chat_limits`. A message is
stored before it is broadcast or acknowledged. Time is passed in.
"""

from __future__ import annotations

from collections.abc import Callable

from syncwatch.errors import Forbidden, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.server_messages import ChatMessageData
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Effect, Send, StoreChat
from syncwatch.rooms.core.presence import Member

MAX_CHAT_LENGTH = 2000


def clean_content(content: str) -> str:
    """The content as stored: trimmed, 1..2000 characters, else `validation_error`."""
    trimmed = content.strip()
    if not 1 <= len(trimmed) <= MAX_CHAT_LENGTH:
        raise ValidationFailed(
            [{"field": "content", "message": f"must be 1..{MAX_CHAT_LENGTH} characters"}],
            detail=f"A chat message must be 1 to {MAX_CHAT_LENGTH} characters after trimming.",
        )
    return trimmed


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


def handle_chat(
    room: RoomContext, now_ms: int, member: Member, message: m.ChatSend
) -> list[Effect]:
    """Registered members only; stored before it is broadcast or acknowledged."""
    if member.is_guest:
        raise Forbidden("Guests cannot use the text chat; register to chat.")
    content = clean_content(message.data.content)
    room.admit_chat(member.participant_id, now_ms)
    stored = user_message(room.new_id, now_ms, member.participant_id, member.display_name, content)
    follow_up = (
        Send(room.everyone(), out.ChatMessage(data=stored)),
        *room.ack(member, message, {"id": stored.id}),
    )
    return [StoreChat(room.settings.id, stored, then=follow_up)]
