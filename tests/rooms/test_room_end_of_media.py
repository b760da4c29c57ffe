"""The end of the video: the room learns its length, stops there, shows nothing past it.

The pure core is driven with explicit times (epoch ms); the actor test runs a
whole clip on `MockClock(autojump_threshold=0)`.
"""

from __future__ import annotations

import pytest
import trio
import trio.testing

from syncwatch.errors import SequenceConflict, ValidationFailed
from syncwatch.protocol import messages as m
from syncwatch.protocol.server_messages import SyncCommand, SyncDuration
from syncwatch.rooms.core.effects import LookUpDuration
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.core.snapshot import Snapshot
from syncwatch.rooms.core.state import RoomState
from syncwatch.rooms.core.sync_math import PlaybackState
from syncwatch.store.repositories.videos import NewVideo
from tests.support.room_actors import FakeOutlet, World, frame, keep_beating
from tests.support.rooms import T0, identity, new_room, pause, play, seek, sent, source

CLIP_MS = 30_000.0


def url_source(url: str = "https://cdn.example.org/clip.mp4") -> m.SyncSource:
    return m.SyncSource(id="src", type="sync:source", data=m.SourceData(source_type="url", url=url))


def duration_report(
    duration_ms: float, source_id: str = "https://cdn.example.org/clip.mp4", id: str = "d1"
) -> m.SyncDurationReport:
    return m.SyncDurationReport(
        id=id,
        type="sync:duration",
        data=m.DurationReportData(source_id=source_id, duration_ms=duration_ms),
    )


def relative_seek(delta_ms: float, id: str = "s1") -> m.SyncSeek:
    return m.SyncSeek(id=id, type="sync:seek", data=m.SeekData(delta_ms=delta_ms))


def room_with_clip() -> RoomState:
    """Alice (owner) and Bob watch a 30 s URL clip whose length Alice's player reported."""
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    room.handle(T0, "c-a", url_source())
    room.handle(T0, "c-a", duration_report(CLIP_MS))
    return room


def commands(effects: list) -> list[SyncCommand]:  # type: ignore[type-arg]
    return [s.message for s in sent(effects, "sync:command")]  # type: ignore[misc]


# --- learning the length ---------------------------------------------------------------


def test_the_first_report_from_a_player_in_control_sets_the_length_for_everyone() -> None:
    room = new_room()  # owner-only playback: Bob may not control it
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    room.handle(T0, "c-a", url_source())

    # Bob cannot stop everyone's video with a made-up length while Alice is here.
    made_up = room.handle(T0 + 50, "c-b", duration_report(1_000))
    assert sent(made_up, "sync:duration") == []
    assert room.playback.duration_ms is None
    [ack] = sent(made_up, "ack")
    assert ack.message.data == {"durationMs": None}  # type: ignore[attr-defined]

    effects = room.handle(T0 + 100, "c-a", duration_report(CLIP_MS))

    [told] = sent(effects, "sync:duration")
    assert told.to == ("c-a", "c-b")
    assert isinstance(told.message, SyncDuration)
    assert told.message.data.duration_ms == CLIP_MS
    assert room.playback.duration_ms == CLIP_MS
    # A later, slightly different report changes nothing.
    again = room.handle(T0 + 200, "c-a", duration_report(29_990))
    assert sent(again, "sync:duration") == []
    assert room.playback.duration_ms == CLIP_MS
    [ack] = sent(again, "ack")
    assert ack.message.data == {"durationMs": CLIP_MS}  # type: ignore[attr-defined]


def test_any_members_player_tells_the_length_when_everyone_may_control_playback() -> None:
    room = new_room(playback_control="all")
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    room.handle(T0, "c-a", url_source())
    told = room.handle(T0 + 100, "c-b", duration_report(CLIP_MS))
    assert sent(told, "sync:duration")
    assert room.playback.duration_ms == CLIP_MS


def test_with_nobody_in_control_present_a_members_player_tells_the_length() -> None:
    room = new_room(auto_handover=False)
    room.join(T0, "c-a", identity("alice"))
    room.join(T0, "c-b", identity("bob"))
    room.handle(T0, "c-a", url_source())
    room.leave(T0 + 10, "c-a")
    told = room.handle(T0 + 100, "c-b", duration_report(CLIP_MS))
    assert sent(told, "sync:duration")
    assert room.playback.duration_ms == CLIP_MS


def test_a_report_about_a_video_no_longer_playing_is_a_conflict() -> None:
    room = room_with_clip()
    room.handle(T0, "c-a", url_source("https://cdn.example.org/other.mp4"))
    assert room.playback.duration_ms is None  # a new video's length is learnt afresh
    with pytest.raises(SequenceConflict):
        room.handle(T0, "c-b", duration_report(CLIP_MS))


def test_a_report_of_no_length_or_an_absurd_one_is_refused_by_the_protocol() -> None:
    for bad in ('{"sourceId":"x","durationMs":0}', '{"sourceId":"x","durationMs":1e12}'):
        with pytest.raises(Exception, match="durationMs"):
            frame(f'{{"type":"sync:duration","id":"d","data":{bad}}}')


def test_an_upload_asks_the_actor_for_its_probed_length() -> None:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    effects = room.handle(T0, "c-a", source("vid-9"))
    assert LookUpDuration("vid-9") in effects
    learnt = room.learn_duration(T0 + 5, "vid-9", CLIP_MS)
    assert room.playback.duration_ms == CLIP_MS
    assert sent(learnt, "sync:duration")
    # The probe of a video replaced meanwhile is ignored.
    room.handle(T0 + 10, "c-a", source("vid-10"))
    assert room.learn_duration(T0 + 20, "vid-9", CLIP_MS) == []
    assert room.playback.duration_ms is None


# --- stopping at the end ----------------------------------------------------------------


def test_playing_from_27_s_the_room_pauses_exactly_at_the_end_for_everyone() -> None:
    room = room_with_clip()
    room.handle(T0 + 1_000, "c-a", seek(27_000))
    room.handle(T0 + 1_000, "c-a", play())
    started = room.playback.anchor_server_time_ms
    end = started + 3_000
    assert room.next_deadline_ms() == end

    assert commands(room.tick(end - 1)) == []
    effects = room.tick(end)
    [command] = commands(effects)
    assert command.data.type == "PAUSE"
    assert command.data.reason == "ended"
    assert command.data.issued_by == "system"
    assert command.data.state.is_playing is False
    assert command.data.state.anchor_media_time_ms == CLIP_MS
    assert sent(effects, "sync:command")[0].to == ("c-a", "c-b")
    assert room.phase == "PAUSED"
    [line] = [s.message for s in sent(effects, "chat:message")]
    assert line.data.event.kind == "ended"  # type: ignore[attr-defined]


def test_no_position_is_ever_past_the_end_even_before_the_pause_is_issued() -> None:
    room = room_with_clip()
    room.handle(T0, "c-a", seek(27_000))
    room.handle(T0, "c-a", play())
    for later_ms in (3_000, 20_000, 3_600_000):
        assert room.playback.position_at(room.playback.anchor_server_time_ms + later_ms) == CLIP_MS


def test_a_reload_after_the_end_shows_the_end() -> None:
    room = room_with_clip()
    room.handle(T0, "c-a", seek(29_000))
    room.handle(T0, "c-a", play())
    room.tick(T0 + 5_000)
    restored = RoomState(room.settings, Snapshot.from_json(room.snapshot().to_json()))
    effects = restored.join(T0 + 60_000, "c-a2", identity("alice"))
    welcome = next(e for e in effects if type(e).__name__ == "SendWelcome")
    state = welcome.welcome.state  # type: ignore[attr-defined]
    assert state.is_playing is False
    assert state.anchor_media_time_ms == CLIP_MS
    assert state.duration_ms == CLIP_MS


