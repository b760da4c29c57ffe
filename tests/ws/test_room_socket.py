"""CONTRACT.md §2 over a real Hypercorn server with independent trio-websocket clients."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import trio
from trio_websocket import open_websocket_url

from tests.support.ws import RoomClient, create_room, guest, register, room_client, ws_url


async def test_hello_gets_a_welcome_with_everything_needed(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner, name="Film club")
    async with room_client(live_server, room["code"], owner) as ann:
        welcome = ann.welcome
        assert welcome["protocolVersion"].startswith("1.")
        assert welcome["compatible"] is True
        assert welcome["you"]["role"] == "owner"
        assert welcome["room"]["code"] == room["code"]
        assert welcome["state"]["sequenceNumber"] == 0
        assert welcome["state"]["isPlaying"] is False
        assert abs(welcome["serverTime"] - trio.current_time() * 0) > 0
        assert [p["username"] for p in welcome["participants"]] == ["ann"]
        assert isinstance(welcome["chat"], list)


async def test_ping_is_answered_with_server_times(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    async with room_client(live_server, room["code"], owner) as ann:
        await ann.send("time:ping", {"t0": 123.5, "rttMs": 4.2})
        pong = await ann.expect("time:pong")
        assert pong["data"]["t0"] == 123.5
        assert pong["data"]["t2"] >= pong["data"]["t1"] >= ann.welcome["serverTime"]


async def test_a_command_reaches_everyone_with_the_next_sequence_number(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    friend = await guest(http, "Bo")
    room = await create_room(http, owner)
    code = room["code"]
    async with (
        room_client(live_server, code, owner) as ann,
        room_client(live_server, code, friend) as bo,
    ):
        assert bo.welcome["you"]["role"] == "guest"
        source = await ann.send(
            "sync:source", {"sourceType": "url", "url": "https://cdn.example.org/film.mp4"}
        )
        assert (await ann.reply_to(source))["type"] == "ack"
        play = await ann.send("sync:play", {})
        ack = await ann.reply_to(play)
        assert ack["type"] == "ack"
        assert ack["data"]["sequenceNumber"] == 2
        seen = await bo.expect("sync:command", type="sync:command")
        while seen["data"]["type"] != "PLAY":
            seen = await bo.expect("sync:command")
        data = seen["data"]
        assert data["sequenceNumber"] == 2
        assert data["state"]["isPlaying"] is True
        assert data["atServerTime"] >= data["state"]["anchorServerTimeMs"] - 1
        assert data["issuedBy"] == ann.welcome["you"]["participantId"]
        # The guest may not control playback under owner_only.
        refused = await bo.reply_to(await bo.send("sync:pause", {}))
        assert refused["type"] == "error"
        assert refused["data"]["code"] == "forbidden"


async def test_stale_expected_seq_and_replayed_idempotency_keys(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    async with room_client(live_server, room["code"], owner) as ann:
        await ann.reply_to(
            await ann.send("sync:source", {"sourceType": "youtube", "videoId": "dQw4w9WgXcQ"})
        )
        first = await ann.reply_to(
            await ann.send("sync:seek", {"targetMediaTimeMs": 5000, "idempotencyKey": "k1"})
        )
        again = await ann.reply_to(
            await ann.send("sync:seek", {"targetMediaTimeMs": 9000, "idempotencyKey": "k1"})
        )
        assert first["data"] == again["data"]
        stale = await ann.reply_to(await ann.send("sync:play", {"expectedSeq": 1}))
        assert stale["type"] == "error"
        assert stale["data"]["code"] == "conflict"
        assert stale["data"]["currentSeq"] == 2


async def test_six_simultaneous_joins_to_five_seats(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner, maxParticipants=5)
    tokens = [await guest(http, f"G{i}") for i in range(6)]
    outcomes: list[str] = []
    release = trio.Event()

    async def attempt(token: str) -> None:
        async with open_websocket_url(ws_url(live_server, room["code"])) as ws:
            await ws.send_message(
                json.dumps({"type": "hello", "data": {"protocolVersion": "1.0.0", "token": token}})
            )
            client = RoomClient(ws)
            try:
                await client.expect("welcome")
                outcomes.append("welcome")
                await release.wait()
            except Exception:
                outcomes.append(f"closed:{ws.closed.code if ws.closed else '?'}")

    async with trio.open_nursery() as nursery:
        for token in tokens:
            nursery.start_soon(attempt, token)
        with trio.fail_after(10):
            while len(outcomes) < 6:
                await trio.sleep(0.05)
        release.set()
    assert sorted(outcomes) == ["closed:4009"] + ["welcome"] * 5


async def test_kick_and_ban(http: httpx.AsyncClient, live_server: str) -> None:
    owner = await register(http, "ann")
    bob = await register(http, "bob")
    cat = await register(http, "cat")
    room = await create_room(http, owner)
    code = room["code"]
    async with room_client(live_server, code, owner) as ann:
        async with room_client(live_server, code, bob) as bob_client:
            target = bob_client.welcome["you"]["participantId"]
            await ann.send("room:kick", {"participantId": target})
            assert await bob_client.closed_with() == 4003
        # Kicked is not banned: bob may come back.
        async with room_client(live_server, code, bob):
            pass
        async with room_client(live_server, code, cat) as cat_client:
            target = cat_client.welcome["you"]["participantId"]
            await ann.send("room:ban", {"participantId": target})
            assert await cat_client.closed_with() == 4003
        async with room_client(live_server, code, cat, expect_welcome=False) as again:
            assert await again.closed_with() == 4003
        # Nobody can kick the owner.
        async with room_client(live_server, code, bob) as bob_client:
            refused = await bob_client.reply_to(
                await bob_client.send(
                    "room:kick", {"participantId": ann.welcome["you"]["participantId"]}
                )
            )
            assert refused["type"] == "error"


async def test_wrong_password_unknown_room_bad_token_and_old_major(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    visitor = await guest(http, "V")
    room = await create_room(http, owner, password="secret!")
    code = room["code"]
    cases = [
        (code, visitor, {"password": "nope"}, 4003),
        (code, visitor, {}, 4003),
        ("ZZZZZZZZ", visitor, {}, 4004),
        (code, "not-a-token", {}, 4001),
        (code, visitor, {"protocolVersion": "2.0.0", "password": "secret!"}, 4010),
    ]
    for room_code, token, hello, expected in cases:
        async with room_client(live_server, room_code, token, expect_welcome=False, **hello) as c:
            assert await c.closed_with() == expected, (room_code, hello)
    async with room_client(live_server, code, visitor, password="secret!") as ok:
        assert ok.welcome["you"]["role"] == "guest"


async def test_first_frame_must_be_hello(http: httpx.AsyncClient, live_server: str) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    async with open_websocket_url(ws_url(live_server, room["code"])) as ws:
        await ws.send_message(json.dumps({"type": "sync:play", "data": {}}))
        client = RoomClient(ws)
        error = await client.expect("error")
        assert error["data"]["code"] == "bad_message"
        assert await client.closed_with() == 4001


async def test_malformed_and_oversized_frames_get_errors_and_the_socket_stays_usable(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    async with room_client(live_server, room["code"], owner) as ann:
        for frame in (
            "not json",
            "[1,2,3]",
            json.dumps({"type": "sync:teleport", "data": {}}),
            json.dumps({"type": "sync:seek", "id": "x", "data": {"targetMediaTimeMs": "soon"}}),
            json.dumps({"type": "chat:message", "data": {"content": "x" * (70 * 1024)}}),
        ):
            await ann.ws.send_message(frame)
            error = await ann.expect("error")
            assert error["data"]["code"] == "bad_message"
        await ann.send("time:ping", {"t0": 1})
        assert (await ann.expect("time:pong"))["data"]["t0"] == 1


async def test_a_flooding_client_is_closed_with_4008(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    async with room_client(live_server, room["code"], owner) as ann:
        for _ in range(400):
            try:
                await ann.ws.send_message("garbage")
            except Exception:
                break
        assert await ann.closed_with(timeout=10) == 4008


@pytest.mark.slow
async def test_a_slow_consumer_is_cut_off_and_the_room_carries_on(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    slow_user = await register(http, "slow")
    room = await create_room(http, owner, playbackControl="all")
    code = room["code"]
    # `slow` reads its welcome and then nothing more (a client queue of one frame).
    async with (
        room_client(live_server, code, owner) as ann,
        room_client(live_server, code, slow_user, queue_size=1) as slow,
    ):
        await ann.reply_to(await ann.send("voice:join", {}))
        await slow.ws.send_message(json.dumps({"type": "voice:join", "data": {}}))
        target = slow.welcome["you"]["participantId"]
        blob = "x" * 60_000

        async def pump_signals() -> None:
            while True:
                await ann.send("voice:signal", {"targetId": target, "signal": {"sdp": blob}})
                await trio.sleep(0.025)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(pump_signals)
            with trio.fail_after(30):
                while True:
                    update = await ann.expect("room:participants", timeout=30)
                    if len(update["data"]["participants"]) == 1:
                        break
            nursery.cancel_scope.cancel()
        # The room still works for the others.
        await ann.send("time:ping", {"t0": 7})
        assert (await ann.expect("time:pong"))["data"]["t0"] == 7
        ack = await ann.reply_to(await ann.send("chat:message", {"content": "still here"}))
        assert ack["type"] == "ack"


async def test_reconnect_with_last_seq_catches_up_missed_commands(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    friend = await register(http, "bob")
    room = await create_room(http, owner)
    code = room["code"]
    async with room_client(live_server, code, owner) as ann:
        await ann.reply_to(
            await ann.send("sync:source", {"sourceType": "url", "url": "https://e.org/v.m3u8"})
        )
        async with room_client(live_server, code, friend) as bob:
            last_seq = bob.welcome["state"]["sequenceNumber"]
            chat = await bob.reply_to(await bob.send("chat:message", {"content": "brb"}))
            assert chat["type"] == "ack"
        while (line := (await ann.expect("chat:message"))["data"]).get("content") != "brb":
            pass
        last_chat = line["id"]
        await ann.reply_to(await ann.send("sync:play", {}))
        await ann.reply_to(await ann.send("sync:seek", {"targetMediaTimeMs": 42_000}))
        await ann.reply_to(await ann.send("chat:message", {"content": "welcome back"}))
        async with room_client(
            live_server, code, friend, lastSeq=last_seq, lastMessageId=last_chat
        ) as bob:
            assert bob.welcome["resume"]["mode"] == "commands"
            types = [(await bob.expect("sync:command"))["data"]["type"] for _ in range(2)]
            assert types == ["PLAY", "SEEK"]
            contents = [line.get("content") for line in bob.welcome["chat"]]
            assert "welcome back" in contents
            assert "brb" not in contents


async def test_chat_is_stored_ordered_and_guests_may_not_write(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    visitor = await guest(http, "Vee")
    room = await create_room(http, owner)
    code = room["code"]
    async with (
        room_client(live_server, code, owner) as ann,
        room_client(live_server, code, visitor) as vee,
    ):
        for text in ("one", "two", "  three  "):
            assert (await ann.reply_to(await ann.send("chat:message", {"content": text})))[
                "type"
            ] == "ack"
        received = []
        while len(received) < 3:
            message = await vee.expect("chat:message")
            if message["data"]["kind"] == "user":
                received.append(message["data"]["content"])
        assert received == ["one", "two", "three"]
        refused = await vee.reply_to(await vee.send("chat:message", {"content": "hi"}))
        assert refused["data"]["code"] == "forbidden"
        empty = await ann.reply_to(await ann.send("chat:message", {"content": "   "}))
        assert empty["type"] == "error"
    async with room_client(live_server, code, owner) as again:
        history = [line.get("content") for line in again.welcome["chat"] if line["kind"] == "user"]
        assert history == ["one", "two", "three"]


async def test_graceful_restart_continues_the_sequence(settings: Any) -> None:
    """Stop the server (clients get 1012), start a new process-worth of services on the
    same database, and the room continues with the next sequence number."""
    from functools import partial

    from syncwatch.components import open_components
    from syncwatch.server import run_server

    async with open_components(settings) as first_process, trio.open_nursery() as nursery:
        stop = trio.Event()
        first = (await nursery.start(partial(run_server, first_process, stop=stop)))[0]
        async with httpx.AsyncClient(base_url=first) as api:
            owner = await register(api, "ann")
            room = await create_room(api, owner)
        code = room["code"]
        async with room_client(first, code, owner) as ann:
            await ann.reply_to(
                await ann.send("sync:source", {"sourceType": "url", "url": "https://e.org/a.mp4"})
            )
            await ann.reply_to(await ann.send("sync:play", {}))
            stop.set()
            assert await ann.closed_with(timeout=10) == 1012

    async with open_components(settings) as second_process, trio.open_nursery() as nursery:
        stop = trio.Event()
        second = (await nursery.start(partial(run_server, second_process, stop=stop)))[0]
        async with room_client(second, code, owner, lastSeq=2) as ann:
            assert ann.welcome["state"]["sequenceNumber"] == 2
            assert ann.welcome["state"]["isPlaying"] is True
            ack = await ann.reply_to(await ann.send("sync:pause", {}))
            assert ack["data"]["sequenceNumber"] == 3
        stop.set()
