"""`media:failed`: a player that cannot play the source tells the room once per reason,
in a system line everyone reads, so the owner can set another video."""

from __future__ import annotations

import pytest

from syncwatch.errors import NoSource, RateLimited, SequenceConflict
from syncwatch.protocol import messages as m
from syncwatch.protocol.server_messages import ChatMessage
from syncwatch.rooms.core.effects import Audit
from syncwatch.rooms.core.state import RoomState
from tests.support.rooms import T0, flatten, identity, new_room, play, sent, source

FILM = "https://cdn.example.org/films/night.mp4"


def failed(reason: str, source_id: str = FILM, id: str | None = "f1") -> m.MediaFailed:
    return m.MediaFailed(
        id=id,
        type="media:failed",
        data=m.MediaFailedData(source_id=source_id, reason=reason),  # type: ignore[arg-type]
    )


def url_source(url: str = FILM) -> m.SyncSource:
    data = m.SourceData(source_type="url", url=url)
    return m.SyncSource(id="s1", type="sync:source", data=data)


def room_playing_a_link() -> RoomState:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    room.join(T0, "c-g", identity("guest-1", guest=True))
    room.handle(T0, "c-a", url_source())
    return room


def lines(effects: list) -> list[dict]:  # type: ignore[type-arg]
    return [
        s.message.data.event.to_wire()  # type: ignore[union-attr]
        for s in sent(effects, "chat:message")
        if isinstance(s.message, ChatMessage) and s.message.data.event is not None
    ]


def test_a_failure_is_a_system_line_everyone_reads_naming_who_and_why() -> None:
    room = room_playing_a_link()
    effects = room.handle(T0 + 1000, "c-b", failed("not_found"))
    told = sent(effects, "chat:message")
    assert len(told) == 1
    assert set(told[0].to) == {"c-a", "c-b", "c-g"}
    assert lines(effects) == [
        {
            "kind": "media_failed",
            "userId": "bob",
            "username": "Bob",
            "sourceType": "url",
            "reason": "not_found",
        }
    ]
    assert [s.message.to_wire() for s in sent(effects, "ack")] == [
        {"type": "ack", "re": "f1", "data": {"told": True}}
    ]
    audits = [e for e in flatten(effects) if isinstance(e, Audit)]
    assert [(a.event_type, a.metadata["reason"]) for a in audits] == [
        ("playback.media_failed", "not_found")
    ]


def test_a_file_that_plays_only_from_the_start_is_told_and_keeps_playing() -> None:
    # A server that ignores range requests: the page can play it, not jump in it.
    room = room_playing_a_link()
    room.handle(T0, "c-a", play("p1"))
    effects = room.handle(T0 + 1000, "c-b", failed("not_seekable"))
    assert [line["reason"] for line in lines(effects)] == ["not_seekable"]
    assert room.playback.is_playing


def test_the_same_reason_for_the_same_source_is_told_once() -> None:
    room = room_playing_a_link()
    room.handle(T0, "c-a", failed("forbidden"))
    again = room.handle(T0 + 10, "c-b", failed("forbidden"))
    assert lines(again) == []
    assert sent(again, "ack")[0].message.to_wire()["data"] == {"told": False}
    other_reason = room.handle(T0 + 20, "c-g", failed("unsupported_codec"))
    assert [line["reason"] for line in lines(other_reason)] == ["unsupported_codec"]


def test_a_new_source_is_told_again_even_when_it_is_the_same_link() -> None:
    room = room_playing_a_link()
    room.handle(T0, "c-b", failed("not_found"))
    room.handle(T0 + 100, "c-a", url_source())
    assert lines(room.handle(T0 + 200, "c-b", failed("not_found")))


def test_a_report_about_a_replaced_video_is_a_conflict() -> None:
    room = room_playing_a_link()
    room.handle(T0 + 100, "c-a", url_source("https://cdn.example.org/other.mp4"))
    with pytest.raises(SequenceConflict):
        room.handle(T0 + 200, "c-b", failed("not_found"))


def test_without_a_source_there_is_nothing_to_fail() -> None:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    with pytest.raises(NoSource):
        room.handle(T0, "c-a", failed("not_found"))


def test_reports_are_rate_limited_per_member() -> None:
    room = room_playing_a_link()
    reasons = ["not_found", "forbidden", "unreachable", "not_a_video", "hls_cors", "drm"] * 2
    for n, reason in enumerate(reasons[:10]):
        room.handle(T0 + n, "c-b", failed(reason))
    with pytest.raises(RateLimited):
        room.handle(T0 + 10, "c-b", failed("unknown"))
    # Alice is not limited by Bob's reports, and a minute later Bob may report again.
    assert lines(room.handle(T0 + 20, "c-a", failed("unknown")))
    room.handle(T0 + 60_010, "c-b", failed("mixed_content"))


def test_an_unknown_reason_is_a_bad_message_answering_the_id() -> None:
    from syncwatch.errors import BadMessage

    with pytest.raises(BadMessage) as refused:
        m.parse_client_frame(
            '{"type":"media:failed","id":"f9","data":{"sourceId":"x","reason":"gremlins"}}'
        )
    assert refused.value.reply_to == "f9"
    assert "reason" in refused.value.detail


def test_an_uploaded_source_reports_too() -> None:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    room.handle(T0, "c-a", source("vid-9"))
    effects = room.handle(T0, "c-a", failed("unsupported_codec", source_id="vid-9"))
    assert [line["sourceType"] for line in lines(effects)] == ["upload"]
