"""The one error tree of SyncWatch.

Every failure a client may see is a `SyncWatchError` carrying a stable snake_case
`code`, an HTTP `status` and the WebSocket `close_code` a socket closes with
when the error ends it. `syncwatch.http.problems` turns one into
problem+json, `syncwatch.protocol.server_messages.error_frame` into a WebSocket
`error` frame; nothing else formats errors.
"""

from __future__ import annotations

from typing import Any

from syncwatch.close_codes import CloseCode


class SyncWatchError(Exception):
    """Base class: a failure with a stable code that clients may rely on."""

    status: int = 500
    code: str = "internal_error"
    title: str = "Internal server error"
    close_code: CloseCode = CloseCode.INTERNAL_ERROR

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        self.detail = detail or self.title
        self.extra = extra
        super().__init__(self.detail)

    @property
    def close_reason(self) -> str:
        """The reason text of the close frame when this error ends a socket."""
        return self.code


# --- 4xx -------------------------------------------------------------------


class BadRequest(SyncWatchError):
    status, code, title = 400, "bad_request", "Bad request"
    close_code = CloseCode.POLICY


class BadMessage(SyncWatchError):
    """A WebSocket frame that is not a valid client message (the connection stays usable)."""

    status, code, title = 400, "bad_message", "Malformed message"
    close_code = CloseCode.POLICY

    def __init__(self, detail: str | None = None, *, reply_to: str | None = None) -> None:
        super().__init__(detail)
        self.reply_to = reply_to
        """The `id` of the refused frame, when it had a readable one (the error's `re`)."""


class ValidationFailed(SyncWatchError):
    """The request was well-formed but a field is wrong; `errors` lists each field."""

    status, code, title = 422, "validation_error", "Validation failed"
    close_code = CloseCode.POLICY

    def __init__(self, errors: list[dict[str, Any]], detail: str | None = None) -> None:
        super().__init__(detail or "One or more fields are invalid.", errors=errors)
        self.errors = errors


class Unauthorized(SyncWatchError):
    status, code, title = 401, "unauthorized", "Authentication required"
    close_code = CloseCode.UNAUTHORIZED


class InvalidCredentials(Unauthorized):
    code, title = "invalid_credentials", "Wrong login or password"


class InvalidToken(Unauthorized):
    code, title = "invalid_token", "The token is invalid or expired"


class TokenReused(Unauthorized):
    code, title = "token_reused", "This refresh token was already used; the session is revoked"


class Forbidden(SyncWatchError):
    status, code, title = 403, "forbidden", "Not allowed"
    close_code = CloseCode.FORBIDDEN


class NotOwner(Forbidden):
    code, title = "not_owner", "Only the room owner may do this"


class WrongPassword(Forbidden):
    code, title = "wrong_password", "Wrong room password"


class Banned(Forbidden):
    code, title = "banned", "You are banned from this room"


class Kicked(Forbidden):
    code, title = "kicked", "You were removed from this room"


class ChatMuted(Forbidden):
    """Writing in a room's chat while muted; `retryAfter` (seconds) when the mute is timed."""

    code, title = "muted", "You are muted in this room"

    def __init__(self, retry_after: float | None = None, detail: str | None = None) -> None:
        extra = {} if retry_after is None else {"retryAfter": max(1, int(retry_after + 0.999))}
        super().__init__(detail, **extra)


class FriendsOnly(Forbidden):
    code, title = "friends_only", "Only the owner's friends may join this room"


class InvitationRequired(Forbidden):
    code, title = "invitation_required", "This room is private: you need an invitation"


class GuestsNotAllowed(Forbidden):
    code, title = "guests_not_allowed", "This room does not admit guests: sign in to join"


class SourceForbidden(Forbidden):
    """Attaching an upload to a room (its `roomCode`) without the right to change its video."""

    code, title = "source_forbidden", "You may not change this room's video"


class OriginNotAllowed(Forbidden):
    code, title = "origin_not_allowed", "This origin is not allowed"


class NotFound(SyncWatchError):
    status, code, title = 404, "not_found", "Not found"
    close_code = CloseCode.NOT_FOUND


class RoomNotFound(NotFound):
    code, title = "room_not_found", "No such room"


class RoomClosed(RoomNotFound):
    """The owner closed the room. Still `room_not_found` (CONTRACT §1) for clients that
    know no more; problem+json adds `"reason": "closed_by_owner"` and a socket closes
    with the reason text `room_closed`, so the app can say what happened."""

    title = "The room was closed"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or "This room was closed by its owner.", reason="closed_by_owner")

    @property
    def close_reason(self) -> str:
        return "room_closed"


