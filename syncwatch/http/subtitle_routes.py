"""HTTP for the subtitle tracks of uploaded videos.

    GET   /api/v1/videos/{id}/subtitles   {subtitles: [{id, label, language, origin, url}]}
    POST  /api/v1/videos/{id}/subtitles   an SRT or WebVTT file as the body
                                          (?label=&language=&filename=) → 201 the new track

Anyone signed in may list a video's tracks (the room shows them to everyone,
guests included). Adding one takes a registered account and either having
uploaded the video or being in the room it was uploaded for right now: the
people who may watch it together may caption it. The tracks themselves are
served under `/media/` by `media_routes`.
"""

from __future__ import annotations

from collections.abc import Callable

from quart import Blueprint, Response, jsonify, request

from syncwatch.errors import Forbidden, PayloadTooLarge
from syncwatch.http.caller import current_identity
from syncwatch.media.service import MediaService
from syncwatch.media.subtitle_tracks import NewTrack
from syncwatch.media.subtitles import MAX_SUBTITLE_BYTES
from syncwatch.services import Services

MembershipCheck = Callable[[str, str], bool]


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
    services: Services, media: MediaService, *, is_member: MembershipCheck
) -> Blueprint:
    bp = Blueprint("subtitles", __name__)

    @bp.get("/api/v1/videos/<video_id>/subtitles")
    async def list_subtitles(video_id: str) -> Response:
        current_identity(services)
        await media.video(video_id)
        response = jsonify({"subtitles": await media.subtitles.list(video_id)})
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
        response = jsonify(track)
        response.status_code = 201
        response.headers["Location"] = track["url"]
        return response

    return bp
