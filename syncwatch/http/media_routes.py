"""HTTP for media: tus uploads, video status and manifest, HLS delivery, health.

`install_media(app, services, media, is_watching, room_check)` is the one call the app makes:
it registers the blueprint and switches request bodies to flow-controlled
streaming (see `http/flow_control.py`). The `MediaService` itself is built and
run by the composition root. Routes (CONTRACT.md §1):

    OPTIONS/POST        /api/v1/videos/uploads            tus discovery / creation
    HEAD/PATCH/DELETE   /api/v1/videos/uploads/{id}       tus offset / append / termination
    GET                 /api/v1/videos/{id}/status        {id, status, progress, ...}
    GET                 /api/v1/videos/{id}/manifest      {manifestUrl} or 409 not_ready
    GET                 /media/g/{grant}/videos/{id}/hls/...  playlists and segments, byte ranges
    GET                 /media/g/{grant}/videos/{id}/subtitles/{track}.vtt   WebVTT tracks
    GET                 /health/transcoder                spec 8.6.2

The upload id is also the video id. A video's status, manifest, HLS and subtitle
tracks are only for its uploader and the members of a live room playing it (ADR
0010): the manifest's URL carries a short-lived grant (`media/grants.py`) that
every playlist, segment and subtitle track request must present (a track's
listed URL, `/media/videos/{id}/subtitles/…`, is fetched under
`/media/g/{grant}/`); `?room=CODE` names the room (nginx routes it to the room's
instance, the one that knows its members). Playlists get `public, max-age=5,
stale-while-revalidate=10`, segments `public, max-age=31536000, immutable`.
With S3 storage, segments are a redirect to a presigned URL that carries the
same Cache-Control; playlists are always served from here, so the relative
segment URIs inside them keep pointing at this server.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol

from quart import Blueprint, Quart, Response, request

from syncwatch.auth.identity import Caller
from syncwatch.auth.tokens import derive_key
from syncwatch.errors import Forbidden, NotFound, SyncWatchError
from syncwatch.http.caller import current_identity
from syncwatch.http.flow_control import FlowControlledHTTPConnection, FlowControlledRequest
from syncwatch.http.operations import Operation, Parameter, RawBody, Reply
from syncwatch.http.problems import problem_response
from syncwatch.http.responses import Manifest, TranscoderHealth, VideoStatus, reply
from syncwatch.http.upload_rooms import UploadRoomCheck
from syncwatch.media import grants
from syncwatch.media.hls_publisher import PLAYLIST_CONTENT_TYPE, SEGMENT_CONTENT_TYPE
from syncwatch.media.service import MediaService
from syncwatch.media.storage import MediaStorage, ObjectNotFound
from syncwatch.media.subtitles import SUBTITLE_CONTENT_TYPE
from syncwatch.media.tus import TUS_HEADERS, TusResponse, parse_metadata
from syncwatch.services import Services

PLAYLIST_CACHE = "public, max-age=5, stale-while-revalidate=10"
SEGMENT_CACHE = "public, max-age=31536000, immutable"
# How long a presigned segment URL (and the redirect to it) stays valid.
PRESIGNED_TTL_S = 3600
_HLS_KEY = re.compile(r"^videos/([0-9A-Za-z-]{1,64})/hls/(?:[0-9A-Za-z_-]{1,32}/)?[0-9A-Za-z_.-]+$")
_GRANTED = re.compile(r"^g/([^/]{1,64})/(.+)$")
_SUBTITLE_KEY = re.compile(r"^videos/([0-9A-Za-z-]{1,64})/subtitles/[0-9A-Za-z-]{1,64}\.vtt$")
# The id nginx mints for a new upload (its `$request_id`: 32 hex digits), see below.
_PROXY_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
_RANGE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")
# No object is this large; longer numbers in a Range are read as "beyond the end".
_RANGE_DIGITS = 18


_TUS = Parameter("Tus-Resumable", "header", "`1.0.0`", required=True)
_TUS_REPLY = {"Tus-Resumable": "`1.0.0`"}
_UPLOAD = "/api/v1/videos/uploads/{upload_id}"
_UPLOADER = {
    403: "`forbidden`: guests cannot upload",
    412: "`unsupported_tus_version`: no `Tus-Resumable: 1.0.0`",
}
_UNKNOWN_UPLOAD = "`upload_not_found` (someone else's, expired or never created)"
_VIDEO = "`not_found`: no such video"
_WATCHER = "`forbidden`: neither the uploader nor in a room playing the video"
_ROOM = Parameter(
    "room",
    "query",
    "the code of the room the video plays in (routes the request to the room's instance)",
)


class WatchCheck(Protocol):
    def __call__(self, subject_id: str, video_id: str, code: str | None) -> bool:
        """Whether `subject_id` is in a live room here whose source is the upload `video_id`
        (in the room `code` only, when given)."""
        ...


OPERATIONS = (
    Operation(
        "OPTIONS",
        "/api/v1/videos/uploads",
        "tus discovery: version, extensions and the largest upload",
        {
            204: Reply(
                "tus capabilities",
                headers={
                    "Tus-Version": "`1.0.0`",
                    "Tus-Max-Size": "bytes (8 GiB)",
                    "Tus-Extension": "`creation,termination,expiration`",
                },
            )
        },
    ),
    Operation(
        "POST",
        "/api/v1/videos/uploads",
        "tus creation: declare a video's size and metadata (filename, roomCode)",
        {
            201: Reply(
                "Created: send the bytes to Location",
                headers={
                    "Location": "the upload's URL",
                    "Upload-Offset": "`0`",
                    "Upload-Expires": "HTTP date after which an untouched upload is deleted",
                    **_TUS_REPLY,
                },
            )
        },
        {
            **_UPLOADER,
            400: "`bad_request`: Upload-Length missing or not a number, Upload-Defer-Length, "
            "malformed Upload-Metadata",
            403: "`forbidden`: guests cannot upload; `source_forbidden`: the roomCode names a room "
            "whose video the caller may not change",
            404: "`room_not_found`: the roomCode names no room",
            413: "`too_large` (over 8 GiB) or `quota_exceeded` (over the user's storage quota)",
            429: "`rate_limited`: uploads per user per hour",
        },
        signed_in=True,
        parameters=(
            _TUS,
            Parameter("Upload-Length", "header", "the file's size in bytes", True, integer=True),
            Parameter(
                "Upload-Metadata",
                "header",
                "comma-separated `key base64(value)` pairs: `filename`, `roomCode`",
            ),
        ),
    ),
    Operation(
        "HEAD",
        _UPLOAD,
        "tus offset: how many bytes the server has (resume from there)",
        {
            200: Reply(
                "The upload's state",
                headers={
                    "Upload-Offset": "bytes stored",
                    "Upload-Length": "the declared size",
                    "Upload-Expires": "HTTP date",
                    "Upload-Metadata": "as declared",
                    **_TUS_REPLY,
                },
            )
        },
        {**_UPLOADER, 404: _UNKNOWN_UPLOAD},
        signed_in=True,
        parameters=(_TUS,),
    ),
    Operation(
        "PATCH",
        _UPLOAD,
        "tus append: bytes from Upload-Offset on; after a dropped connection, HEAD and resume",
        {204: Reply("Stored", headers={"Upload-Offset": "bytes stored now", **_TUS_REPLY})},
        {
            **_UPLOADER,
            400: "`bad_request`: the body goes past Upload-Length, Upload-Offset not a number",
            404: _UNKNOWN_UPLOAD,
            409: "`offset_mismatch` (with `uploadOffset`) or `upload_busy` (another PATCH is "
            "writing)",
            415: "`unsupported_format`: not application/offset+octet-stream, or the first bytes "
            "are not a video container",
        },
        raw_body=RawBody("the next bytes of the file", ("application/offset+octet-stream",)),
        signed_in=True,
        parameters=(
            _TUS,
            Parameter("Upload-Offset", "header", "where these bytes start", True, integer=True),
        ),
    ),
    Operation(
        "DELETE",
        _UPLOAD,
        "tus termination: drop an unfinished upload",
        {204: Reply("Deleted", headers=_TUS_REPLY)},
        {**_UPLOADER, 404: _UNKNOWN_UPLOAD},
        signed_in=True,
        parameters=(_TUS,),
    ),
    Operation(
        "GET",
        "/api/v1/videos/{video_id}/status",
        "How far a video's preparation has come",
        {200: Reply("The status (never cached)", VideoStatus)},
        {403: _WATCHER, 404: _VIDEO},
        signed_in=True,
        parameters=(_ROOM,),
    ),
    Operation(
        "GET",
        "/api/v1/videos/{video_id}/manifest",
        "Where to play a video from, once players can start",
        {200: Reply("The HLS master playlist's URL, with a grant valid 30 to 40 min", Manifest)},
        {403: _WATCHER, 404: _VIDEO, 409: "`not_ready` (with `videoStatus` and `progress`)"},
        signed_in=True,
        parameters=(_ROOM,),
    ),
    Operation(
        "GET",
        "/media/{key}",
        "HLS playlists (cached 5 s), segments and WebVTT subtitle tracks (immutable), all under "
        "`g/{grant}/` (the grant of the video's manifest URL); byte ranges honoured",
        {
            200: Reply("The object", media_type="application/octet-stream"),
            206: Reply("The requested byte range", media_type="application/octet-stream"),
            302: Reply(
                "With S3 storage a segment is a redirect to a presigned URL",
                headers={"Location": "the presigned URL"},
            ),
        },
        {
            403: "`forbidden`: HLS or a subtitle track without a grant for this video, or with "
            "an expired one",
            404: "`not_found`",
            416: "`range_not_satisfiable` (with Content-Range: bytes */size)",
        },
        parameters=(Parameter("Range", "header", "one `bytes=start-end` range"),),
    ),
    Operation(
        "GET",
        "/health/transcoder",
        "Transcoder health: ffmpeg, workers, queue (503 when unhealthy)",
        {200: Reply("Healthy", TranscoderHealth), 503: Reply("Unhealthy", TranscoderHealth)},
    ),
)


class RangeNotSatisfiable(SyncWatchError):
    status, code, title = 416, "range_not_satisfiable", "Range not satisfiable"

    def __init__(self, detail: str, *, size: int) -> None:
        super().__init__(detail)
        self.size = size


def install_media(
    app: Quart,
    services: Services,
    media: MediaService,
    is_watching: WatchCheck,
    room_check: UploadRoomCheck,
) -> None:
    app.request_class = FlowControlledRequest
    app.asgi_http_class = FlowControlledHTTPConnection
    app.register_blueprint(media_blueprint(services, media, is_watching, room_check))


def proxy_upload_id(services: Services, header: str | None) -> str | None:
    """The upload id nginx chose for a new upload, when proxy headers are trusted.

    A partial upload lives on the disk of one instance. nginx routes every request
    for `/api/v1/videos/uploads/<id>` by a consistent hash of `<id>`, and routes the
    creating POST by a consistent hash of its `$request_id`, which it passes here as
    `X-Upload-Id`: using that value as the id makes the `Location` we answer hash to
    this very instance, with no list of instances to keep in step between nginx and
    the app (deploy/nginx/nginx.conf). Anything else in the header is ignored.
    """
    if not services.settings.trust_proxy_headers or header is None:
        return None
    return header if _PROXY_UPLOAD_ID.fullmatch(header) else None


def media_blueprint(
    services: Services, media: MediaService, is_watching: WatchCheck, room_check: UploadRoomCheck
) -> Blueprint:
    bp = Blueprint("media", __name__)
    grant_key = derive_key(services.settings.secret_key, "media-grants")

    async def watcher(video_id: str, *, upload_room_too: bool = False) -> None:
        """Refuse unless the caller uploaded the video or is in a live room playing it
        (for its status: also in the room it was uploaded for, which sees its progress)."""
        identity = current_identity(services)
        video = await media.videos.get(video_id)
        if video is None:
            raise NotFound(f"No video {video_id!r}.")
        code = request.args.get("room") or None
        subject = identity.subject_id
        if video.uploader_id == subject or is_watching(subject, video_id, code):
            return
        if upload_room_too and video.room_code and is_watching(subject, "", video.room_code):
            return
        raise Forbidden("Only the uploader and the members of a room playing it see this video.")

    def uploader() -> Caller:
        identity = current_identity(services)
        if identity.is_guest:
            raise Forbidden("Guests cannot upload videos; register to upload.")
        return identity

    async def tus_call(call: Callable[[], Awaitable[TusResponse]]) -> Response:
        try:
            answer = await call()
        except SyncWatchError as error:
            headers = dict(TUS_HEADERS)
            if request.method == "PATCH":
                # The refused body was not read: closing the connection is the only way
                # to be rid of it (draining could mean gigabytes); otherwise the next
                # request on this connection would wait behind it forever.
                headers["Connection"] = "close"
            return problem_response(error, headers=headers)
        return Response("", status=answer.status, headers=answer.headers)

    @bp.route("/api/v1/videos/uploads", methods=["OPTIONS"])
    async def tus_options() -> Response:
        answer = media.tus.options()
        return Response("", status=answer.status, headers=answer.headers)

    @bp.post("/api/v1/videos/uploads")
    async def tus_create() -> Response:
        async def create() -> TusResponse:
            identity = uploader()
            room_code = parse_metadata(request.headers.get("Upload-Metadata", "")).get("roomCode")
            if room_code is not None:
                await room_check(identity, room_code)
            return await media.tus.create(
                user_id=identity.subject_id,
                headers=dict(request.headers),
                upload_id=proxy_upload_id(services, request.headers.get("X-Upload-Id")),
            )

        return await tus_call(create)

    @bp.route("/api/v1/videos/uploads/<upload_id>", methods=["HEAD", "PATCH", "DELETE"])
    async def tus_upload(upload_id: str) -> Response:
        async def dispatch() -> TusResponse:
            identity = uploader()
            tus = media.tus
            headers = dict(request.headers)
            if request.method == "HEAD":
                return await tus.head(upload_id, user_id=identity.subject_id, headers=headers)
            if request.method == "DELETE":
                return await tus.terminate(upload_id, user_id=identity.subject_id, headers=headers)
            return await tus.patch(
                upload_id, user_id=identity.subject_id, headers=headers, body=_body_chunks()
            )

        return await tus_call(dispatch)

    @bp.get("/api/v1/videos/<video_id>/status")
    async def video_status(video_id: str) -> Response:
        await watcher(video_id, upload_room_too=True)
        response = reply(VideoStatus, await media.status(video_id))
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.get("/api/v1/videos/<video_id>/manifest")
    async def video_manifest(video_id: str) -> Response:
        await watcher(video_id)
        url = await media.manifest_url(video_id)
        grant = grants.issue(grant_key, video_id, services.clock.now_ms())
        # /media/videos/... -> /media/g/<grant>/videos/...
        granted = url.replace("/media/", f"/media/{grants.PREFIX}/{grant}/", 1)
        response = reply(Manifest, {"manifestUrl": granted})
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.get("/media/<path:key>")
    async def media_object(key: str) -> Response:
        granted = _GRANTED.fullmatch(key)
        grant = granted.group(1) if granted else None
        if granted:
            key = granted.group(2)
        track = _SUBTITLE_KEY.fullmatch(key)
        subtitles = track is not None
        hls = _HLS_KEY.fullmatch(key) if key.endswith((".m3u8", ".ts")) else None
        video = track or hls
        if video is None:
            raise NotFound("There is nothing at this address.")
        # A subtitle track is the video's too: the same grant covers it (ADR 0010).
        video_of_key = video.group(1)
        if grant is None or not grants.is_valid(
            grant_key, video_of_key, grant, services.clock.now_ms()
        ):
            raise Forbidden(
                "This video's playlists and subtitles need a current grant: ask for its manifest."
            )
        storage = media.storage
        playlist = key.endswith(".m3u8")
        # A subtitle track's name is fresh for every track: its bytes never change.
        cache = PLAYLIST_CACHE if playlist else SEGMENT_CACHE
        content_type = (
            SUBTITLE_CONTENT_TYPE
            if subtitles
            else PLAYLIST_CONTENT_TYPE
            if playlist
            else SEGMENT_CONTENT_TYPE
        )
        # nginx keeps a cached copy no longer than the grant lives (and does not pass
        # this header on): an expired URL is never answered from its cache.
        expiry = {"X-Accel-Expires": f"@{grants.expiry_s(grant)}"} if grant is not None else {}
        try:
            # Segments may come straight from S3; playlists and subtitle tracks (small,
            # fetched by the page itself) always come from this origin.
            if not playlist and not subtitles and not hasattr(storage, "path_for"):
                location = await storage.locate(key, expires_s=PRESIGNED_TTL_S, cache_control=cache)
                # Cached for less than the URL lives, so a cached redirect never
                # points at an expired URL.
                return Response(
                    "",
                    status=302,
                    headers={
                        "Location": str(location.url),
                        "Cache-Control": f"public, max-age={PRESIGNED_TTL_S // 2}",
                        **expiry,
                    },
                )
            response = await _serve_range(storage, key, cache, content_type)
        except ObjectNotFound:
            raise NotFound("There is nothing at this address.") from None
        except RangeNotSatisfiable as error:
            return problem_response(error, headers={"Content-Range": f"bytes */{error.size}"})
        response.headers.update(expiry)
        return response

    @bp.get("/health/transcoder")
    async def transcoder_health() -> Response:
        body = await media.health()
        response = reply(TranscoderHealth, body, status=200 if body["healthy"] else 503)
        response.headers["Cache-Control"] = "no-store"
        return response

    return bp


async def _body_chunks() -> AsyncIterator[bytes]:
    async for chunk in request.body:
        yield chunk


async def _serve_range(storage: MediaStorage, key: str, cache: str, content_type: str) -> Response:
    size = await storage.size(key)
    headers = {"Cache-Control": cache, "Accept-Ranges": "bytes", "Content-Type": content_type}
    wanted = request.headers.get("Range")
    start, end, status = 0, size - 1, 200
    if wanted:
        start, end = _parse_range(wanted, size)
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    length = max(0, end - start + 1)
    headers["Content-Length"] = str(length)
    if request.method == "HEAD" or length == 0:
        return Response(b"", status=status, headers=headers)
    chunks = storage.read_chunks(key, start=start, length=length)
    return Response(chunks, status=status, headers=headers)


def _parse_range(header: str, size: int) -> tuple[int, int]:
    """One `bytes=` range (RFC 9110 14.1.2) as inclusive offsets, or 416."""
    found = _RANGE.fullmatch(header.strip())
    if found is None or found.group(1) == found.group(2) == "":
        raise RangeNotSatisfiable("Send one byte range: bytes=start-end.", size=size)
    first, last = (_offset(part) for part in found.groups())
    if first is None:  # the final N bytes
        assert last is not None
        start, end = max(0, size - last), size - 1
    else:
        start = first
        end = min(last, size - 1) if last is not None else size - 1
    if start >= size or start > end:
        raise RangeNotSatisfiable(f"The object has {size} bytes.", size=size)
    return start, end


def _offset(digits: str) -> int | None:
    """A Range offset: None when absent, capped where int() would choke (5,000 digits)."""
    if digits == "":
        return None
    return int(digits) if len(digits) <= _RANGE_DIGITS else 10**_RANGE_DIGITS
