"""Which handler applies each room message: the one place a message type is routed.

A handler takes the room's context, the time, the sending member and the
message, and returns the effects (or raises a `SyncWatchError` before
changing anything). A new message type gets a model in `syncwatch.protocol`,
a handler in the module of its concern (a new module for a new concern) and
one line here; a test fails while any `RoomMessage` has no line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from syncwatch.errors import NotOwner
from syncwatch.protocol import messages as m
from syncwatch.rooms.core import (
    buffering,
    chat,
    commands,
    end_of_media,
    hosting,
    idleness,
    liveness,
    media_failures,
    moderation,
    muting,
    reactions,
    ready_check,
    reports,
    subtitles,
    voice,
    votes,
)
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Effect
from syncwatch.rooms.core.presence import Member

MessageT = TypeVar("MessageT", bound=m.RoomMessage)
Handler = Callable[[RoomContext, int, Member, Any], list[Effect]]


def owner_only(
    handler: Callable[[RoomContext, int, Member, MessageT], list[Effect]],
) -> Callable[[RoomContext, int, Member, MessageT], list[Effect]]:
    """Refuse with `not_owner` anyone but the room's owner."""

    def checked(room: RoomContext, now_ms: int, member: Member, message: MessageT) -> list[Effect]:
        if not room.ownership.is_owner(member.participant_id):
            raise NotOwner()
        return handler(room, now_ms, member, message)

    return checked


def counts_as_activity(
    handler: Callable[[RoomContext, int, Member, MessageT], list[Effect]],
) -> Callable[[RoomContext, int, Member, MessageT], list[Effect]]:
    """Someone speaking keeps the room from closing as idle (`idleness`)."""

    def noted(room: RoomContext, now_ms: int, member: Member, message: MessageT) -> list[Effect]:
        effects = handler(room, now_ms, member, message)
        return idleness.note_activity(room, now_ms) + effects

    return noted


HANDLERS: Mapping[type[m.RoomMessage], Handler] = {
    m.Heartbeat: liveness.handle_heartbeat,
    m.SyncReport: liveness.handle_report,
    m.SyncDurationReport: end_of_media.handle_duration_report,
    m.MediaFailed: media_failures.handle_media_failed,
    m.SyncPlay: commands.handle_sync_command,
    m.SyncPause: commands.handle_sync_command,
    m.SyncSeek: commands.handle_sync_command,
    m.SyncRate: commands.handle_sync_command,
    m.SyncSource: commands.handle_sync_command,
    m.SyncSubtitles: subtitles.handle_subtitles,
    m.StartCountdown: commands.handle_countdown,
    m.ChatSend: counts_as_activity(chat.handle_chat),
    m.VoiceJoin: voice.handle_join,
    m.VoiceLeave: voice.handle_leave,
    m.VoiceSignal: voice.handle_signal,
    m.Kick: owner_only(moderation.kick),
    m.Ban: owner_only(moderation.ban),
    m.GrantControl: owner_only(moderation.control),
    m.RevokeControl: owner_only(moderation.control),
    m.TransferOwnership: owner_only(moderation.transfer),
    m.ChangeSettings: owner_only(moderation.settings),
    m.ReclaimOwnership: moderation.reclaim,
    m.Mute: owner_only(muting.mute),
    m.Unmute: owner_only(muting.unmute),
    m.ShadowMute: owner_only(muting.shadow),
    m.ShadowUnmute: owner_only(muting.shadow),
    m.VoiceMuteAll: owner_only(muting.mute_all_voices),
    m.AllowSpeaker: owner_only(muting.allow_speaker),
    m.RaiseHand: muting.raise_hand,
    m.ReportMember: reports.report,
    m.AskReady: owner_only(ready_check.ask),
    m.AnswerReady: ready_check.answer,
    m.StartVote: votes.start,
    m.CastVote: votes.cast,
    m.GrantHost: owner_only(hosting.grant),
    m.EndHost: hosting.end,
    m.SendReaction: reactions.react,
    m.BufferingReport: buffering.report,
    m.StillHere: idleness.still_here,
}


def handler_for(message: m.RoomMessage) -> Handler:
    return HANDLERS[type(message)]
