"""Subtitle tracks of an uploaded video over HTTP: the file's own tracks after
transcoding, tracks uploaded beside it, who may add one, and bad files refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from syncwatch.auth.tokens import derive_key
from syncwatch.components import Components
from syncwatch.media import grants
from syncwatch.media.subtitles import MAX_SUBTITLE_BYTES
from syncwatch.settings import Settings
from tests.support.media import SUBTITLES_SRT, MediaFixtures
from tests.support.uploads import Finished, register_uploader, upload_in_two_patches


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(transcode_preset="ultrafast", upload_bandwidth_mbit=0)


async def _ready_video(
    client: Any, components: Components, auth: dict[str, str], clip: bytes
) -> str:
    finished = Finished(components)
    video_id, last = await upload_in_two_patches(client, auth, clip, "film.mkv")
    assert last.status_code == 204
    assert (await finished.wait(video_id)).state == "ready"
    return video_id


async def _guest(client: Any) -> dict[str, str]:
    response = await client.post("/api/v1/auth/guest", json={"nickname": "Lurker"})
    return {"Authorization": f"Bearer {(await response.get_json())['accessToken']}"}


async def test_the_files_own_tracks_and_an_uploaded_srt_are_listed_and_served_as_webvtt(
    client: Any, components: Components, media: MediaFixtures
) -> None:
    auth = await register_uploader(client)
    video_id = await _ready_video(client, components, auth, media.mkv_with_subrip.read_bytes())
    tracks_url = f"/api/v1/videos/{video_id}/subtitles"

    added = await client.post(
        f"{tracks_url}?label=English%20(SDH)&language=en-GB&filename=film.en.srt",
        data=SUBTITLES_SRT.encode("cp1252"),
        headers=auth,
    )
    assert added.status_code == 201, await added.get_data()
    track = await added.get_json()
    assert track["label"] == "English (SDH)"
    assert track["language"] == "en-GB"
    assert track["origin"] == "upload"
    assert added.headers["Location"] == track["url"]

    listed = await client.get(tracks_url, headers=auth)
    tracks = (await listed.get_json())["subtitles"]
    assert [(t["label"], t["language"], t["origin"]) for t in tracks] == [
        ("eng", "eng", "embedded"),
        ("Français", "fre", "embedded"),
        ("English (SDH)", "en-GB", "upload"),
    ]
    grant = await _grant_prefix(client, auth, video_id)
    for listed_track in tracks:
        assert listed_track["url"].startswith(f"/media/videos/{video_id}/subtitles/")
        served = await client.get(_granted(listed_track["url"], grant))
        assert served.status_code == 200
        assert served.headers["Content-Type"] == "text/vtt; charset=utf-8"
        assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        text = await served.get_data(as_text=True)
        assert text.startswith("WEBVTT\n")
        assert "Second &amp; bold" in text
        assert "<b>" not in text


def _granted(url: str, prefix: str) -> str:
    """A track's listed URL fetched under a grant, as the app does (ADR 0010)."""
    return url.replace("/media/", prefix, 1)


async def _grant_prefix(client: Any, auth: dict[str, str], video_id: str) -> str:
    """`/media/g/<grant>/` from the video's manifest URL."""
    manifest = await client.get(f"/api/v1/videos/{video_id}/manifest", headers=auth)
    assert manifest.status_code == 200
    return "/".join((await manifest.get_json())["manifestUrl"].split("/")[:4]) + "/"


async def test_a_videos_tracks_are_listed_and_served_only_to_those_who_may_see_it(
    client: Any, components: Components, media: MediaFixtures
) -> None:
    auth = await register_uploader(client)
    video_id = await _ready_video(client, components, auth, media.mkv_with_subrip.read_bytes())
    tracks_url = f"/api/v1/videos/{video_id}/subtitles"
    track_url = (await (await client.get(tracks_url, headers=auth)).get_json())["subtitles"][0][
        "url"
    ]
    grant = await _grant_prefix(client, auth, video_id)
    assert (await client.get(_granted(track_url, grant))).status_code == 200

    # A stranger with an account, a free guest and nobody at all see no list.
    stranger = await register_uploader(client, "stranger")
    for headers, status in ((stranger, 403), (await _guest(client), 403), ({}, 401)):
        refused = await client.get(tracks_url, headers=headers)
        assert refused.status_code == status
        assert refused.headers["Content-Type"] == "application/problem+json"
        # ...and get no grant to fetch a track with.
        manifest = await client.get(f"/api/v1/videos/{video_id}/manifest", headers=headers)
        assert manifest.status_code == status

    # The track itself: never without a grant, nor with an expired, forged or other video's.
    grant_key = derive_key(components.services.settings.secret_key, "media-grants")
    now_ms = components.services.clock.now_ms()
    expired = grants.issue(grant_key, video_id, now_ms - (grants.TTL_S + grants.STEP_S) * 1000)
    forged = grants.issue(b"not the server's key" * 2, video_id, now_ms)
    another = grants.issue(grant_key, "another-video", now_ms)
    for refused_url in (
        track_url,
        _granted(track_url, f"/media/g/{expired}/"),
        _granted(track_url, f"/media/g/{forged}/"),
        _granted(track_url, f"/media/g/{another}/"),
        _granted(track_url, "/media/g/garbage/"),
    ):
        refused = await client.get(refused_url)
        assert refused.status_code == 403, refused_url
        body = await refused.get_json()
        assert body["code"] == "forbidden"
        assert "grant" in body["detail"]


