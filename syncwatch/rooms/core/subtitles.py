"""The subtitle tracks of the room's source: which ones a source may carry, and
changing them without touching the timeline.

Owns the rules for a track list: a direct URL source takes http(s) `.vtt`
URLs; an uploaded video takes only its own tracks, served by this server at
`/media/videos/{id}/subtitles/{track}.vtt`; a YouTube video takes none (the
player has its own captions). The list belongs to the source: a new source
starts with the tracks its `sync:source` named, and `sync:subtitles` replaces
the list of the current one. Tracks never change the playback state or the
sequence number; everyone hears of a change as `room:subtitles`. Pure.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from syncwatch.errors import Forbidden, SequenceConflict, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.vocabulary import SourceType
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Effect, SaveSnapshot, Send
from syncwatch.rooms.core.mixed_content import refuse_mixed_content
from syncwatch.rooms.core.presence import Member
from syncwatch.rooms.core.subtitle_track import SubtitleTrack

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$")
_UPLOADED_TRACK = re.compile(
    r"^/media/videos/(?P<video>[0-9A-Za-z-]{1,64})/subtitles/[0-9A-Za-z-]{1,64}\.vtt$"
)


def _problem(index: int, field: str, message: str) -> ValidationFailed:
    return ValidationFailed([{"field": f"subtitles.{index}.{field}", "message": message}])


def _url_fits(source_type: SourceType, source_id: str, url: str) -> str | None:
    """Why `url` cannot be a track of this source, or None when it can."""
    if source_type == "youtube":
        return "YouTube videos bring their own captions; add none here"
    if source_type == "upload":
        found = _UPLOADED_TRACK.fullmatch(url)
        if found is None or found["video"] != source_id:
            return "must be one of this video's own tracks (/api/v1/videos/{id}/subtitles)"
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an http(s) URL"
    if not parts.path.lower().endswith(".vtt"):
        return "must name a WebVTT file (.vtt)"
    return None


def checked_tracks(
    source_type: SourceType | None,
    source_id: str | None,
    tracks: list[m.SubtitleTrackData],
    *,
    https_only: bool = False,
) -> tuple[SubtitleTrack, ...]:
    """`tracks` as the room keeps them, or `ValidationFailed` naming the first bad field
    (`MixedContent` for an http:// track on an https deployment)."""
    if not tracks:
        return ()
    if len(tracks) > m.MAX_SUBTITLE_TRACKS:
        raise ValidationFailed(
            [{"field": "subtitles", "message": f"at most {m.MAX_SUBTITLE_TRACKS} tracks"}]
        )
    if source_type is None or source_id is None:
        raise _problem(0, "url", "there is no video to add subtitles to")
    kept: list[SubtitleTrack] = []
    seen: set[str] = set()
    for index, track in enumerate(tracks):
        why = _url_fits(source_type, source_id, track.url)
        if why is not None:
            raise _problem(index, "url", why)
        refuse_mixed_content(track.url, https_only=https_only, field=f"subtitles.{index}.url")
        if track.url in seen:
            raise _problem(index, "url", "is listed twice")
        label = " ".join(track.label.split())
        if not label:
            raise _problem(index, "label", "must not be blank")
        language = track.language.strip() if track.language else None
        if language and not _LANGUAGE.fullmatch(language):
            raise _problem(index, "language", "must be a language tag such as 'en' or 'pt-BR'")
        seen.add(track.url)
        kept.append(SubtitleTrack(track.url, label, language or None))
    return tuple(kept)


def subtitles_to_all(room: RoomContext) -> Send:
    data = out.SubtitlesChangedData(
        source_id=room.playback.source_id, subtitles=[t.view() for t in room.subtitles]
    )
    return Send(room.everyone(), out.SubtitlesChanged(data=data))


def handle_subtitles(
    room: RoomContext, now_ms: int, member: Member, message: m.SyncSubtitles
) -> list[Effect]:
    """`sync:subtitles`: the current source's tracks become the given list."""
    if not room.can_control(member.participant_id):
        raise Forbidden("The room's playback control policy does not let you do this.")
    room.require_source()
    expected = message.data.source_id
    if expected is not None and expected != room.playback.source_id:
        raise SequenceConflict(
            room.sequence_number, "The video changed; its subtitles were left alone."
        )
    playback = room.playback
    room.set_subtitles(
        checked_tracks(
            playback.source_type,
            playback.source_id,
            message.data.subtitles,
            https_only=room.settings.https_only,
        )
    )
    event = out.SystemEvent(
        kind="subtitles", user_id=member.participant_id, username=member.display_name
    )
    return [
        SaveSnapshot(room.snapshot()),
        subtitles_to_all(room),
        *room.ack(member, message, {"subtitles": len(room.subtitles)}),
        room.system_chat(now_ms, event),
    ]
