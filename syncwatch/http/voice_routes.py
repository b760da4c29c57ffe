"""`/api/v1/voice/*`: ICE servers for a caller, and their connection reports."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator
from quart import Blueprint, Response

from syncwatch.http.bodies import read_json
from syncwatch.http.caller import current_identity
from syncwatch.http.operations import Operation, Reply
from syncwatch.http.responses import IceServers, reply
from syncwatch.rooms.registry import RoomRegistry
from syncwatch.services import Services
from syncwatch.voice.ice_servers import ice_configuration
from syncwatch.voice.telemetry import VoiceJoinReport, VoiceTelemetry

# A mesh of five has four peers; leave room for a few reconnections in one report.
MAX_CONNECTIONS = 16


class VoiceReportBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)

    ice_failures: list[str] = Field(default_factory=list, alias="iceFailures", max_length=32)
    relayed: int = Field(default=0, ge=0, le=MAX_CONNECTIONS)
    connected: int = Field(default=0, ge=0, le=MAX_CONNECTIONS)
    peers: int | None = Field(default=None, ge=0, le=MAX_CONNECTIONS)
    join_ms: int | None = Field(default=None, alias="joinMs", ge=0, le=10 * 60 * 1000)

    @model_validator(mode="after")
    def _relayed_are_connected(self) -> VoiceReportBody:
        if self.relayed > self.connected:
            raise ValueError("relayed cannot exceed connected")
        for reason in self.ice_failures:
            if not 1 <= len(reason) <= 64:
                raise ValueError("each iceFailures entry must be 1 to 64 characters")
        return self


OPERATIONS = (
    Operation(
        "GET",
        "/api/v1/voice/ice-servers",
        "STUN and TURN servers for the caller; TURN credentials (time-limited HMAC, TURN REST"
        " API: username = expiry:userId, SYNCWATCH_TURN_TTL_S, 10 minutes by default) only"
        " for someone in a room's voice call (after `voice:join`); someone seated in a room"
        " but not in its call gets `relayAvailable: true` with no credentials and `ttl: 0`",
        {200: Reply("The servers (never cached)", IceServers)},
        signed_in=True,
    ),
    Operation(
        "POST",
        "/api/v1/voice/reports",
        "How joining voice went: ICE failures, relayed connections, time to connect",
        {204: Reply("Recorded")},
        body=VoiceReportBody,
        signed_in=True,
    ),
)


def voice_blueprint(
    services: Services, telemetry: VoiceTelemetry, rooms: RoomRegistry
) -> Blueprint:
    bp = Blueprint("voice", __name__, url_prefix="/api/v1/voice")
    settings = services.settings

    @bp.get("/ice-servers")
    async def ice_servers() -> Response:
        identity = current_identity(services)
        # A relay costs the operator bandwidth: credentials are for members of a room's
        # voice call only, so neither a free guest token nor a seat in a room buys a TURN
        # relay (anyone still gets STUN). A seated member is told that a relay is there,
        # so the app can offer relay-only voice, and asks again once in the call.
        subject = identity.subject_id
        in_call = rooms.is_in_voice(subject)
        seated = in_call or rooms.is_watching(subject, "")
        configuration = ice_configuration(
            stun_urls=settings.stun_urls,
            turn_urls=settings.turn_urls if seated else (),
            turn_secret=settings.turn_secret,
            user_id=subject,
            now_s=services.clock.now_ms() / 1000,
            ttl_s=settings.turn_ttl_s,
            in_call=in_call,
        )
        response = reply(IceServers, configuration.as_json())
        # Credentials are per user and expire: no shared cache may keep them.
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.post("/reports")
    async def reports() -> Response:
        identity = current_identity(services)
        body = await read_json(VoiceReportBody)
        telemetry.record(
            VoiceJoinReport(
                user_id=identity.subject_id,
                peers=body.peers,
                connected=body.connected,
                relayed=body.relayed,
                join_ms=body.join_ms,
                ice_failures=tuple(body.ice_failures),
            )
        )
        return Response("", status=204)

    return bp
