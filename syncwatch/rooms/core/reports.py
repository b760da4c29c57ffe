"""`room:report`: any member reports another to the operators, with evidence.

Owns who may be reported (anyone here now or lately, never oneself), how
often one may report (5 per 10 minutes), and what the room adds as evidence:
the member's recent events (`member_log`), the room's settings and who was in
it. The actor adds the room's last 50 chat lines when it stores the report.
Nobody in the room hears of it but the reporter, whose ack carries the
report's id: the reported member is never told, let alone by whom.
"""

from __future__ import annotations

from syncwatch.errors import NotFound, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.context import RoomContext
from syncwatch.rooms.core.effects import Audit, Effect, FileReport
from syncwatch.rooms.core.presence import Member


def report(room: RoomContext, now_ms: int, member: Member, message: m.ReportMember) -> list[Effect]:
    reported_id = message.data.participant_id
    if reported_id == member.participant_id:
        raise ValidationFailed(
            [{"field": "participantId", "message": "you cannot report yourself", "type": "self"}]
        )
    present = room.membership.get(reported_id)
    reported_name = present.account_name if present else room.remembered_name(reported_id)
    if reported_name is None:
        raise NotFound("Nobody by that id has been in this room lately.")
    room.admit_report(member.participant_id, now_ms)
    report_id = room.new_id()
    evidence = {
        "events": room.recent_events(reported_id),
        "room": room.room_view().to_wire(),
        "participants": [view.to_wire() for view in room.participants_view()],
    }
    return [
        FileReport(
            report_id=report_id,
            room_id=room.settings.id,
            room_code=room.settings.code,
            reporter_id=member.participant_id,
            reporter_name=member.account_name,
            reported_id=reported_id,
            reported_name=reported_name,
            reason=message.data.reason,
            details=message.data.details.strip(),
            evidence=evidence,
            at_ms=now_ms,
            then=tuple(room.ack(member, message, {"reportId": report_id})),
        ),
        Audit(
            "moderation.reported",
            member.participant_id,
            reported_id,
            {"reason": message.data.reason, "report_id": report_id},
        ),
    ]
