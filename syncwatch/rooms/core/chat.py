"""Chat rules: who may write and what, and the handling of `chat:message`.

Owns content validation (trimmed, 1..2000 characters), the shape of a user's
chat line and where a line goes: to everyone; only back to its author when
they are shadow-muted (who is not told, and whose line nobody else will ever
read, in the history either); or, as the automatic moderator decides
(`automod`), to everyone with a warning to the author, only to its author
(hidden), or hidden with the author's chat muted for a while. Every automod
action is also a line only the owner reads, and an audit row. A muted member
is refused (`muted`); how often one may write is `chat_limits`. A message is
stored before it is broadcast or acknowledged. Time is passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from syncwatch.errors import ChatMuted, Forbidden, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.server_messages import ChatMessageData
from syncwatch.rooms.core.automod import AUTOMOD_MUTE_MS, Verdict
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Audit, Effect, Send, StoreChat
from syncwatch.rooms.core.muting import mute_member
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


AUTOMOD_MESSAGES = {
    "repeats": "Please don't repeat the same message.",
    "links": "Too many links in a short time.",
    "flood": "You're writing very fast; slow down.",
    "blocklist": "That message contains a word this server does not allow.",
}


def handle_chat(
    room: RoomContext, now_ms: int, member: Member, message: m.ChatSend
) -> list[Effect]:
    """Registered members only; stored before it is broadcast or acknowledged."""
    if member.is_guest and not room.rules.guests_may_chat:
        raise Forbidden("Guests cannot write in this room's chat; create an account to write.")
    muted = room.mutes.chat_mute(member.participant_id, now_ms)
    if muted is not None:
        left = None if muted.until_ms is None else (muted.until_ms - now_ms) / 1000
        raise ChatMuted(left, "You are muted in this room's chat.")
    content = clean_content(message.data.content)
    room.admit_chat(member.participant_id, now_ms)
    stored = user_message(room.new_id, now_ms, member.participant_id, member.display_name, content)
    ack = room.ack(member, message, {"id": stored.id})
    if room.mutes.is_shadowed(member.participant_id):
        # Looks sent to its author; nobody else receives it, now or in any history.
        return [_only_to_author(room, member, stored, ack, "shadow")]
    verdict = None
    if not room.ownership.is_owner(member.participant_id):
        verdict = room.judge_chat(member.participant_id, content, now_ms)
    if verdict is None or verdict.action == "warn":
        follow_up = (Send(room.everyone(), out.ChatMessage(data=stored)), *ack)
        effects: list[Effect] = [StoreChat(room.settings.id, stored, then=follow_up)]
    else:
        effects = [_only_to_author(room, member, stored, ack, "automod")]
    if verdict is not None:
        effects += _automod_acted(room, now_ms, member, verdict)
    return effects


def _only_to_author(
    room: RoomContext,
    member: Member,
    stored: ChatMessageData,
    ack: list[Effect],
    reason: Literal["shadow", "automod"],
) -> StoreChat:
    """A line stored for its author alone; told it is hidden only when automod hid it."""
    shown = stored.model_copy(update={"hidden": True}) if reason == "automod" else stored
    to_author = (Send((member.conn_id,), out.ChatMessage(data=shown)), *ack)
    return StoreChat(
        room.settings.id,
        stored,
        then=to_author,
        visible_to=member.participant_id,
        hidden_reason=reason,
    )


def _automod_acted(
    room: RoomContext, now_ms: int, member: Member, verdict: Verdict
) -> list[Effect]:
    """The author is told, the owner reads a line of it, the audit log keeps it; the
    third strike also mutes the author's chat for a while."""
    room.note(member, now_ms, "automod", rule=verdict.rule, action=verdict.action)
    warning = out.AutomodWarning(
        data=out.AutomodWarningData(
            rule=verdict.rule, action=verdict.action, message=AUTOMOD_MESSAGES[verdict.rule]
        )
    )
    effects: list[Effect] = [Send((member.conn_id,), warning)]
    if verdict.action == "mute":
        until = now_ms + AUTOMOD_MUTE_MS
        effects += mute_member(room, now_ms, member, "chat", until, "automod")
    event = out.SystemEvent(
        kind="automod",
        user_id=member.participant_id,
        username=member.display_name,
        action=verdict.action,
        rule=verdict.rule,
    )
    notice = room.system_chat_to_owner(now_ms, event)
    if notice is not None:
        effects.append(notice)
    effects.append(
        Audit(
            f"automod.{verdict.action}",
            None,
            member.participant_id,
            {"rule": verdict.rule},
        )
    )
    return effects
