"""A room's frame to many members is serialised once per command, not once per member:
at 500 rooms of five the JSON encoding would otherwise be most of the server's work."""

from __future__ import annotations

from dataclasses import dataclass, field

import trio.testing

from syncwatch.rooms.core.presence import Joiner
from tests.support.room_actors import FakeOutlet, World, frame

SOURCE = '{"type":"sync:source","id":"s1","data":{"sourceType":"url","url":"https://e.org/v.mp4"}}'


@dataclass
class RawOutlet(FakeOutlet):
    """Keeps the very text objects the room hands over."""

    texts: list[str] = field(default_factory=list)

    def deliver(self, text: str) -> None:
        self.texts.append(text)
        super().deliver(text)


async def test_every_member_gets_the_same_encoded_command(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    members = [RawOutlet() for _ in range(5)]
    await room.join(members[0], Joiner(record.owner_id, "ann", False))
    for n, member in enumerate(members[1:]):
        await room.join(member, Joiner(f"p{n}", f"P{n}", False))

    room.submit(members[0].conn_id, frame(SOURCE))
    for member in members:
        await member.wait_for("sync:command")

    commands = [
        next(text for text in member.texts if '"sync:command"' in text) for member in members
    ]
    assert all(text is commands[0] for text in commands)  # one encoding, five deliveries
