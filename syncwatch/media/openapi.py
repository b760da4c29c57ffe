"""The OpenAPI path items of the media routes (`routes.py`), for the API document.

`syncwatch.http.openapi` merges `media_paths()` into `paths` and
`media_schemas()` into `components.schemas`. Problems refer to the document's
shared `#/components/schemas/Problem`.
"""

from __future__ import annotations

from typing import Any

_PROBLEM = {"$ref": "#/components/schemas/Problem"}
_TUS_RESUMABLE = {
    "name": "Tus-Resumable",
    "in": "header",
    "required": True,
    "schema": {"type": "string", "const": "1.0.0"},
}
_BEARER: list[dict[str, list[str]]] = [{"bearer": []}]


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _PROBLEM}},
    }


def _header(description: str, kind: str = "string") -> dict[str, Any]:
    return {"description": description, "schema": {"type": kind}}


def media_schemas() -> dict[str, Any]:
    return {
        "VideoStatus": {
            "type": "object",
            "required": ["id", "status", "progress"],
            "properties": {
                "id": {"type": "string"},
                "status": {"enum": ["pending", "processing", "ready", "failed"]},
                "progress": {"type": "integer", "minimum": 0, "maximum": 100},
                "durationMs": {"type": "integer"},
                "error": {"type": "string", "description": "failure reason, e.g. no_video_stream"},
            },
        },
        "VideoManifest": {
            "type": "object",
            "required": ["manifestUrl"],
            "properties": {"manifestUrl": {"type": "string", "description": "root-relative"}},
        },
    }


def media_paths() -> dict[str, Any]:
    upload_id = {"name": "upload_id", "in": "path", "required": True, "schema": {"type": "string"}}
    video_id = {"name": "video_id", "in": "path", "required": True, "schema": {"type": "string"}}
    offset = {"Upload-Offset": _header("bytes stored so far", "integer")}
    return {
        "/api/v1/videos/uploads": {
            "options": {
                "summary": "tus discovery",
                "tags": ["videos"],
                "responses": {
                    "204": {
                        "description": "Tus-Version, Tus-Max-Size, Tus-Extension",
                        "headers": {"Tus-Version": _header("1.0.0")},
                    }
                },
            },
            "post": {
                "summary": "tus creation: start a resumable upload (registered users)",
                "tags": ["videos"],
                "security": _BEARER,
                "parameters": [
                    _TUS_RESUMABLE,
                    {
                        "name": "Upload-Length",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "integer", "maximum": 8 * 1024**3},
                    },
                    {
                        "name": "Upload-Metadata",
                        "in": "header",
                        "description": "filename and roomCode, base64",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "201": {
                        "description": "Created; Location is the upload (and video) URL",
                        "headers": {"Location": _header("upload URL")},
                    },
                    "401": _problem("No or bad token"),
                    "403": _problem("Guests cannot upload"),
                    "413": _problem("`too_large` (> 8 GiB) or `quota_exceeded`"),
                    "429": _problem("`rate_limited`: 3 uploads per hour"),
                },
            },
        },
        "/api/v1/videos/uploads/{upload_id}": {
            "head": {
                "summary": "tus offset",
                "tags": ["videos"],
                "security": _BEARER,
                "parameters": [upload_id, _TUS_RESUMABLE],
                "responses": {
                    "200": {"description": "Offset", "headers": offset},
                    "404": _problem("`upload_not_found`"),
                },
            },
            "patch": {
                "summary": "tus append",
                "tags": ["videos"],
                "security": _BEARER,
                "parameters": [
                    upload_id,
                    _TUS_RESUMABLE,
                    {
                        "name": "Upload-Offset",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/offset+octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                },
                "responses": {
                    "204": {"description": "Appended", "headers": offset},
                    "404": _problem("`upload_not_found`"),
                    "409": _problem("`offset_mismatch` or `upload_busy`"),
                    "415": _problem("`unsupported_format`: not a video container"),
                },
            },
            "delete": {
                "summary": "tus termination",
                "tags": ["videos"],
                "security": _BEARER,
                "parameters": [upload_id, _TUS_RESUMABLE],
                "responses": {
                    "204": {"description": "Deleted"},
                    "404": _problem("`upload_not_found`"),
                },
            },
        },
        "/api/v1/videos/{video_id}/status": {
            "get": {
                "summary": "Transcoding status",
                "tags": ["videos"],
                "security": _BEARER,
                "parameters": [video_id],
                "responses": {
                    "200": {
                        "description": "Status",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/VideoStatus"}
                            }
                        },
                    },
                    "404": _problem("No such video"),
                },
            },
        },
        "/api/v1/videos/{video_id}/manifest": {
            "get": {
                "summary": "HLS master playlist URL, available once playback can start",
                "tags": ["videos"],
                "security": _BEARER,
                "parameters": [video_id],
                "responses": {
                    "200": {
                        "description": "Manifest",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/VideoManifest"}
                            }
                        },
                    },
                    "404": _problem("No such video"),
                    "409": _problem("`not_ready`"),
                },
            },
        },
    }