def test_a_length_learnt_late_stops_a_room_already_past_it() -> None:
    room = new_room()
    room.join(T0, "c-a", identity("alice"))
    room.handle(T0, "c-a", url_source())
    room.handle(T0, "c-a", play())
    effects = room.handle(T0 + 45_000, "c-a", duration_report(CLIP_MS))
    [command] = commands(effects)
    assert command.data.reason == "ended"
    assert room.playback.position_at(T0 + 50_000) == CLIP_MS


def test_play_at_the_end_is_a_replay_from_the_beginning() -> None:
    room = room_with_clip()
    room.handle(T0, "c-a", seek(29_500))
    room.handle(T0, "c-a", play())
    room.tick(T0 + 10_000)
    effects = room.handle(T0 + 20_000, "c-a", play())
    [command] = commands(effects)
    assert command.data.type == "PLAY"
    assert command.data.state.anchor_media_time_ms == 0
    assert command.data.state.is_playing


def test_pausing_after_the_end_keeps_the_end() -> None:
    room = room_with_clip()
    room.handle(T0, "c-a", play())
    effects = room.handle(T0 + 40_000, "c-a", pause())
    [command] = commands(effects)
    assert command.data.state.anchor_media_time_ms == CLIP_MS


# --- seeks ------------------------------------------------------------------------------


def test_a_seek_past_the_end_lands_on_the_end() -> None:
    room = room_with_clip()
    effects = room.handle(T0, "c-a", seek(47_000))
    [command] = commands(effects)
    assert command.data.target_media_time_ms == CLIP_MS
    assert command.data.state.anchor_media_time_ms == CLIP_MS


def test_six_presses_of_plus_5_at_0_17_stop_at_the_end_and_one_minus_5_moves_back() -> None:
    room = room_with_clip()
    room.handle(T0, "c-a", seek(17_000))
    for n in range(6):
        room.handle(T0 + 10 * n, "c-a", relative_seek(5_000, id=f"f{n}"))
    assert room.playback.anchor_media_time_ms == CLIP_MS
    room.handle(T0 + 100, "c-a", relative_seek(-5_000))
    assert room.playback.anchor_media_time_ms == CLIP_MS - 5_000


def test_a_seek_that_moves_nothing_is_a_command_without_a_chat_line() -> None:
    room = room_with_clip()
    room.handle(T0, "c-a", seek(CLIP_MS))
    # Paused at the end, +5 s: the command answers (every client expects one), but
    # "jumped to 0:30" again would be noise in the chat.
    effects = room.handle(T0 + 100, "c-a", relative_seek(5_000))
    [command] = commands(effects)
    assert command.data.target_media_time_ms == CLIP_MS
    assert sent(effects, "chat:message") == []
    # A seek that moves still gets its line.
    moved = room.handle(T0 + 200, "c-a", relative_seek(-5_000, id="s2"))
    [line] = [s.message for s in sent(moved, "chat:message")]
    assert line.data.event.kind == "seek"  # type: ignore[attr-defined]


def test_rapid_relative_seeks_all_count_even_before_the_first_takes_effect() -> None:
    room = room_with_clip()
    room.handle(T0, "c-a", seek(10_000))
    # Two presses of -5 s within 100 ms: the second arrives before the first's atServerTime.
    first = commands(room.handle(T0 + 1_000, "c-a", relative_seek(-5_000, id="b1")))[0]
    second = commands(room.handle(T0 + 1_060, "c-a", relative_seek(-5_000, id="b2")))[0]
    assert first.data.target_media_time_ms == 5_000
    assert second.data.target_media_time_ms == 0
    # Below zero a relative seek stops at the beginning.
    third = commands(room.handle(T0 + 1_100, "c-a", relative_seek(-5_000, id="b3")))[0]
    assert third.data.target_media_time_ms == 0


