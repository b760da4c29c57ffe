"""Moderation in a live `Room` actor on `MockClock`: when mutes end, what the chat history
says to whom, reports stored with their evidence, and access changes written down."""

from __future__ import annotations

import json

import trio
import trio.testing

from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.room import Room
from syncwatch.store.repositories import RoomRecord
from tests.support.room_actors import FakeOutlet, World, frame, keep_beating


def send(room: Room, outlet: FakeOutlet, type_: str, id: str, **data: object) -> None:
    text = json.dumps({"type": type_, "id": id, "data": data})
    room.submit(outlet.conn_id, frame(text))


async def seated(world: World, *names: str) -> tuple[RoomRecord, Room, list[FakeOutlet]]:
    """A live room with its owner and each named member (registered) in it, in order."""
    record = await world.new_room()
    room = await world.registry.room_for(record)
    outlets = [FakeOutlet() for _ in range(len(names) + 1)]
    await room.join(outlets[0], Joiner(record.owner_id, "ann", False))
    for outlet, name in zip(outlets[1:], names, strict=True):
        await room.join(outlet, Joiner(name, name.title(), False))
    return record, room, outlets


async def test_a_five_minute_mute_ends_at_five_minutes_on_the_room_clock(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    _, room, (owner, bob) = await seated(world, "bob")
    world.nursery.start_soon(keep_beating, room, owner)
    world.nursery.start_soon(keep_beating, room, bob)

    send(room, owner, "room:mute", "m1", participantId="bob", scope="chat", durationMs=300_000)
    muted_at, muted = await bob.wait_for("moderation:muted")
    assert muted["data"]["scope"] == "chat"

    send(room, bob, "chat:message", "c1", content="let me talk")
    refused = await bob.reply_to("c1")
    assert refused["data"]["code"] == "muted"

    unmuted_at, _ = await bob.wait_for("moderation:unmuted")
    assert 300.0 <= unmuted_at - muted_at < 300.5
    send(room, bob, "chat:message", "c2", content="thanks")
    assert (await bob.reply_to("c2"))["type"] == "ack"


async def test_a_shadow_muted_line_is_in_its_authors_history_and_nobody_elses(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    _, room, (owner, bob, carol) = await seated(world, "bob", "carol")
    send(room, owner, "room:shadow_mute", "s1", participantId="bob")
    await owner.reply_to("s1")
    send(room, bob, "chat:message", "c1", content="only I will read this")
    assert (await bob.reply_to("c1"))["type"] == "ack"
    send(room, carol, "chat:message", "c2", content="a line for all")
    await carol.reply_to("c2")

    def lines(outlet: FakeOutlet) -> list[str]:
        return [f["data"].get("content") for _, f in outlet.frames if f["type"] == "chat:message"]

    assert "only I will read this" in lines(bob)
    assert "only I will read this" not in lines(carol) + lines(owner)

    # After a reload, the histories served say the same.
    for outlet, who, name in ((carol, "carol", "Carol"), (bob, "bob", "Bob")):
        room.leave(outlet.conn_id)
        again = FakeOutlet()
        await room.join(again, Joiner(who, name, False))
        _, welcome = await again.wait_for("welcome")
        history = [line.get("content") for line in welcome["data"]["chat"]]
        assert "a line for all" in history
        assert ("only I will read this" in history) is (who == "bob")
        assert not any(line.get("hidden") for line in welcome["data"]["chat"])


async def test_a_report_is_stored_with_the_rooms_last_fifty_lines(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record, room, (owner, bob, mallory) = await seated(world, "bob", "mallory")
    send(room, owner, "room:shadow_mute", "s", participantId="mallory")
    for n in range(55):
        send(room, mallory, "chat:message", f"c{n}", content=f"junk {n}")
        await mallory.reply_to(f"c{n}")
        await trio.sleep(3)  # within the chat rate limit

    send(room, bob, "room:report", "r1", participantId="mallory", reason="spam", details="junk")
    ack = await bob.reply_to("r1")
    report_id = ack["data"]["reportId"]
    stored = await world.services.repositories.reports.get(report_id)
    assert stored is not None
    assert (stored.reporter_id, stored.reported_id, stored.reason) == ("bob", "mallory", "spam")
    evidence = json.loads(stored.evidence_json)
    chat = evidence["chat"]
    assert len(chat) == 50
    # Operators see lines nobody else could, and whom they were for.
    assert chat[-1]["content"] == "junk 54"
    assert chat[-1]["visibleTo"] == "mallory"
    assert [e["kind"] for e in evidence["events"]][:2] == ["joined", "shadow_muted"]
    assert evidence["room"]["code"] == record.code
    assert mallory.last("ack") is not None
    assert all("reportId" not in f.get("data", {}) for _, f in mallory.frames)


async def test_a_preset_changed_live_is_written_to_the_rooms_row(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record, room, (owner,) = await seated(world)
    send(room, owner, "room:settings", "p", privacy="private", guestsAllowed=False)
    await owner.reply_to("p")
    row = await world.services.repositories.rooms.by_id(record.id)
    assert row is not None
    assert (row.privacy, row.guests_allowed) == ("private", False)


async def test_a_ban_keeps_a_guests_device_and_address(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    owner, guest = FakeOutlet(), FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    await room.join(guest, Joiner("guest-1", "Fox", True, device_id="dev-1", address="10.1.1.1"))
    send(room, owner, "room:ban", "b", participantId="guest-1")
    await owner.reply_to("b")
    bans = world.services.repositories.bans
    assert await bans.is_banned(record.id, "guest-2", device_id="dev-1")
    assert await bans.is_banned(record.id, "guest-3", address="10.1.1.1")
