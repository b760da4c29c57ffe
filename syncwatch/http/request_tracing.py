"""One OpenTelemetry span per HTTP request (spec 8.3), when tracing is configured.

The span continues the caller's W3C `traceparent` when there is one, is named
after the route template (`GET /api/v1/rooms/<code>`) once routing is known,
records the status code, and ends at the request's teardown, whatever happened.
With tracing off the tracer is OpenTelemetry's no-op and this costs next to nothing.
"""

from __future__ import annotations

from opentelemetry import propagate
from opentelemetry.trace import SpanKind, Status, StatusCode
from quart import Quart, Response, g, request

from syncwatch.observability.tracing import Tracer


def install_request_tracing(app: Quart, tracer: Tracer) -> None:
    """Register before the app's other request hooks, so refused requests are traced too."""

    @app.before_request
    async def start_span() -> None:
        g.syncwatch_span = tracer.start_span(
            f"{request.method} {request.path}",
            # werkzeug headers look names up case-insensitively, as the propagator needs.
            context=propagate.extract(request.headers),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": request.method, "url.path": request.path},
        )

    @app.after_request
    async def record_response(response: Response) -> Response:
        span = g.get("syncwatch_span")
        if span is not None:
            if request.url_rule is not None:
                span.update_name(f"{request.method} {request.url_rule.rule}")
                span.set_attribute("http.route", request.url_rule.rule)
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                span.set_status(Status(StatusCode.ERROR))
        return response

    @app.teardown_request
    async def end_span(error: BaseException | None) -> None:
        span = g.pop("syncwatch_span", None)
        if span is not None:
            if error is not None:
                span.record_exception(error)
                span.set_status(Status(StatusCode.ERROR))
            span.end()