def test_relative_seeks_while_playing_count_from_the_position_when_they_take_effect() -> None:
    room = room_with_clip()
    room.handle(T0, "c-a", play())
    at = room.playback.anchor_server_time_ms
    command = commands(room.handle(at + 4_000, "c-a", relative_seek(5_000)))[0]
    # 4 s played, plus the lead until this seek takes effect, plus 5 s.
    assert command.data.target_media_time_ms == pytest.approx(4_000 + room.lead_ms() + 5_000, abs=1)


def test_a_negative_absolute_seek_is_still_a_validation_error() -> None:
    room = room_with_clip()
    with pytest.raises(ValidationFailed):
        room.handle(T0, "c-a", seek(-1))


def test_a_seek_names_exactly_one_target() -> None:
    for data in ("{}", '{"targetMediaTimeMs":1,"deltaMs":1}'):
        with pytest.raises(Exception, match="exactly one"):
            frame(f'{{"type":"sync:seek","id":"s","data":{data}}}')


def test_positions_are_clamped_only_below_while_the_length_is_unknown() -> None:
    state = PlaybackState(room_id="r", is_playing=True, anchor_server_time_ms=0)
    assert state.position_at(90_000) == 90_000
    assert state.sought(0, -5).anchor_media_time_ms == 0


# --- the actor, on the mock clock -------------------------------------------------------


async def test_the_room_stops_at_the_end_of_a_clip_on_the_mock_clock(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    room = await world.registry.room_for(record)
    owner, bob = FakeOutlet(), FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    await room.join(bob, Joiner("bob", "Bob", False))
    world.nursery.start_soon(keep_beating, room, owner)
    world.nursery.start_soon(keep_beating, room, bob)
    url = "https://cdn.example.org/clip.mp4"
    room.submit(
        owner.conn_id,
        frame(f'{{"type":"sync:source","id":"s","data":{{"sourceType":"url","url":"{url}"}}}}'),
    )
    room.submit(
        owner.conn_id,
        frame(
            f'{{"type":"sync:duration","id":"d","data":{{"sourceId":"{url}","durationMs":4000}}}}'
        ),
    )
    await owner.reply_to("d")
    room.submit(owner.conn_id, frame('{"type":"sync:play","id":"p","data":{}}'))
    await owner.reply_to("p")
    played_at = trio.current_time()

    with trio.fail_after(60):
        while not any(
            f["type"] == "sync:command" and f["data"].get("reason") == "ended"
            for _, f in bob.frames
        ):
            await trio.sleep(0.05)
    ended_at, ended = next(
        (t, f) for t, f in bob.frames if f["type"] == "sync:command" and f["data"].get("reason")
    )
    # 4 s of clip after the PLAY's lead (80..400 ms): the room stops on time, not later.
    assert 4.0 <= ended_at - played_at <= 4.5
    assert ended["data"]["state"]["anchorMediaTimeMs"] == 4000
    assert ended["data"]["state"]["isPlaying"] is False
    assert room.state.phase == "PAUSED"


async def test_an_uploads_probed_length_reaches_everyone_after_its_set_source(
    world: World, autojump_clock: trio.testing.MockClock
) -> None:
    record = await world.new_room()
    repos = world.services.repositories
    video_id = "vid-probed"
    await repos.videos.create_pending(
        NewVideo(
            id=video_id,
            uploader_id=record.owner_id,
            room_code=record.code,
            filename="clip.mp4",
            size=1000,
            source_key=f"uploads/{video_id}",
            expires_at=world.services.clock.now_ms() + 3_600_000,
        ),
        duration_ms=4_000,
        media_info_json="{}",
        now_ms=world.services.clock.now_ms(),
    )
    room = await world.registry.room_for(record)
    owner = FakeOutlet()
    await room.join(owner, Joiner(record.owner_id, "ann", False))
    room.submit(
        owner.conn_id,
        frame(
            f'{{"type":"sync:source","id":"s","data":{{"sourceType":"upload","sourceId":"{video_id}"}}}}'
        ),
    )
    _, told = await owner.wait_for("sync:duration", limit_s=10)
    assert told["data"] == {"sourceId": video_id, "durationMs": 4000}
    assert room.state.playback.duration_ms == 4000
