"""Room passwords cannot be guessed in parallel: each guess is counted before it is
hashed, for REST joins and WebSocket hellos alike (issue 12 §5.1, spec 7.7.3)."""

from __future__ import annotations

import json

import httpx
import pytest
import trio
from trio_websocket import ConnectionClosed, open_websocket_url

from syncwatch.components import Components
from syncwatch.errors import RateLimited
from syncwatch.rooms.password_gate import ChecksInProgress
from tests.support.ws import PROTOCOL, create_room, guest, register, room_client, ws_url

HELLOS = 120
JOINS = 30


async def hello_outcome(live_server: str, code: str, token: str, outcomes: list[int]) -> None:
    async with open_websocket_url(ws_url(live_server, code)) as ws:
        hello = {"protocolVersion": PROTOCOL, "token": token, "password": "guess"}
        await ws.send_message(json.dumps({"type": "hello", "data": hello}))
        try:
            with trio.fail_after(30):
                while True:
                    await ws.get_message()
        except ConnectionClosed as closed:
            outcomes.append(int(closed.reason.code))


async def join_outcome(http: httpx.AsyncClient, code: str, token: str, outcomes: list[int]) -> None:
    response = await http.post(
        f"/api/v1/rooms/{code}/join",
        json={"password": "guess"},
        headers={"Authorization": f"Bearer {token}"},
    )
    outcomes.append(response.status_code)


async def test_a_burst_of_hellos_and_joins_gets_three_guesses_checked(
    http: httpx.AsyncClient, live_server: str, components: Components
) -> None:
    owner = await register(http, "owner")
    room = await create_room(http, owner, password="s3cret pass")
    intruder = await guest(http, "Intruder")
    closes: list[int] = []
    statuses: list[int] = []
    async with trio.open_nursery() as nursery:
        for _ in range(HELLOS):
            nursery.start_soon(hello_outcome, live_server, room["code"], intruder, closes)
        for _ in range(JOINS):
            nursery.start_soon(join_outcome, http, room["code"], intruder, statuses)
    assert len(closes) == HELLOS
    assert len(statuses) == JOINS
    wrong = closes.count(4003) + statuses.count(403)
    refused = closes.count(4008) + statuses.count(429)
    assert wrong == 3, (sorted(closes), sorted(statuses))
    assert wrong + refused == HELLOS + JOINS
    await components.services.audit.flush()
    failures = await components.services.repositories.audit.list(event_type="room.password_failed")
    assert len(failures) == 3


async def test_the_right_password_never_uses_up_the_attempts(
    http: httpx.AsyncClient, live_server: str
) -> None:
    owner = await register(http, "owner")
    room = await create_room(http, owner, password="s3cret pass")
    friend = await guest(http, "Friend")
    for _ in range(6):  # reconnects send the password every time
        async with room_client(live_server, room["code"], friend, password="s3cret pass") as bo:
            assert bo.welcome["you"]["role"] == "guest"
    joined = await http.post(
        f"/api/v1/rooms/{room['code']}/join",
        json={"password": "s3cret pass"},
        headers={"Authorization": f"Bearer {friend}"},
    )
    assert joined.status_code == 200, joined.text


def test_checks_in_progress_are_capped_per_ip_and_per_room() -> None:
    checks = ChecksInProgress(per_ip=2, per_room=3)
    with checks.hold(ip="a", room_id="r"), checks.hold(ip="a", room_id="r"):
        with pytest.raises(RateLimited), checks.hold(ip="a", room_id="r"):
            pass
        with checks.hold(ip="b", room_id="r"):
            with pytest.raises(RateLimited), checks.hold(ip="c", room_id="r"):
                pass
            with checks.hold(ip="c", room_id="other"):
                pass
    # Everything was given back.
    with checks.hold(ip="a", room_id="r"), checks.hold(ip="a", room_id="r"):
        pass
