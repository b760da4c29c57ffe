"""The OpenAPI 3.1 description of the HTTP API, built from the same pydantic models
that validate the requests, so the document cannot drift from the code.

Served at `/api/v1/openapi.json`; `tasks/openapi.py` writes `docs/openapi.json`
and `nox -s schema` checks the checked-in copy is current.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from syncwatch import __version__
from syncwatch.http.auth_routes import GuestBody, LoginBody, RegisterBody
from syncwatch.http.friend_routes import AcceptBody, FriendRequestBody
from syncwatch.http.room_routes import CreateRoomBody, JoinRoomBody
from syncwatch.http.voice_routes import VoiceReportBody

_PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")


def _body(model: type[BaseModel], *, required: bool = True) -> dict[str, Any]:
    return {
        "required": required,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
        },
    }


def _problems(*codes: int) -> dict[str, Any]:
    described = {
        400: "Malformed JSON (`bad_request`)",
        401: "Missing or invalid credentials",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict",
        413: "Body too large (`too_large`)",
        415: "Not JSON",
        422: "Validation failed (`validation_error`, with `errors`)",
        429: "Rate limited (`rate_limited`, with `Retry-After`)",
    }
    return {
        str(code): {
            "description": described[code],
            "content": {"application/problem+json": {"schema": _PROBLEM}},
        }
        for code in codes
    }


def _ok(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return response


_SESSION = {"$ref": "#/components/schemas/Session"}
_ROOM = {"$ref": "#/components/schemas/Room"}
_BEARER: list[dict[str, list[str]]] = [{"bearer": []}]


def openapi_document() -> dict[str, Any]:
    models: list[type[BaseModel]] = [
        RegisterBody,
        LoginBody,
        GuestBody,
        CreateRoomBody,
        JoinRoomBody,
        FriendRequestBody,
        AcceptBody,
        VoiceReportBody,
    ]
    schemas: dict[str, Any] = {model.__name__: _schema_of(model) for model in models}
    schemas.update(
        {
            "Problem": {
                "type": "object",
                "required": ["type", "title", "status", "code"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "code": {"type": "string"},
                    "errors": {"type": "array", "items": {"type": "object"}},
                },
            },
            "User": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "username": {"type": "string"},
                    "email": {"type": "string"},
                    "createdAt": {"type": "integer", "description": "epoch ms"},
                    "guest": {"type": "boolean"},
                },
            },
            "Session": {
                "type": "object",
                "required": ["user", "accessToken", "expiresIn"],
                "properties": {
                    "user": {"$ref": "#/components/schemas/User"},
                    "accessToken": {"type": "string"},
                    "expiresIn": {"type": "integer", "description": "seconds"},
                },
            },
            "Room": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "code": {"type": "string", "minLength": 8, "maxLength": 8},
                    "name": {"type": "string"},
                    "ownerId": {"type": "string"},
                    "maxParticipants": {"type": "integer", "minimum": 2, "maximum": 5},
                    "hasPassword": {"type": "boolean"},
                    "playbackControl": {"enum": ["owner_only", "all", "selected"]},
                    "autoHandover": {"type": "boolean"},
                    "createdAt": {"type": "integer"},
                    "expiresAt": {"type": "integer"},
                    "participantCount": {"type": "integer"},
                },
            },
        }
    )
    paths: dict[str, Any] = {
        "/api/v1/auth/register": {
            "post": {
                "summary": "Create an account; sets the rotating refresh cookie `sw_refresh`",
                "requestBody": _body(RegisterBody),
                "responses": {
                    "201": _ok("Registered", _SESSION),
                    **_problems(400, 409, 415, 422, 429),
                },
            }
        },
        "/api/v1/auth/login": {
            "post": {
                "summary": "Log in with email or username",
                "requestBody": _body(LoginBody),
                "responses": {"200": _ok("Logged in", _SESSION), **_problems(400, 401, 422, 429)},
            }
        },
        "/api/v1/auth/guest": {
            "post": {
                "summary": "A guest session with a chosen or generated nickname",
                "requestBody": _body(GuestBody, required=False),
                "responses": {"200": _ok("Guest session", _SESSION), **_problems(422)},
            }
        },
        "/api/v1/auth/refresh": {
            "post": {
                "summary": "Rotate the refresh cookie; a reused token revokes its family",
                "responses": {"200": _ok("New access token", _SESSION), **_problems(401, 403)},
            }
        },
        "/api/v1/auth/logout": {
            "post": {"summary": "Revoke the session", "responses": {"204": _ok("Logged out")}}
        },
        "/api/v1/auth/me": {
            "get": {
                "summary": "The current account",
                "security": _BEARER,
                "responses": {
                    "200": _ok("The account", {"$ref": "#/components/schemas/User"}),
                    **_problems(401),
                },
            }
        },
        "/api/v1/rooms": {
            "post": {
                "summary": "Create a room (registered users, 5 per hour)",
                "security": _BEARER,
                "requestBody": _body(CreateRoomBody),
                "responses": {"201": _ok("Created", _ROOM), **_problems(401, 422, 429)},
            }
        },
        "/api/v1/rooms/{code}": {
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {
                "summary": "A room and how many members are in it",
                "responses": {"200": _ok("The room", _ROOM), **_problems(404)},
            },
            "delete": {
                "summary": "Delete a room (owner only); members are closed with 4004",
                "security": _BEARER,
                "responses": {"204": _ok("Deleted"), **_problems(401, 403, 404)},
            },
        },
        "/api/v1/rooms/{code}/join": {
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "post": {
                "summary": "Pre-flight check before joining over the WebSocket",
                "security": _BEARER,
                "requestBody": _body(JoinRoomBody, required=False),
                "responses": {
                    "200": _ok(
                        "Welcome",
                        {
                            "type": "object",
                            "properties": {"room": _ROOM, "participantId": {"type": "string"}},
                        },
                    ),
                    **_problems(401, 403, 404, 409, 429),
                },
            },
        },
        "/api/v1/friends": {
            "get": {
                "summary": "Friends, incoming and outgoing requests",
                "security": _BEARER,
                "responses": {"200": _ok("Lists"), **_problems(401)},
            }
        },
        "/api/v1/friends/request": {
            "post": {
                "summary": "Send a friend request by username",
                "security": _BEARER,
                "requestBody": _body(FriendRequestBody),
                "responses": {"201": _ok("Requested"), **_problems(401, 404, 409, 422)},
            }
        },
        "/api/v1/friends/accept": {
            "post": {
                "summary": "Accept a pending request",
                "security": _BEARER,
                "requestBody": _body(AcceptBody),
                "responses": {"200": _ok("Accepted"), **_problems(401, 404)},
            }
        },
        "/api/v1/friends/{userId}": {
            "parameters": [
                {"name": "userId", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "delete": {
                "summary": "Remove a friend or a pending request",
                "security": _BEARER,
                "responses": {"204": _ok("Removed"), **_problems(401, 404)},
            },
        },
        "/api/v1/videos/uploads": {
            "post": {
                "summary": "tus 1.0.0 creation: Upload-Length and Upload-Metadata "
                "(filename, roomCode); answers 201 with Location",
                "security": _BEARER,
                "responses": {
                    "201": _ok("Upload created"),
                    **_problems(401, 413, 429),
                    "415": _ok("Not a supported video container (`unsupported_format`)"),
                },
            },
            "options": {"summary": "tus capabilities", "responses": {"204": _ok("tus headers")}},
        },
        "/api/v1/videos/uploads/{upload_id}": {
            "parameters": [
                {"name": "upload_id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "head": {"summary": "tus offset", "responses": {"200": _ok("Upload-Offset")}},
            "patch": {
                "summary": "tus append (application/offset+octet-stream); resumable",
                "responses": {
                    "204": _ok("Appended"),
                    **_problems(404, 409),
                    "415": _ok("Magic bytes do not match a video container"),
                },
            },
            "delete": {"summary": "tus termination", "responses": {"204": _ok("Deleted")}},
        },
        "/api/v1/videos/{video_id}/status": {
            "parameters": [
                {"name": "video_id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {
                "summary": "Status: pending, processing (progress 0..100), ready or failed",
                "responses": {"200": _ok("Status"), **_problems(404)},
            },
        },
        "/api/v1/videos/{video_id}/manifest": {
            "parameters": [
                {"name": "video_id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {
                "summary": "The HLS master playlist URL",
                "responses": {"200": _ok("manifestUrl"), **_problems(404, 409)},
            },
        },
        "/api/v1/videos/{video_id}/subtitles": {
            "parameters": [
                {"name": "video_id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {
                "summary": "The video's subtitle tracks: {subtitles: [{id, label, language, "
                "origin: embedded|upload, url}]}; `url` is a WebVTT file",
                "security": _BEARER,
                "responses": {"200": _ok("subtitles"), **_problems(401, 404)},
            },
            "post": {
                "summary": "Add a subtitle track: an SRT or WebVTT file as the body (at most "
                "1 MiB), converted to clean WebVTT; uploader or people in the video's room",
                "security": _BEARER,
                "parameters": [
                    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                    for name in ("label", "language", "filename")
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-subrip": {"schema": {"type": "string"}},
                        "text/vtt": {"schema": {"type": "string"}},
                    },
                },
                "responses": {
                    "201": _ok("The new track {id, label, language, origin, url}"),
                    **_problems(401, 403, 404, 409, 413),
                    "422": _ok("Not a subtitle file, or a bad language tag (`invalid_subtitles`)"),
                },
            },
        },
        "/api/v1/voice/ice-servers": {
            "get": {
                "summary": "STUN and TURN servers with time-limited HMAC credentials "
                "(TURN REST API: username = expiry:userId)",
                "security": _BEARER,
                "responses": {"200": _ok("iceServers, ttl, relayAvailable"), **_problems(401)},
            }
        },
        "/api/v1/voice/reports": {
            "post": {
                "summary": "Voice join telemetry: ICE failures, relayed share, join time",
                "security": _BEARER,
                "requestBody": _body(VoiceReportBody),
                "responses": {"204": _ok("Recorded"), **_problems(401, 422)},
            }
        },
        "/health/transcoder": {
            "get": {"summary": "FFmpeg worker health", "responses": {"200": _ok("health")}}
        },
        "/health/live": {"get": {"summary": "The process runs", "responses": {"200": _ok("ok")}}},
        "/health/ready": {
            "get": {
                "summary": "Every configured dependency answers",
                "responses": {"200": _ok("ready"), "503": _ok("not ready, with per-check detail")},
            }
        },
        "/metrics": {
            "get": {"summary": "Prometheus exposition", "responses": {"200": _ok("text")}}
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SyncWatch",
            "version": __version__,
            "description": "Watch videos together in sync. The room WebSocket protocol is "
            "described in docs/protocol.md and docs/protocol.schema.json.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }
