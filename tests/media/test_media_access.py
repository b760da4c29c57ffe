"""A video is for its uploader and the members of a room playing it (issue 12 §5.6, ADR 0010).

Status and manifest refuse everyone else, and the HLS playlists and segments are
served only under the grant that the manifest hands out: no grant, a forged one,
another video's or an expired one is a 403 problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest

from syncwatch.auth.tokens import derive_key
from syncwatch.components import Components
from syncwatch.media import grants
from syncwatch.settings import Settings
from tests.support.instance import bearer, upload, wait_until_ready
from tests.support.media import MediaFixtures
from tests.support.ws import create_room, guest, register, room_client


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(transcode_preset="ultrafast", upload_bandwidth_mbit=0)


def status_url(video_id: str, room: str | None = None) -> str:
    return f"/api/v1/videos/{video_id}/status" + (f"?room={room}" if room else "")


def manifest_url(video_id: str, room: str | None = None) -> str:
    return f"/api/v1/videos/{video_id}/manifest" + (f"?room={room}" if room else "")


async def playlist_chain(http: httpx.AsyncClient, master: str) -> list[httpx.Response]:
    """The master playlist, one variant and its first segment, as a player fetches them."""
    first = await http.get(master)
    variant_url = (
        master.rsplit("/", 1)[0]
        + "/"
        + next(line for line in first.text.splitlines() if line and not line.startswith("#"))
    )
    variant = await http.get(variant_url)
    segment = next(line for line in variant.text.splitlines() if line.endswith(".ts"))
    return [first, variant, await http.get(variant_url.rsplit("/", 1)[0] + "/" + segment)]


async def test_only_the_uploader_and_members_of_a_room_playing_it_may_watch(
    http: httpx.AsyncClient, live_server: str, media: MediaFixtures
) -> None:
    owner = await register(http, "ann")
    friend = await guest(http, "Bob")
    stranger = await register(http, "eve")
    elsewhere = await register(http, "cid")
    room = await create_room(http, owner)
    other_room = await create_room(http, elsewhere)
    code = room["code"]
    video_id = await upload(http, owner, media.h264_mp4.read_bytes(), code)
    await wait_until_ready(http, owner, video_id)

    # The uploader, before any room plays it.
    mine = await http.get(manifest_url(video_id), headers=bearer(owner))
    assert mine.status_code == 200
    master = mine.json()["manifestUrl"]
    assert re.fullmatch(
        rf"/media/g/[0-9]+\.[A-Za-z0-9_-]{{22}}/videos/{video_id}/hls/master\.m3u8", master
    )
    assert [r.status_code for r in await playlist_chain(http, master)] == [200, 200, 200]

    async with (
        room_client(live_server, code, owner) as ann,
        room_client(live_server, code, friend) as bob,
        room_client(live_server, other_room["code"], elsewhere),
    ):
        # In the room, but the room does not play it yet: the status only (progress).
        assert (await http.get(status_url(video_id), headers=bearer(friend))).status_code == 200
        early = await http.get(manifest_url(video_id, code), headers=bearer(friend))
        assert early.status_code == 403
        assert early.json()["code"] == "forbidden"

        await ann.send("sync:source", {"sourceType": "upload", "sourceId": video_id})
        await bob.expect("sync:command")
        granted = await http.get(manifest_url(video_id, code), headers=bearer(friend))
        assert granted.status_code == 200
        chain = await playlist_chain(http, granted.json()["manifestUrl"])
        assert [r.status_code for r in chain] == [200, 200, 200]
        # The grant names no person: everyone in the room fetches the same URLs (one cache entry).
        assert (
            granted.json()["manifestUrl"]
            == (await http.get(manifest_url(video_id), headers=bearer(owner))).json()["manifestUrl"]
        )

        for outsider in (stranger, elsewhere):
            for url in (status_url(video_id), manifest_url(video_id), manifest_url(video_id, code)):
                refused = await http.get(url, headers=bearer(outsider))
                assert refused.status_code == 403, url
                assert refused.headers["Content-Type"] == "application/problem+json"
        # Naming another room does not help a member either.
        wrong_room = await http.get(
            manifest_url(video_id, other_room["code"]), headers=bearer(friend)
        )
        assert wrong_room.status_code == 403

    # Gone from the room: no fresh grant.
    assert (await http.get(manifest_url(video_id), headers=bearer(friend))).status_code == 403
    assert (await http.get(manifest_url(video_id), headers=bearer(owner))).status_code == 200
    assert (await http.get(status_url("nope"), headers=bearer(owner))).status_code == 404


async def test_hls_needs_a_current_grant_for_that_very_video(
    http: httpx.AsyncClient, components: Components, media: MediaFixtures
) -> None:
    owner = await register(http, "ann")
    room = await create_room(http, owner)
    video_id = await upload(http, owner, media.h264_mp4.read_bytes(), room["code"])
    await wait_until_ready(http, owner, video_id)
    master = (await http.get(manifest_url(video_id), headers=bearer(owner))).json()["manifestUrl"]
    key = master.split("/", 4)[4]  # videos/<id>/hls/master.m3u8
    grant_key = derive_key(components.services.settings.secret_key, "media-grants")
    now_ms = components.services.clock.now_ms()
    expired = grants.issue(grant_key, video_id, now_ms - (grants.TTL_S + grants.STEP_S) * 1000)
    forged = grants.issue(b"not the server's key" * 2, video_id, now_ms)
    another = grants.issue(grant_key, "another-video", now_ms)

    assert (await http.get(master)).status_code == 200
    for refused_url in (
        f"/media/{key}",  # the old, ungranted address
        f"/media/g/{expired}/{key}",
        f"/media/g/{forged}/{key}",
        f"/media/g/{another}/{key}",
        f"/media/g/garbage/{key}",
    ):
        refused = await http.get(refused_url)
        assert refused.status_code == 403, refused_url
        assert refused.json()["code"] == "forbidden"
    # nginx may cache a granted answer only as long as its grant lives.
    expires = (await http.get(master)).headers["X-Accel-Expires"]
    assert expires == f"@{grants.expiry_s(master.split('/')[3])}"


def test_a_grant_lives_thirty_to_forty_minutes_and_is_shared_within_ten() -> None:
    key = b"k" * 32
    start = 1_700_000_000_000
    first = grants.issue(key, "v1", start)
    lifetime_s = grants.expiry_s(first) - start // 1000  # type: ignore[operator]
    assert grants.TTL_S <= lifetime_s <= grants.TTL_S + grants.STEP_S
    assert grants.is_valid(key, "v1", first, start + (grants.TTL_S - 1) * 1000)
    assert not grants.is_valid(key, "v1", first, (grants.expiry_s(first) or 0) * 1000)
    assert not grants.is_valid(key, "v2", first, start)
    # Everyone asking within the same ten minutes gets the very same grant.
    same_step = {grants.issue(key, "v1", start + i * 1000) for i in range(0, 600, 30)}
    assert len(same_step) <= 2
    # A grant from the far future (forged expiry) is refused even with a right signature.
    far = grants.issue(key, "v1", start + 10 * 3600 * 1000)
    assert not grants.is_valid(key, "v1", far, start)
