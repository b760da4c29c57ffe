"""Two instances on one database and one Redis behave as one service (issue 15 §2, ADR 0016).

Each test runs two SyncWatch servers as behind nginx (`tests/support/instances.py`):
what one does reaches the other only through the database and Redis. A friend on
instance B sees a user on A come online, turn busy, watch a room and go offline
(offline only once none of the user's sockets is left anywhere); an invitation made
on A reaches the invitee's `/ws/me` socket on B; a notice for a room and its closing
reach the members of a room running on the other instance; the upload limit counts
uploads started on either; and A's janitor never sweeps a room live on B.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
import trio

from syncwatch.fabric.fail_open import FailOpenFabric
from syncwatch.protocol.server_messages import MediaProgress, MediaProgressData
from syncwatch.settings import Settings
from tests.support.instances import one_instance, two_instances
from tests.support.sessions import bearer, me_socket, sign_up
from tests.support.ws import RoomClient, create_room, room_client

pytestmark = pytest.mark.redis

# The feed is read four times a second (`fabric/crossing.py`); the promise is ~2 s, and
# the rest is slack for a machine shared with other work.
WITHIN_S = 5.0
TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture
def settings(settings_factory: Any, redis_url: str) -> Settings:
    settings: Settings = settings_factory(
        redis_url=redis_url,
        register_limit_per_hour=0,
        login_limit_per_minute=0,
        room_create_limit_per_hour=0,
        api_limit_per_minute=0,
    )
    return settings


async def friends(http: httpx.AsyncClient, a: dict[str, str], b: dict[str, str]) -> None:
    me = (await http.get("/api/v1/auth/me", headers=bearer(b))).json()
    sent = await http.post(
        "/api/v1/friends/request", json={"username": me["username"]}, headers=bearer(a)
    )
    assert sent.status_code == 201, sent.text
    a_id = (await http.get("/api/v1/auth/me", headers=bearer(a))).json()["id"]
    accepted = await http.post("/api/v1/friends/accept", json={"userId": a_id}, headers=bearer(b))
    assert accepted.status_code == 200, accepted.text


async def presence(socket: RoomClient, room: str | None = None, **expected: Any) -> dict[str, Any]:
    """The next `friend:presence` whose data has these fields, and shows `room` when
    given (others are skipped: an instance may repeat what another just said)."""
    with trio.fail_after(WITHIN_S):
        while True:
            frame = await socket.expect("friend:presence", timeout=WITHIN_S)
            data: dict[str, Any] = frame["data"]
            shown = (data.get("activity") or {}).get("roomCode")
            if room is not None and shown != room:
                continue
            if all(data.get(key) == value for key, value in expected.items()):
                return data


async def nothing_but_online(socket: RoomClient, seconds: float) -> None:
    """For `seconds`, any presence that arrives still says online."""
    with trio.move_on_after(seconds):
        while True:
            frame = await socket.expect("friend:presence", timeout=seconds + 1)
            assert frame["data"]["online"] is True, frame


async def test_a_friend_on_another_instance_sees_online_busy_the_room_and_offline(
    settings: Settings,
) -> None:
    async with (
        two_instances(settings) as ((a, _), (b, _), _),
        httpx.AsyncClient(base_url=a) as on_a,
    ):
        ann = await sign_up(on_a, "ann")
        bob = await sign_up(on_a, "bob")
        await friends(on_a, ann, bob)
        room = (await create_room(on_a, ann["token"], name="Friday film"))["code"]
        async with me_socket(b, bob["token"]) as bob_me:
            assert [f["status"] for f in bob_me.welcome["friends"]] == ["offline"]
            async with me_socket(a, ann["token"]) as ann_on_a:
                started = trio.current_time()
                await presence(bob_me, username="ann", status="online")
                print(f"online on A seen on B in {trio.current_time() - started:.2f} s")
                # A friend who connects to B now is told ann is online in the welcome.
                async with me_socket(b, bob["token"]) as bob_again:
                    assert [f["status"] for f in bob_again.welcome["friends"]] == ["online"]

                choose = await ann_on_a.send("presence:set", {"status": "busy"})
                assert (await ann_on_a.reply_to(choose))["type"] == "ack"
                await presence(bob_me, status="busy")

                # Ann's room socket is on B, her /ws/me socket on A: bob still sees the room.
                async with room_client(b, room, ann["token"]):
                    seen = await presence(bob_me, room, status="busy")
                    assert seen["activity"]["roomName"] == "Friday film"

                # A second socket on B: closing the one on A does not make ann offline.
                async with me_socket(b, ann["token"]):
                    await ann_on_a.ws.aclose()
                    await nothing_but_online(bob_me, 1.5)
                    listing = await httpx.AsyncClient(base_url=b).get(
                        "/api/v1/friends", headers=bearer(bob)
                    )
                    assert [f["online"] for f in listing.json()["friends"]] == [True]
                gone = await presence(bob_me, online=False)
                assert gone["status"] == "offline"


async def test_an_invitation_made_on_one_instance_reaches_the_invitee_on_another(
    settings: Settings,
) -> None:
    async with (
        two_instances(settings) as ((a, _), (b, _), _),
        httpx.AsyncClient(base_url=a) as on_a,
    ):
        ann = await sign_up(on_a, "ann")
        bob = await sign_up(on_a, "bob")
        async with me_socket(b, bob["token"]) as bob_me:
            await friends(on_a, ann, bob)
            request = await bob_me.expect("friend:request", timeout=WITHIN_S)
            assert request["data"]["fromUsername"] == "ann"
            room = (await create_room(on_a, ann["token"], name="Friday film"))["code"]
            bob_id = bob_me.welcome["you"]["userId"]
            async with me_socket(a, ann["token"]) as ann_me:
                invite = await ann_me.send("room:invite", {"userId": bob_id, "roomCode": room})
                assert (await ann_me.reply_to(invite))["type"] == "ack"
                invitation = await bob_me.expect("room:invitation", timeout=WITHIN_S)
                assert invitation["data"]["roomCode"] == room
                stored = await bob_me.expect("notification", timeout=WITHIN_S)
                assert stored["data"]["notification"]["kind"] == "room_invitation"
                assert stored["data"]["unread"] == 2  # the friend request, and this
            # Marking read on A updates bob's count on B.
            read = await on_a.post("/api/v1/notifications/read", json={}, headers=bearer(bob))
            assert read.status_code == 200, read.text
            unread = await bob_me.expect("notifications:unread", timeout=WITHIN_S)
            assert unread["data"]["unread"] == 0


async def test_a_rooms_notices_and_its_closing_reach_members_on_the_instance_running_it(
    settings: Settings,
) -> None:
    async with (
        two_instances(settings) as ((a, first), (b, _), _),
        httpx.AsyncClient(base_url=a) as on_a,
    ):
        ann = await sign_up(on_a, "ann")
        room = (await create_room(on_a, ann["token"]))["code"]
        async with room_client(b, room, ann["token"]) as member:
            # The transcode ran on A; the room runs on B (its lease is B's).
            assert first.rooms.member_count(room) == 0
            notice = MediaProgress(
                data=MediaProgressData(
                    video_id="v1",
                    filename="clip.mp4",
                    status="processing",
                    progress=40,
                    playable=False,
                )
            )
            await first.rooms.announce_everywhere(room, notice.to_json())
            progress = await member.expect("media:progress", timeout=WITHIN_S)
            assert progress["data"]["progress"] == 40

            closed = await on_a.delete(f"/api/v1/rooms/{room}", headers=bearer(ann))
            assert closed.status_code == 204, closed.text
            assert await member.closed_with(timeout=WITHIN_S) == 4004


async def test_the_upload_limit_counts_uploads_started_on_either_instance(
    settings_factory: Any, redis_url: str
) -> None:
    settings = settings_factory(
        redis_url=redis_url, register_limit_per_hour=0, upload_limit_per_hour=3
    )
    name = base64.b64encode(b"clip.mp4").decode()
    async with (
        two_instances(settings) as ((a, first), (b, second), _),
        httpx.AsyncClient(base_url=a) as on_a,
        httpx.AsyncClient(base_url=b) as on_b,
    ):
        instances = (first, second)

        def counted_alone() -> tuple[bool, list[int]]:
            """Whether an instance counts limits by itself right now, and how many Redis
            calls each has seen fail (a degradation may come and go between looks)."""
            now, failures = False, []
            for instance in instances:
                fabric = instance.services.fabric
                assert isinstance(fabric, FailOpenFabric)
                now |= fabric.degraded() is not None
                failures.append(fabric.failures)
            return now, failures

        async def fourth_upload(username: str) -> tuple[httpx.Response, bool]:
            """Three uploads on A, B, A, then a fourth on B; and whether Redis missed a
            deadline meanwhile (a busy machine, or instances starting in this process):
            limits are then counted per instance and need not hold across them."""
            degraded, failures = counted_alone()
            user = await sign_up(on_a, username)
            headers = {
                **bearer(user),
                **TUS,
                "Upload-Length": "100",
                "Upload-Metadata": f"filename {name}",
            }
            for http in (on_a, on_b, on_a):
                created = await http.post("/api/v1/videos/uploads", headers=headers)
                assert created.status_code == 201, created.text
                degraded |= counted_alone()[0]
            refused = await on_b.post("/api/v1/videos/uploads", headers=headers)
            now, failures_after = counted_alone()
            return refused, degraded or now or failures_after != failures

        for attempt in range(5):
            # A degraded instance tries Redis again every 2 s (its feed readers call it
            # every second): wait until both share the count before trying.
            with trio.fail_after(15):
                while counted_alone()[0]:
                    await trio.sleep(0.1)
            refused, degraded = await fourth_upload(f"ann{attempt}")
            if not degraded:
                break
        assert not degraded, "Redis missed its deadline in every attempt"
        assert refused.status_code == 429, refused.text
        assert refused.headers["Content-Type"] == "application/problem+json"
        assert int(refused.headers["Retry-After"]) > 3500
        assert "3 uploads per hour" in refused.json()["detail"]


async def test_a_janitor_never_sweeps_a_room_live_on_another_instance(
    settings: Settings,
) -> None:
    async with (
        two_instances(settings) as ((a, first), (b, second), _),
        httpx.AsyncClient(base_url=a) as on_a,
    ):
        ann = await sign_up(on_a, "ann")
        room = (await create_room(on_a, ann["token"]))["code"]
        idle = (await create_room(on_a, ann["token"]))["code"]
        db = first.services.db
        rooms = first.services.repositories.rooms
        async with room_client(b, room, ann["token"]) as member:
            assert second.rooms.member_count(room) == 1
            # Answered by the room after the join's own writes (its expiry pushed back).
            said = await member.reply_to(await member.send("chat:message", {"content": "hi"}))
            assert said["type"] == "ack"
            # Both past their expiry (a clock jump, a long evening): only a live room stays.
            for code in (room, idle):
                await db.execute(
                    "UPDATE rooms SET expires_at = 1 WHERE code = :code", {"code": code}
                )
            swept = await first.janitor.sweep_once()
            assert swept["rooms"] == 1
            assert await rooms.by_code(idle) is None
            assert await rooms.by_code(room) is not None
            ping = await member.send("presence:heartbeat")
            assert (await member.reply_to(ping))["type"] == "ack"


async def test_without_redis_answering_one_instance_still_delivers_to_its_own_sockets(
    settings_factory: Any,
) -> None:
    # Nothing listens on port 9: every Redis call fails at once; the fabric fails open.
    settings = settings_factory(
        redis_url="redis://127.0.0.1:9/0", register_limit_per_hour=0, login_limit_per_minute=0
    )
    async with (
        one_instance(settings) as (a, _),
        httpx.AsyncClient(base_url=a) as on_a,
    ):
        ann = await sign_up(on_a, "ann")
        bob = await sign_up(on_a, "bob")
        await friends(on_a, ann, bob)
        async with me_socket(a, bob["token"]) as bob_me:
            async with me_socket(a, ann["token"]) as ann_me:
                await presence(bob_me, username="ann", status="online")
                room = (await create_room(on_a, ann["token"]))["code"]
                bob_id = bob_me.welcome["you"]["userId"]
                invite = await ann_me.send("room:invite", {"userId": bob_id, "roomCode": room})
                assert (await ann_me.reply_to(invite))["type"] == "ack"
                assert (await bob_me.expect("room:invitation"))["data"]["roomCode"] == room
            await presence(bob_me, online=False)
