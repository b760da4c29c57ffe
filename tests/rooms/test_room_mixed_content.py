"""http:// media on an https deployment: refused when it is set, with the reason and
what to do instead; an http deployment plays it (its page's CSP admits http media)."""

from __future__ import annotations

import pytest

from syncwatch.errors import MixedContent
from syncwatch.protocol import messages as m
from syncwatch.protocol.server_messages import error_frame
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, identity, new_room, sent


def url_source(url: str, *, subtitle: str | None = None) -> m.SyncSource:
    tracks = [m.SubtitleTrackData(url=subtitle, label="English")] if subtitle else []
    data = m.SourceData(source_type="url", url=url, subtitles=tracks)
    return m.SyncSource(id="s1", type="sync:source", data=data)


def owner_in(room: RoomState) -> RoomState:
    room.join(T0, "c-a", identity("alice"))
    return room


def test_an_http_video_on_an_https_deployment_is_refused_with_reason_and_suggestion() -> None:
    room = owner_in(new_room(https_only=True))
    with pytest.raises(MixedContent) as refused:
        room.handle(T0, "c-a", url_source("http://media.example.org/clip.mp4"))
    frame = error_frame(refused.value, "s1").to_wire()
    assert frame["re"] == "s1"
    assert frame["data"]["code"] == "mixed_content"
    assert "mixed content" in frame["data"]["message"]
    assert "https://" in frame["data"]["suggestion"]
    assert room.sequence_number == 0  # nothing changed, no number consumed


def test_an_http_subtitle_beside_an_https_video_is_refused_on_an_https_deployment() -> None:
    room = owner_in(new_room(https_only=True))
    with pytest.raises(MixedContent) as refused:
        room.handle(
            T0,
            "c-a",
            url_source("https://media.example.org/clip.mp4", subtitle="http://s.example/a.vtt"),
        )
    assert refused.value.extra["errors"][0]["field"] == "subtitles.0.url"


def test_https_links_play_on_an_https_deployment() -> None:
    room = owner_in(new_room(https_only=True))
    effects = room.handle(T0, "c-a", url_source("https://media.example.org/clip.mp4"))
    assert sent(effects, "sync:command")
    assert room.playback.source_id == "https://media.example.org/clip.mp4"


def test_an_http_deployment_plays_http_links() -> None:
    room = owner_in(new_room(https_only=False))
    effects = room.handle(
        T0,
        "c-a",
        url_source("http://media.example.org/clip.mp4", subtitle="http://s.example/a.vtt"),
    )
    assert sent(effects, "sync:command")
    assert room.playback.source_id == "http://media.example.org/clip.mp4"
