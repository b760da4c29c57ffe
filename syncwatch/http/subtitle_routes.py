"""HTTP for the subtitle tracks of uploaded videos.

    GET   /api/v1/videos/{id}/subtitles   {subtitles: [{id, label, language, origin, url}]}
    POST  /api/v1/videos/{id}/subtitles   an SRT or WebVTT file as the body
                                          (?label=&language=&filename=) → 201 the new track

Listing a video's tracks is for those who may see the video (ADR 0010): its
uploader, the members of a live room playing it (guests included) and the
members of the room it was uploaded for. Adding one takes a registered account
and either having uploaded the video or being in the room it was uploaded for
right now: the people who may watch it together may caption it. The tracks
themselves are served by `media_routes` only under the video's grant
(`/media/g/{grant}/videos/{id}/subtitles/…`), the one in its manifest's URL.
"""

from __future__ import annotations

from collections.abc import Callable

from quart import Blueprint, Response, request

from syncwatch.errors import Forbidden, PayloadTooLarge
from syncwatch.http.caller import current_identity
from syncwatch.http.media_routes import WatchCheck
from syncwatch.http.operations import Operation, Parameter, RawBody, Reply
from syncwatch.http.responses import SubtitleTrack, SubtitleTracks, reply
from syncwatch.media.service import MediaService
from syncwatch.media.subtitle_tracks import NewTrack
from syncwatch.media.subtitles import MAX_SUBTITLE_BYTES
from syncwatch.services import Services

MembershipCheck = Callable[[str, str], bool]


_TRACKS = "/api/v1/videos/{video_id}/subtitles"
OPERATIONS = (
    Operation(
        "GET",
        _TRACKS,
        "A video's subtitle tracks",
        {200: Reply("The tracks (never cached)", SubtitleTracks)},
        {
            403: "`forbidden`: neither the uploader nor in a room playing the video or the "
            "room it was uploaded for",
            404: "`not_found`: no such video",
        },
        signed_in=True,
        parameters=(
            Parameter(
                "room",
                "query",
                "the code of the room the video plays in (routes the request to the room's "
                "instance)",
            ),
        ),
    ),
    Operation(
        "POST",
        _TRACKS,
        "Add a subtitle track from an SRT or WebVTT file (the uploader, or people in the "
        "video's room)",
        {201: Reply("The new track", SubtitleTrack, headers={"Location": "the track's URL"})},
        {
            403: "`forbidden`: guests, or neither the uploader nor in the video's room",
            404: "`not_found`: no such video, or one that failed",
            409: "`conflict`: the video has as many tracks as it may",
            413: "`too_large`: over 1 MiB",
            422: "`invalid_subtitles`: not SRT or WebVTT, or a bad language tag",
        },
        raw_body=RawBody(
            "the SRT or WebVTT file (at most 1 MiB)",
            ("application/x-subrip", "text/vtt", "application/octet-stream"),
        ),
        signed_in=True,
        parameters=(
            Parameter("label", "query", "what the track is called in the player"),
            Parameter("language", "query", "a BCP 47 language tag"),
            Parameter("filename", "query", "the file's name (its extension tells SRT from VTT)"),
        ),
    ),
)


async def _body_at_most(limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.content_length
    if declared is not None and declared > limit:
        raise PayloadTooLarge(f"Subtitle files may be at most {limit // 1024} KiB.")
    received = bytearray()
    async for chunk in request.body:
        received += chunk
        if len(received) > limit:
            raise PayloadTooLarge(f"Subtitle files may be at most {limit // 1024} KiB.")
    return bytes(received)


def subtitle_blueprint(
    services: Services,
    media: MediaService,
    *,
    is_member: MembershipCheck,
    is_watching: WatchCheck,
) -> Blueprint:
    bp = Blueprint("subtitles", __name__)

    @bp.get("/api/v1/videos/<video_id>/subtitles")
    async def list_subtitles(video_id: str) -> Response:
        caller = current_identity(services)
        video = await media.video(video_id)
        subject = caller.subject_id
        code = request.args.get("room") or None
        may_see = (
            video.uploader_id == subject
            or is_watching(subject, video_id, code)
            or (video.room_code is not None and is_member(video.room_code.upper(), subject))
        )
        if not may_see:
            raise Forbidden(
                "Only the uploader and the members of a room playing it see this video's subtitles."
            )
        response = reply(SubtitleTracks, {"subtitles": await media.subtitles.list(video_id)})
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.post("/api/v1/videos/<video_id>/subtitles")
    async def add_subtitles(video_id: str) -> Response:
        caller = current_identity(services)
        if caller.is_guest:
            raise Forbidden("Guests cannot add subtitles; register to add them.")
        video = await media.video(video_id)
        in_its_room = video.room_code is not None and is_member(
            video.room_code.upper(), caller.subject_id
        )
        if video.uploader_id != caller.subject_id and not in_its_room:
            raise Forbidden("Only the uploader or people in the video's room can add subtitles.")
        track = await media.subtitles.add(
            video,
            NewTrack(
                data=await _body_at_most(MAX_SUBTITLE_BYTES),
                label=request.args.get("label"),
                language=request.args.get("language"),
                filename=request.args.get("filename"),
            ),
        )
        response = reply(SubtitleTrack, track, status=201)
        response.headers["Location"] = track["url"]
        return response

    return bp
