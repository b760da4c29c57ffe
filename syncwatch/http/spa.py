"""Serves the built browser app (`web/dist`) with client-side routing.

Hashed assets under `/assets/` are immutable and cached for a year; every other
GET that is not an API, WebSocket, health or media path returns `index.html`
(never cached) so deep links like `/r/ABCD2345` work.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from quart import Blueprint, Response, current_app
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from syncwatch.blocking import run_blocking
from syncwatch.errors import NotFound

RESERVED_PREFIXES = ("api/", "ws/", "health/", "media/", "metrics")
WEB_DIST = Path(__file__).resolve().parents[2] / "web" / "dist"

_NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>SyncWatch</title></head><body><main><h1>SyncWatch</h1>
<p>The web app has not been built yet. Run <code>nox -s web</code> (or
<code>./dev serve</code>, which builds it) and reload.</p></main></body></html>"""


def _methods_of_other_routes(path: str) -> set[str]:
    """Methods that a non-SPA route accepts at `path`.

    The catch-all GET route shadows Werkzeug's own 405 for API paths that
    exist only for other methods; this restores it.
    """
    adapter = current_app.url_map.bind("localhost")
    allowed = set()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoint, _ = adapter.match(path, method=method)
        except HTTPException:
            continue
        if not str(endpoint).startswith("spa."):
            allowed.add(method)
    return allowed


def _contents(path: Path) -> bytes | None:
    """The file's bytes, or None when there is no such file."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def spa_blueprint(dist: Path = WEB_DIST) -> Blueprint:
    bp = Blueprint("spa", __name__)
    root = dist.resolve()

    def file_response(path: Path, body: bytes, cache: str) -> Response:
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith(("javascript", "json")):
            content_type += "; charset=utf-8"
        response = Response(body, content_type=content_type)
        response.headers["Cache-Control"] = cache
        return response

    async def index() -> Response:
        page = root / "index.html"
        body = await run_blocking("files", _contents, page)
        if body is None:
            response = Response(_NOT_BUILT, content_type="text/html; charset=utf-8")
            response.headers["Cache-Control"] = "no-store"
            return response
        return file_response(page, body, "no-cache")

    @bp.get("/")
    async def home() -> Response:
        return await index()

    @bp.get("/<path:path>")
    async def anything(path: str) -> Response:
        if path.startswith(RESERVED_PREFIXES):
            allowed = _methods_of_other_routes("/" + path)
            if allowed:
                raise MethodNotAllowed(valid_methods=sorted(allowed))
            raise NotFound("There is nothing at this address.")
        if any(not character.isprintable() for character in path):
            # A NUL byte makes every file system call raise; no file has such a name.
            raise NotFound("There is nothing at this address.")
        candidate = await run_blocking("files", (root / path).resolve)
        inside = candidate.is_relative_to(root)
        body = await run_blocking("files", _contents, candidate) if inside else None
        if body is not None:
            immutable = path.startswith("assets/")
            return file_response(
                candidate, body, "public, max-age=31536000, immutable" if immutable else "no-cache"
            )
        if "." in path.rsplit("/", 1)[-1]:
            raise NotFound("No such file.")
        return await index()

    return bp
