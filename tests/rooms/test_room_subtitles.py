"""Subtitle tracks of the room's source: set with the source, replaced later, shown
to everyone and to whoever joins, kept across restarts, and never a new command."""

from __future__ import annotations

import pytest

from syncwatch.errors import Forbidden, NoSource, SequenceConflict, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.protocol.server_messages import SubtitlesChanged, SystemEvent, Welcome
from syncwatch.rooms.core.effects import SaveSnapshot
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomState
from syncwatch.rooms.core.subtitle_track import SubtitleTrack
from tests.support.rooms import T0, identity, new_room, received, sent, settings

FILM = "https://cdn.example.org/films/night.mp4"
ENGLISH = {
    "url": "https://cdn.example.org/films/night.en.vtt",
    "label": "English",
    "language": "en",
}
GERMAN = {
    "url": "https://subs.example.net/night.de.VTT?sig=1",
    "label": "Deutsch",
    "language": "de",
}


def tracks(*entries: dict[str, str]) -> list[m.SubtitleTrackData]:
    return [m.SubtitleTrackData(**entry) for entry in entries]  # type: ignore[arg-type]


def url_source(*entries: dict[str, str], url: str = FILM, id: str = "s1") -> m.SyncSource:
    data = m.SourceData(source_type="url", url=url, subtitles=tracks(*entries))
    return m.SyncSource(id=id, type="sync:source", data=data)


def upload_source(video: str, *entries: dict[str, str]) -> m.SyncSource:
    data = m.SourceData(source_type="upload", source_id=video, subtitles=tracks(*entries))
    return m.SyncSource(id="s1", type="sync:source", data=data)


def set_subtitles(
    *entries: dict[str, str], source_id: str | None = None, id: str = "t1"
) -> m.SyncSubtitles:
    data = m.SubtitlesData(subtitles=tracks(*entries), source_id=source_id)
    return m.SyncSubtitles(id=id, type="sync:subtitles", data=data)


def room_of_two(**overrides: object) -> RoomState:
    room = new_room(**overrides)
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    return room


def announced(effects: list, conn_id: str) -> list[list[str]]:  # type: ignore[type-arg]
    return [
        [track.label for track in message.data.subtitles]
        for message in received(effects, conn_id)
        if isinstance(message, SubtitlesChanged)
    ]


def test_a_source_comes_with_its_tracks_and_everyone_hears_them_after_the_command() -> None:
    room = room_of_two()
    effects = room.handle(T0, "c-a", url_source(ENGLISH, GERMAN))
    kinds = [type(message).__name__ for message in received(effects, "c-b")]
    assert kinds.index("SyncCommand") < kinds.index("SubtitlesChanged")
    [change] = sent(effects, "room:subtitles")
    assert change.to == ("c-a", "c-b")
    assert change.message.data.source_id == FILM  # type: ignore[attr-defined]
    assert announced(effects, "c-b") == [["English", "Deutsch"]]


def test_a_new_source_without_tracks_clears_the_old_ones() -> None:
    room = room_of_two()
    room.handle(T0, "c-a", url_source(ENGLISH))
    effects = room.handle(T0 + 1, "c-a", url_source(url="https://cdn.example.org/b.mp4", id="s2"))
    assert announced(effects, "c-b") == [[]]
    assert room.snapshot().subtitles == ()


def test_tracks_are_replaced_without_a_command_and_with_a_system_line() -> None:
    room = room_of_two()
    room.handle(T0, "c-a", url_source(ENGLISH))
    before = room.snapshot().sequence_number
    effects = room.handle(T0 + 1, "c-a", set_subtitles(ENGLISH, GERMAN, source_id=FILM))
    assert room.snapshot().sequence_number == before
    assert sent(effects, "sync:command") == []
    assert isinstance(effects[0], SaveSnapshot)
    assert announced(effects, "c-a") == [["English", "Deutsch"]]
    [ack] = sent(effects, "ack")
    assert ack.message.data == {"subtitles": 2}  # type: ignore[attr-defined]
    [line] = sent(effects, "chat:message")
    event = line.message.data.event  # type: ignore[attr-defined]
    assert event == SystemEvent(kind="subtitles", user_id="alice", username="Alice")


def test_whoever_joins_later_or_after_a_restart_gets_the_tracks_in_the_welcome() -> None:
    room = room_of_two()
    room.handle(T0, "c-a", url_source(ENGLISH, GERMAN))
    restored = RoomState(settings(), Snapshot.from_json(room.snapshot().to_json()))
    assert restored.snapshot().subtitles == (
        SubtitleTrack(ENGLISH["url"], "English", "en"),
        SubtitleTrack(GERMAN["url"], "Deutsch", "de"),
    )
    for state in (room, restored):
        effects = state.join(T0 + 5, "c-c", identity("carol"))
        [welcome] = [x for x in received(effects, "c-c") if isinstance(x, Welcome)]
        assert [t.label for t in welcome.data.subtitles] == ["English", "Deutsch"]


