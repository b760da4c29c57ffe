"""Where room messages go: one handler per message type, the owner's controls guarded once."""

from __future__ import annotations

import json
from typing import get_args

import pytest

from syncwatch.errors import Forbidden, NotOwner
from syncwatch.protocol import messages as m
from syncwatch.rooms.core.dispatch import HANDLERS
from tests.support.rooms import T0, frame, identity, new_room

OWNER_CONTROLS = [
    ("room:kick", {"participantId": "carol"}),
    ("room:ban", {"participantId": "carol"}),
    ("room:grant_control", {"participantId": "carol"}),
    ("room:revoke_control", {"participantId": "carol"}),
    ("room:transfer_ownership", {"participantId": "bob"}),
    ("room:settings", {"playbackControl": "all"}),
    ("room:settings", {"privacy": "private"}),
    ("room:mute", {"participantId": "carol"}),
    ("room:unmute", {"participantId": "carol"}),
    ("room:shadow_mute", {"participantId": "carol"}),
    ("room:shadow_unmute", {"participantId": "carol"}),
    ("room:voice_mute_all", {"enabled": True}),
    ("room:allow_speaker", {"participantId": "carol"}),
]


def test_every_room_message_type_has_exactly_one_handler() -> None:
    assert set(HANDLERS) == set(get_args(m.RoomMessage))


@pytest.mark.parametrize(("message_type", "data"), OWNER_CONTROLS)
def test_each_owner_control_is_refused_to_a_member_and_changes_nothing(
    message_type: str, data: dict[str, object]
) -> None:
    room = new_room()
    for name in ("alice", "bob", "carol"):
        room.join(T0, f"c-{name}", identity(name))
    before = room.snapshot()
    message = frame(json.dumps({"type": message_type, "id": "x", "data": data}))
    with pytest.raises(NotOwner):
        room.handle(T0, "c-bob", message)
    assert room.snapshot() == before
    assert [member.participant_id for member in room.members] == ["alice", "bob", "carol"]


def test_reclaim_is_open_to_members_but_only_a_former_owner_in_time_gets_it() -> None:
    room = new_room()
    room.join(T0, "c-alice", identity("alice"))
    room.join(T0, "c-bob", identity("bob"))
    with pytest.raises(Forbidden) as refused:
        room.handle(T0, "c-bob", m.ReclaimOwnership(id="r", type="room:reclaim_ownership"))
    assert not isinstance(refused.value, NotOwner)
    assert room.owner_id == "alice"
