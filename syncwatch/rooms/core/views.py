"""What a room shows of itself: the wire views built from a `RoomContext`.

Owns the room object of the welcome, `room:settings`, the participants list
and the owner's private view of moderation, read through the context's
public properties only (`ShownRoom` names them, so this module needs no
import of the context, which delegates here). Pure: nothing here changes the
room.
"""

from __future__ import annotations

from typing import Protocol

from syncwatch.protocol import server_messages as out
from syncwatch.protocol.vocabulary import Privacy, Role
from syncwatch.rooms.core.automod import AutomodSettings
from syncwatch.rooms.core.buffering_wait import BufferingWait
from syncwatch.rooms.core.idle_time import Idleness
from syncwatch.rooms.core.membership import Membership
from syncwatch.rooms.core.mutes import Mutes
from syncwatch.rooms.core.ownership import Ownership
from syncwatch.rooms.core.policy import RoomRules
from syncwatch.rooms.core.presence import Member
from syncwatch.rooms.core.snapshot import Phase
from syncwatch.rooms.core.temporary_hosts import TemporaryHosts


class _FixedFacts(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def max_participants(self) -> int: ...
    @property
    def has_password(self) -> bool: ...
    @property
    def created_at(self) -> int: ...


class ShownRoom(Protocol):
    """What the views read of a room (a `RoomContext` is one)."""

    @property
    def settings(self) -> _FixedFacts: ...
    @property
    def phase(self) -> Phase: ...
    @property
    def membership(self) -> Membership: ...
    @property
    def ownership(self) -> Ownership: ...
    @property
    def rules(self) -> RoomRules: ...
    @property
    def mutes(self) -> Mutes: ...
    @property
    def privacy(self) -> Privacy: ...
    @property
    def guests_allowed(self) -> bool: ...
    @property
    def automod_settings(self) -> AutomodSettings: ...
    @property
    def voice_relay_only(self) -> bool: ...
    @property
    def temporary_hosts(self) -> TemporaryHosts: ...
    @property
    def buffering(self) -> BufferingWait: ...
    @property
    def idleness(self) -> Idleness: ...

    def role(self, member: Member) -> Role: ...

    def can_control(self, participant_id: str) -> bool: ...


def automod(room: ShownRoom) -> out.AutomodView:
    return out.AutomodView.model_validate(room.automod_settings.to_json())


def room(room: ShownRoom) -> out.RoomView:
    settings = room.settings
    return out.RoomView(
        id=settings.id,
        code=settings.code,
        name=settings.name,
        owner_id=room.ownership.owner_id,
        max_participants=settings.max_participants,
        has_password=settings.has_password,
        playback_control=room.rules.playback_control,
        auto_handover=room.rules.auto_handover,
        voice_relay_only=room.voice_relay_only,
        phase=room.phase,
        created_at=settings.created_at,
        privacy=room.privacy,
        guests_allowed=room.guests_allowed,
        voice_muted_for_all=room.mutes.voice_muted_for_all,
        automod=automod(room),
        buffer_wait_ms=room.buffering.threshold_ms,
        idle_close_minutes=room.idleness.idle_minutes,
        guests_may_chat=room.rules.guests_may_chat,
    )


def settings(room: ShownRoom) -> out.SettingsChanged:
    return out.SettingsChanged(
        data=out.SettingsChangedData(
            playback_control=room.rules.playback_control,
            auto_handover=room.rules.auto_handover,
            name=room.settings.name,
            max_participants=room.settings.max_participants,
            has_password=room.settings.has_password,
            guests_may_chat=room.rules.guests_may_chat,
            voice_relay_only=room.voice_relay_only,
            privacy=room.privacy,
            guests_allowed=room.guests_allowed,
            voice_muted_for_all=room.mutes.voice_muted_for_all,
            automod=automod(room),
            buffer_wait_ms=room.buffering.threshold_ms,
            idle_close_minutes=room.idleness.idle_minutes,
        )
    )


def moderation(room: ShownRoom) -> out.ModerationView:
    return out.ModerationView(shadow_muted=sorted(room.mutes.shadowed))


def participants(room: ShownRoom) -> list[out.ParticipantView]:
    """The owner first, then the order people first joined in (kept across reloads), with
    what everyone may know of each member's mutes (a shadow mute is not among it)."""
    mutes = room.mutes
    hosts = room.temporary_hosts
    owner_id = room.ownership.owner_id
    listed = []
    in_order = sorted(room.membership.ordered(), key=lambda m: m.participant_id != owner_id)
    for member in in_order:
        pid = member.participant_id
        chat_mute, voice_mute = mutes.chat.get(pid), mutes.voice.get(pid)
        listed.append(
            out.ParticipantView(
                participant_id=pid,
                user_id=pid,
                username=member.display_name,
                role=room.role(member),
                is_guest=member.is_guest,
                can_control=room.can_control(pid),
                away=member.away,
                in_voice=member.in_voice,
                joined_at=member.joined_at_ms,
                chat_muted=chat_mute is not None,
                voice_muted=not mutes.may_speak(pid, owner_id),
                hand_raised=mutes.hand_raised(pid),
                chat_muted_until=chat_mute.until_ms if chat_mute else None,
                voice_muted_until=voice_mute.until_ms if voice_mute else None,
                host=pid in hosts,
                host_until=hosts.until(pid),
            )
        )
    return listed
