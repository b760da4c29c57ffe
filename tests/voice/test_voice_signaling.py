"""Voice signaling over a real server: signals stay inside one room's voice session."""

from __future__ import annotations

import httpx

from tests.support.ws import create_room, guest, register, room_client


async def test_a_signal_to_a_member_of_another_room_is_refused(
    http: httpx.AsyncClient, live_server: str
) -> None:
    ann_token = await register(http, "ann")
    bob_token = await register(http, "bob")
    first = await create_room(http, ann_token)
    second = await create_room(http, bob_token)
    async with (
        room_client(live_server, first["code"], ann_token) as ann,
        room_client(live_server, second["code"], bob_token) as bob,
    ):
        assert (await ann.reply_to(await ann.send("voice:join")))["type"] == "ack"
        assert (await bob.reply_to(await bob.send("voice:join")))["type"] == "ack"
        bob_id = bob.welcome["you"]["participantId"]
        sent = await ann.send(
            "voice:signal", {"targetId": bob_id, "signal": {"type": "offer", "sdp": "v=0"}}
        )
        refused = await ann.reply_to(sent)
        assert refused["type"] == "error"
        assert refused["data"]["code"] == "forbidden"
        # Bob hears nothing; his connection still answers.
        await bob.send("time:ping", {"t0": 1})
        assert (await bob.receive())["type"] == "time:pong"


async def test_signals_relay_within_the_voice_session_only(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "ann")
    friend = await guest(http, "Bo")
    room = await create_room(http, owner)
    async with (
        room_client(live_server, room["code"], owner) as ann,
        room_client(live_server, room["code"], friend) as bo,
    ):
        bo_id = bo.welcome["you"]["participantId"]
        ann_id = ann.welcome["you"]["participantId"]
        await ann.reply_to(await ann.send("voice:join"))
        # Bo is in the room but not in the call: refused.
        early = await ann.send("voice:signal", {"targetId": bo_id, "signal": {"sdp": "x"}})
        assert (await ann.reply_to(early))["data"]["code"] == "forbidden"
        await bo.send("voice:join")
        peers = await bo.expect("voice:peers")
        assert peers["data"]["peers"] == [ann_id]
        assert (await ann.expect("voice:peer:joined"))["data"]["peerId"] == bo_id
        signal = {"description": {"type": "offer", "sdp": "v=0"}}
        ack = await ann.reply_to(
            await ann.send("voice:signal", {"targetId": bo_id, "signal": signal})
        )
        assert ack["type"] == "ack"
        relayed = await bo.expect("voice:signal")
        assert relayed["data"] == {"fromId": ann_id, "signal": signal}
        await bo.send("voice:leave")
        assert (await ann.expect("voice:peer:left"))["data"]["peerId"] == bo_id