def test_an_older_snapshot_without_tracks_still_loads() -> None:
    room = room_of_two()
    room.handle(T0, "c-a", url_source())
    text = room.snapshot().to_json().replace(',"subtitles":[]', "")
    assert '"subtitles"' not in text
    assert Snapshot.from_json(text).subtitles == ()


def test_an_uploaded_video_takes_only_its_own_tracks() -> None:
    room = room_of_two()
    own = {"url": "/media/videos/vid-1/subtitles/0190abcd.vtt", "label": "eng"}
    room.handle(T0, "c-a", upload_source("vid-1", own))
    assert [t.url for t in room.snapshot().subtitles] == [own["url"]]
    for foreign in (
        "/media/videos/vid-2/subtitles/0190abcd.vtt",
        "https://cdn.example.org/x.vtt",
        "/media/videos/vid-1/hls/master.m3u8",
    ):
        with pytest.raises(ValidationFailed):
            room.handle(T0, "c-a", set_subtitles({"url": foreign, "label": "x"}))


@pytest.mark.parametrize(
    ("track", "field"),
    [
        ({"url": "javascript:alert(1)//.vtt", "label": "x"}, "subtitles.0.url"),
        ({"url": "ftp://files.example.org/a.vtt", "label": "x"}, "subtitles.0.url"),
        ({"url": "https://cdn.example.org/a.srt", "label": "x"}, "subtitles.0.url"),
        ({"url": "https://cdn.example.org/a.vtt", "label": "   "}, "subtitles.0.label"),
        (
            {"url": "https://cdn.example.org/a.vtt", "label": "x", "language": "x y"},
            "subtitles.0.language",
        ),
    ],
)
def test_bad_tracks_are_refused_and_change_nothing(track: dict[str, str], field: str) -> None:
    room = room_of_two()
    room.handle(T0, "c-a", url_source(ENGLISH))
    before = room.snapshot()
    with pytest.raises(ValidationFailed) as refused:
        room.handle(T0 + 1, "c-a", set_subtitles(track))
    assert refused.value.extra["errors"][0]["field"] == field
    with pytest.raises(ValidationFailed):
        room.handle(T0 + 1, "c-a", url_source(track, id="s2"))
    assert room.snapshot() == before


def test_the_same_track_twice_or_too_many_tracks_are_refused() -> None:
    room = room_of_two()
    with pytest.raises(ValidationFailed):
        room.handle(T0, "c-a", url_source(ENGLISH, ENGLISH))
    many = [{"url": f"https://cdn.example.org/{n}.vtt", "label": str(n)} for n in range(17)]
    with pytest.raises(ValidationFailed):
        room.handle(T0, "c-a", url_source(*many))
    assert room.snapshot().sequence_number == 0


def test_youtube_videos_take_no_tracks() -> None:
    room = room_of_two()
    data = m.SourceData(source_type="youtube", video_id="dQw4w9WgXcQ", subtitles=tracks(ENGLISH))
    with pytest.raises(ValidationFailed):
        room.handle(T0, "c-a", m.SyncSource(id="s", type="sync:source", data=data))


def test_only_people_with_playback_control_change_tracks_and_only_for_a_loaded_video() -> None:
    room = room_of_two()
    with pytest.raises(NoSource):
        room.handle(T0, "c-a", set_subtitles(ENGLISH))
    room.handle(T0, "c-a", url_source())
    with pytest.raises(Forbidden):
        room.handle(T0, "c-b", set_subtitles(ENGLISH))
    with pytest.raises(SequenceConflict):
        room.handle(T0, "c-a", set_subtitles(ENGLISH, source_id="https://cdn.example.org/old.mp4"))
    everyone = room_of_two(playback_control="all")
    everyone.handle(T0, "c-a", url_source())
    assert announced(everyone.handle(T0, "c-b", set_subtitles(ENGLISH)), "c-a") == [["English"]]


def test_the_frames_parse_from_the_wire_in_camel_case() -> None:
    parsed = m.parse_client_frame(
        '{"type":"sync:subtitles","id":"x","data":{"sourceId":"https://a.test/v.mp4",'
        '"subtitles":[{"url":"https://a.test/v.vtt","label":"English","language":"en"}]}}'
    )
    assert isinstance(parsed, m.SyncSubtitles)
    assert parsed.data.source_id == "https://a.test/v.mp4"
    assert parsed.data.subtitles[0].language == "en"
    source = m.parse_client_frame(
        '{"type":"sync:source","id":"y","data":{"sourceType":"url","url":"https://a.test/v.mp4"}}'
    )
    assert isinstance(source, m.SyncSource)
    assert source.data.subtitles == []
