"""What every request gets: an id, security headers, CORS, metrics, a trace span,
an access log and the per-IP API limit, plus the mapping of every error to problem+json.
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlsplit

import structlog
from quart import Quart, Response, g, request, websocket
from werkzeug.exceptions import HTTPException

from syncwatch.errors import OriginNotAllowed, RateLimited, SyncWatchError
from syncwatch.fabric import enforce_limit
from syncwatch.http.caller import client_ip
from syncwatch.http.problems import from_http_exception, problem_response
from syncwatch.http.request_tracing import install_request_tracing
from syncwatch.ids import new_id
from syncwatch.observability.logs import get_logger
from syncwatch.services import Services

log = get_logger("syncwatch.http")
access_log = get_logger("syncwatch.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
_CORS_HEADERS = (
    "Authorization, Content-Type, X-Request-Id, Tus-Resumable, Upload-Length, "
    "Upload-Offset, Upload-Metadata, Upload-Defer-Length, Upload-Concat"
)
_CORS_EXPOSE = "Location, Retry-After, X-Request-Id, Tus-Resumable, Upload-Offset, Upload-Length"


def content_security_policy(services: Services, *, plain_http_page: bool = False) -> str:
    """CSP of spec 7.7.1, adapted to our origins.

    Direct mp4/m3u8 sources live on arbitrary https hosts, so media and
    connect sources admit https:; scripts and frames admit only YouTube's
    official player besides ourselves. A page served over plain http (a
    deployment whose public URL is http://) may also play http: media, as the
    room accepts it there; an https page may not (browsers block mixed
    content anyway), and the room refuses such links (`rooms/core/mixed_content.py`).
    """
    settings = services.settings
    ws_scheme = "wss:" if settings.secure_cookies else "ws: wss:"
    extra_media = " ".join(services.media_origins)
    remote = "https: http:" if plain_http_page else "https:"
    directives = {
        "default-src": "'self'",
        "script-src": "'self' https://www.youtube.com https://s.ytimg.com",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob: https:",
        "media-src": f"'self' blob: {remote} {extra_media}".strip(),
        "connect-src": f"'self' {ws_scheme} {remote} {extra_media}".strip(),
        "frame-src": "https://www.youtube.com https://www.youtube-nocookie.com",
        "font-src": "'self'",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def request_is_https(services: Services, scheme: str, forwarded_proto: str | None) -> bool:
    """Whether this request reached us over https (through a trusted proxy's
    `X-Forwarded-Proto` when there is one)."""
    if services.settings.trust_proxy_headers and forwarded_proto:
        return forwarded_proto.split(",")[0].strip().lower() == "https"
    return scheme in ("https", "wss")


def install_hygiene(app: Quart, services: Services) -> None:
    install_request_tracing(app, services.tracer)
    settings = services.settings
    csp_https = content_security_policy(services)
    csp_plain_http = content_security_policy(services, plain_http_page=True)
    security_headers = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "microphone=(self), camera=(), geolocation=(), autoplay=(self)",
    }
    if settings.secure_cookies:
        security_headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    @app.before_request
    async def begin() -> Response | None:
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else new_id()
        g.started = time.perf_counter()
        g.client_ip = client_ip(
            services, request.headers.get("X-Forwarded-For"), request.remote_addr
        )
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=g.request_id)
        origin = request.headers.get("Origin")
        if request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method"):
            # A CORS preflight: answered here, before routing, for every path.
            return Response("", status=204)
        if (
            origin
            and request.method not in ("GET", "HEAD")
            and not origin_allowed(services, origin, request.host)
        ):
            # Cross-site writes (they may carry our cookie) are refused outright.
            raise OriginNotAllowed(f"Requests from {origin} are not allowed.")
        if request.path.startswith("/api/"):
            try:
                await enforce_limit(
                    services.fabric,
                    f"api-ip:{g.client_ip}",
                    settings.api_limit_per_minute,
                    60,
                    services.clock.now_ms(),
                )
            except RateLimited:
                services.metrics.rate_limited.labels("api").inc()
                raise
        return None

    @app.after_request
    async def finish(response: Response) -> Response:
        for name, value in security_headers.items():
            response.headers.setdefault(name, value)
        # An http deployment's page may play http media; an https one never does.
        plain_http = not settings.serves_https and not request_is_https(
            services, request.scheme, request.headers.get("X-Forwarded-Proto")
        )
        response.headers.setdefault(
            "Content-Security-Policy", csp_plain_http if plain_http else csp_https
        )
        request_id = getattr(g, "request_id", None) or new_id()
        response.headers["X-Request-Id"] = request_id
        origin = request.headers.get("Origin")
        if origin and origin_allowed(services, origin, request.host):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Access-Control-Expose-Headers"] = _CORS_EXPOSE
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = _CORS_METHODS
                response.headers["Access-Control-Allow-Headers"] = _CORS_HEADERS
                response.headers["Access-Control-Max-Age"] = "600"
        response.vary.add("Origin")
        if not getattr(request.body, "received_all", True):
            # Answered before its body arrived (a 413 above all): the rest is dropped and
            # the connection closed (`flow_control.py`); a proxy must not reuse it.
            response.headers["Connection"] = "close"
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        elapsed = time.perf_counter() - getattr(g, "started", time.perf_counter())
        services.metrics.http_requests.labels(
            request.method, route, str(response.status_code)
        ).inc()
        services.metrics.http_latency.labels(request.method, route).observe(elapsed)
        access_log.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round(elapsed * 1000, 2),
            client_ip=getattr(g, "client_ip", None),
        )
        return response

    @app.errorhandler(SyncWatchError)
    async def syncwatch_error(error: SyncWatchError) -> Response:
        if error.status >= 500:
            log.error("request failed", code=error.code, detail=error.detail)
        return problem_response(error)

    @app.errorhandler(HTTPException)
    async def http_error(error: HTTPException) -> Response:
        problem = from_http_exception(error)
        response = problem_response(problem)
        if error.code == 405:
            allowed = getattr(error, "valid_methods", None)
            if allowed:
                response.headers["Allow"] = ", ".join(sorted(allowed))
        return response

    @app.errorhandler(Exception)
    async def unexpected(error: Exception) -> Response:
        log.exception("unhandled error", error_type=type(error).__name__)
        problem = SyncWatchError(
            "Something went wrong on our side. Quote this request id when reporting it: "
            + str(getattr(g, "request_id", "unknown"))
        )
        return problem_response(problem)

    @app.before_websocket
    async def begin_websocket() -> None:
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=new_id(), path=websocket.path)


def origin_allowed(services: Services, origin: str, host: str | None) -> bool:
    """The public origin, the configured ones, and the page's own origin.

    A browser request whose Origin names the very host it was sent to is
    same-origin, whatever port or LAN address the server was reached on; only
    other sites need to be listed in SYNCWATCH_ALLOWED_ORIGINS.
    """
    if origin in services.settings.origins:
        return True
    return host is not None and urlsplit(origin).netloc.lower() == host.lower()


def websocket_origin_allowed(services: Services, headers: Any) -> bool:
    origin = headers.get("Origin")
    return origin is None or origin_allowed(services, origin, headers.get("Host"))
