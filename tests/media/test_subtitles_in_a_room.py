"""Subtitles across HTTP and the room socket, on a real server: someone in the
video's room may add a track to it, and the room's list reaches every member."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from syncwatch.settings import Settings
from tests.support.instance import bearer, upload, wait_until_ready
from tests.support.media import SUBTITLES_SRT, MediaFixtures
from tests.support.ws import create_room, register, room_client


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(transcode_preset="ultrafast", upload_bandwidth_mbit=0)


async def test_a_member_of_the_videos_room_adds_a_track_and_everyone_gets_the_list(
    http: httpx.AsyncClient, live_server: str, media: MediaFixtures
) -> None:
    owner = await register(http, "ann")
    friend = await register(http, "bob")
    outsider = await register(http, "cid")
    room = await create_room(http, owner, playbackControl="all")
    code = room["code"]
    video_id = await upload(http, owner, media.h264_mp4.read_bytes(), code)
    await wait_until_ready(http, owner, video_id)
    tracks_url = f"/api/v1/videos/{video_id}/subtitles"

    refused = await http.post(tracks_url, content=SUBTITLES_SRT.encode(), headers=bearer(friend))
    assert refused.status_code == 403  # not in the room (yet)

    async with (
        room_client(live_server, code, owner) as ann,
        room_client(live_server, code, friend) as bob,
    ):
        added = await http.post(
            f"{tracks_url}?label=Mine", content=SUBTITLES_SRT.encode(), headers=bearer(friend)
        )
        assert added.status_code == 201, added.text
        track = added.json()
        outside = await http.post(
            tracks_url, content=SUBTITLES_SRT.encode(), headers=bearer(outsider)
        )
        assert outside.status_code == 403

        sent = await bob.send(
            "sync:source",
            {
                "sourceType": "upload",
                "sourceId": video_id,
                "subtitles": [{"url": track["url"], "label": track["label"]}],
            },
        )
        for member in (ann, bob):
            change = await member.expect("room:subtitles")
            assert change["data"] == {
                "sourceId": video_id,
                "subtitles": [{"url": track["url"], "label": "Mine"}],
            }
        await bob.expect("ack", re=sent)
        # A member fetches the track under the grant of the video's manifest (ADR 0010).
        manifest = await http.get(
            f"/api/v1/videos/{video_id}/manifest?room={code}", headers=bearer(friend)
        )
        grant = "/".join(manifest.json()["manifestUrl"].split("/")[:4])
        served = await http.get(track["url"].replace("/media", grant, 1))
        assert served.status_code == 200
        # A member sees the room's track list; someone outside the room does not.
        listed = await http.get(f"{tracks_url}?room={code}", headers=bearer(friend))
        assert [t["url"] for t in listed.json()["subtitles"]] == [track["url"]]
        not_listed = await http.get(f"{tracks_url}?room={code}", headers=bearer(outsider))
        assert not_listed.status_code == 403
        assert not_listed.json()["code"] == "forbidden"
        assert (await http.get(track["url"])).status_code == 403
        assert served.headers["Content-Type"] == "text/vtt; charset=utf-8"
        assert "Second & bold" not in served.text
        assert "Second &amp; bold" in served.text

        sent = await bob.send(
            "sync:subtitles",
            {"subtitles": [{"url": "https://cdn.example.org/x.vtt", "label": "x"}]},
        )
        refused_list = await bob.expect("error", re=sent)
        assert refused_list["data"]["code"] == "validation_error"