async def test_a_track_without_a_label_is_named_after_its_file(
    client: Any, components: Components, media: MediaFixtures
) -> None:
    auth = await register_uploader(client)
    video_id = await _ready_video(client, components, auth, media.h264_mp4.read_bytes())
    vtt = "WEBVTT\n\n00:00.500 --> 00:01.500\n<c.red>Hi</c>\n"
    added = await client.post(
        f"/api/v1/videos/{video_id}/subtitles?filename=holiday.de.vtt",
        data=vtt.encode(),
        headers=auth,
    )
    assert (await added.get_json())["label"] == "holiday.de"
    assert (await added.get_json())["language"] is None


async def test_only_the_uploader_or_people_in_its_room_may_add_tracks(
    client: Any, components: Components, media: MediaFixtures
) -> None:
    auth = await register_uploader(client)
    video_id = await _ready_video(client, components, auth, media.h264_mp4.read_bytes())
    url = f"/api/v1/videos/{video_id}/subtitles"
    stranger = await client.post(
        url, data=SUBTITLES_SRT.encode(), headers=await register_uploader(client, "stranger")
    )
    guest = await client.post(url, data=SUBTITLES_SRT.encode(), headers=await _guest(client))
    anonymous = await client.post(url, data=SUBTITLES_SRT.encode())
    assert stranger.status_code == 403
    assert guest.status_code == 403
    assert anonymous.status_code == 401
    for refused in (stranger, guest, anonymous):
        assert refused.headers["Content-Type"] == "application/problem+json"
    listed = await client.get(url, headers=auth)
    assert (await listed.get_json())["subtitles"] == []


@pytest.mark.parametrize(
    ("body", "query", "status", "code"),
    [
        (b"not subtitles at all", "", 422, "invalid_subtitles"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "", 422, "invalid_subtitles"),
        (SUBTITLES_SRT.encode(), "?language=not%20a%20tag", 422, "invalid_subtitles"),
        (b"1\n" * (MAX_SUBTITLE_BYTES // 2 + 1), "", 413, "too_large"),
    ],
)
async def test_bad_subtitle_files_are_refused_with_a_reason(
    client: Any,
    components: Components,
    media: MediaFixtures,
    body: bytes,
    query: str,
    status: int,
    code: str,
) -> None:
    auth = await register_uploader(client)
    video_id = await _ready_video(client, components, auth, media.h264_mp4.read_bytes())
    refused = await client.post(
        f"/api/v1/videos/{video_id}/subtitles{query}", data=body, headers=auth
    )
    assert refused.status_code == status
    assert (await refused.get_json())["code"] == code


async def test_unknown_videos_and_tracks_are_not_found(client: Any, components: Components) -> None:
    auth = await register_uploader(client)
    listed = await client.get("/api/v1/videos/nope/subtitles", headers=auth)
    added = await client.post("/api/v1/videos/nope/subtitles", data=b"x", headers=auth)
    grant_key = derive_key(components.services.settings.secret_key, "media-grants")
    grant = grants.issue(grant_key, "nope", components.services.clock.now_ms())
    track = await client.get(f"/media/g/{grant}/videos/nope/subtitles/missing.vtt")
    ungranted = await client.get("/media/videos/nope/subtitles/missing.vtt")
    sneaky = await client.get("/media/videos/nope/subtitles/..%2Fsource.vtt")
    statuses = [r.status_code for r in (listed, added, track, ungranted, sneaky)]
    assert statuses == [404, 404, 404, 403, 404]