class MethodNotAllowed(SyncWatchError):
    status, code, title = 405, "method_not_allowed", "Method not allowed"
    close_code = CloseCode.POLICY


class Conflict(SyncWatchError):
    status, code, title = 409, "conflict", "Conflict"
    close_code = CloseCode.POLICY


class EmailTaken(Conflict):
    code, title = "email_taken", "This email is already registered"


class UsernameTaken(Conflict):
    code, title = "username_taken", "This username is taken"


class RoomFull(Conflict):
    code, title = "room_full", "The room is full"
    close_code = CloseCode.ROOM_FULL


class SequenceConflict(Conflict):
    """An `expectedSeq` was stale: the client must resync before retrying."""

    code, title = "conflict", "The room state has changed"

    def __init__(self, current_seq: int, detail: str | None = None) -> None:
        super().__init__(detail, currentSeq=current_seq)
        self.current_seq = current_seq


class NoSource(Conflict):
    """PLAY, SEEK, SET_RATE or a countdown while the room has no video source."""

    code, title = "no_source", "The room has no video source yet"


class NotReady(Conflict):
    code, title = "not_ready", "Not ready yet"


class PayloadTooLarge(SyncWatchError):
    status, code, title = 413, "too_large", "Payload too large"
    close_code = CloseCode.POLICY


class MixedContent(SyncWatchError):
    """An http:// media link on an https deployment: every browser would block it.

    `suggestion` says what to do instead; it reaches the client in the error."""

    status, code, title = 422, "mixed_content", "Plain http:// media on a secure page"
    close_code = CloseCode.POLICY

    def __init__(self, detail: str | None = None, *, field: str, suggestion: str) -> None:
        super().__init__(
            detail, suggestion=suggestion, errors=[{"field": field, "message": "mixed content"}]
        )


class InvalidSubtitles(SyncWatchError):
    status, code, title = 422, "invalid_subtitles", "Not a subtitle file"
    close_code = CloseCode.POLICY


class UnsupportedFormat(SyncWatchError):
    status, code, title = 415, "unsupported_format", "Unsupported format"
    close_code = CloseCode.POLICY


class RateLimited(SyncWatchError):
    """Too many attempts; `retry_after` (seconds) goes into `Retry-After`."""

    status, code, title = 429, "rate_limited", "Too many requests"
    close_code = CloseCode.POLICY

    def __init__(self, retry_after: float, detail: str | None = None) -> None:
        self.retry_after = max(1, int(retry_after + 0.999))
        super().__init__(
            detail or f"Try again in {self.retry_after} s.", retryAfter=self.retry_after
        )


# --- 5xx -------------------------------------------------------------------


class ServiceUnavailable(SyncWatchError):
    status, code, title = 503, "service_unavailable", "Service unavailable"
    close_code = CloseCode.SERVER_RESTARTING


class DatabaseUnavailable(ServiceUnavailable):
    """The database does not answer (restarting, unreachable, out of connections): an
    outage of a dependency, not a fault of the request or of a room. Same problem code
    as any 503; what answered it retries once the database is back."""

    def __init__(self, detail: str = "The database is unavailable; try again in a moment.") -> None:
        super().__init__(detail)


def is_database_outage(error: BaseException) -> bool:
    """Whether `error` comes down to the database not answering, through exception
    groups and explicit causes: a wait for the database, never a bug to stop for."""
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, DatabaseUnavailable):
            return True
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        if current.__cause__ is not None:
            pending.append(current.__cause__)
    return False


class RoomUnavailable(ServiceUnavailable):
    """A room that failed repeatedly rests before it may start again; `retry_after` in seconds."""

    code, title = "room_unavailable", "The room is unavailable"
    close_code = CloseCode.TRY_AGAIN_LATER

    def __init__(self, retry_after: float, detail: str | None = None) -> None:
        self.retry_after = max(1, int(retry_after + 0.999))
        super().__init__(
            detail or f"The room is unavailable; try again in {self.retry_after} s.",
            retryAfter=self.retry_after,
        )


class Overloaded(ServiceUnavailable):
    """This process is saturated (event loop lag or command backlog over its limit):
    new rooms and joins are refused so the rooms it already runs keep their latency;
    `retry_after` in seconds. A load balancer sees the same in `/health/ready`."""

    code, title = "overloaded", "The server is busy"
    close_code = CloseCode.TRY_AGAIN_LATER

    def __init__(self, retry_after: float, detail: str | None = None) -> None:
        self.retry_after = max(1, int(retry_after + 0.999))
        super().__init__(
            detail or f"The server is busy; try again in {self.retry_after} s.",
            retryAfter=self.retry_after,
        )
