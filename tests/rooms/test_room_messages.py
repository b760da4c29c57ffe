from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from syncwatch.errors import BadMessage
from syncwatch.protocol import messages as m
from syncwatch.protocol import server_messages as out
from syncwatch.protocol.schema import protocol_json_schema
from syncwatch.protocol.version import PROTOCOL_VERSION, negotiate
from syncwatch.rooms.core.sync_math import PlaybackState

REPO = Path(__file__).resolve().parents[2]


def test_client_frames_are_camel_case_and_normalised() -> None:
    parsed = m.parse_client_frame(
        '{"type":"sync:seek","id":"42","data":{"targetMediaTimeMs":1500.5,"expectedSeq":3,'
        '"idempotencyKey":"k-1"}}'
    )
    assert isinstance(parsed, m.SyncSeek)
    assert (parsed.id, parsed.data.target_media_time_ms, parsed.data.expected_seq) == (
        "42",
        1500.5,
        3,
    )
    assert parsed.data.idempotency_key == "k-1"


def test_messages_without_data_are_accepted() -> None:
    assert isinstance(m.parse_client_frame(b'{"type":"voice:join"}'), m.VoiceJoin)
    assert isinstance(m.parse_client_frame('{"type":"sync:play","data":{}}'), m.SyncPlay)


@pytest.mark.parametrize(
    ("data", "expected_id"),
    [
        ({"sourceType": "youtube", "videoId": "dQw4w9WgXcQ"}, "dQw4w9WgXcQ"),
        ({"sourceType": "url", "url": "https://example.org/a.mp4"}, "https://example.org/a.mp4"),
        ({"sourceType": "upload", "sourceId": "0190-video"}, "0190-video"),
    ],
)
def test_source_is_normalised_to_type_and_id(data: dict[str, str], expected_id: str) -> None:
    parsed = m.parse_client_frame(json.dumps({"type": "sync:source", "data": data}))
    assert isinstance(parsed, m.SyncSource)
    assert parsed.data.resolved_source_id() == expected_id


@pytest.mark.parametrize(
    ("frame", "says"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"data": {}}', "'type'"),
        ('{"type": "sync:teleport"}', "Unknown message type 'sync:teleport'"),
        ('{"type": "sync:seek", "data": {"targetMediaTimeMs": "soon"}}', "targetMediaTimeMs"),
        ('{"type": "sync:seek", "data": {}}', "targetMediaTimeMs"),
        ('{"type": "chat:message", "data": {"content": 5}}', "content"),
        ('{"type": "sync:source", "data": {"sourceType": "upload"}}', "sourceId"),
        ('{"type": "sync:source", "data": {"sourceType": "url", "url": "file:///x"}}', "http"),
        ('{"type": "room:kick", "data": {}}', "participantId"),
    ],
)
def test_bad_frames_raise_bad_message_naming_the_problem(frame: str, says: str) -> None:
    with pytest.raises(BadMessage) as caught:
        m.parse_client_frame(frame)
    assert caught.value.code == "bad_message"
    assert says in caught.value.detail


def test_deeply_nested_or_undecodable_frames_are_bad_messages() -> None:
    for frame in ("[" * 60_000, b"\xff\xfe{}"):
        with pytest.raises(BadMessage):
            m.parse_client_frame(frame)


def test_frame_limit_is_64_kib() -> None:
    assert m.MAX_FRAME_BYTES == 65536


def test_playback_state_is_camel_case_with_explicit_null_source() -> None:
    wire = out.PlaybackStateModel.of(PlaybackState(room_id="r")).to_wire()
    assert wire == {
        "roomId": "r",
        "sourceType": None,
        "sourceId": None,
        "isPlaying": False,
        "playbackRate": 1.0,
        "anchorServerTimeMs": 0,
        "anchorMediaTimeMs": 0.0,
        "sequenceNumber": 0,
    }


def test_error_frame_carries_code_re_and_current_seq() -> None:
    from syncwatch.errors import SequenceConflict

    wire = out.error_frame(SequenceConflict(7), re="abc").to_wire()
    assert wire["type"] == "error"
    assert wire["re"] == "abc"
    assert wire["data"]["code"] == "conflict"
    assert wire["data"]["currentSeq"] == 7


@pytest.mark.parametrize(
    ("client", "compatible", "deprecated"),
    [
        ("1.0.0", True, False),
        ("1.4.2", True, False),
        ("2.0.0", False, False),
        ("0.9.0", False, False),
    ],
)
def test_same_major_is_compatible(client: str, compatible: bool, deprecated: bool) -> None:
    result = negotiate(client)
    assert (result.compatible, result.deprecated) == (compatible, deprecated)


def test_an_older_minor_is_compatible_but_deprecated() -> None:
    result = negotiate("1.0.3", server_version="1.2.0")
    assert (result.compatible, result.deprecated) == (True, True)


@pytest.mark.parametrize("garbage", ["", "1", "1.0", "v1.0.0", "1.0.0-beta", "01.0.0"])
def test_a_garbage_version_is_a_bad_message(garbage: str) -> None:
    with pytest.raises(BadMessage):
        negotiate(garbage)


def test_schema_covers_every_message_in_both_directions() -> None:
    schema = protocol_json_schema()
    client_types = set(schema["$defs"]["ClientMessage"]["discriminator"]["mapping"])
    assert client_types == set(m.CLIENT_TYPES)
    server_refs = {
        ref["$ref"].rsplit("/", 1)[1] for ref in schema["$defs"]["ServerMessage"]["oneOf"]
    }
    assert {model.__name__ for model in out.SERVER_MESSAGE_MODELS} == server_refs
    assert schema["x-protocol-version"] == PROTOCOL_VERSION


def test_committed_schema_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "tasks" / "protocol_schema.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
