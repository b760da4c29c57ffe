"""Test kit for the room core: a room, identities, request builders and ways to read effects."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from syncwatch.protocol import messages as m
from syncwatch.protocol.wire import WireModel
from syncwatch.rooms.core.effects import Effect, Send, SendWelcome, StoreChat
from syncwatch.rooms.core.presence import Joiner
from syncwatch.rooms.core.state import RoomSettings, RoomState

T0 = 1_700_000_000_000  # a fixed "now" in epoch ms


def settings(**overrides: object) -> RoomSettings:
    values: dict[str, object] = {
        "id": "room-1",
        "code": "ABCDEFGH",
        "name": "Movie night",
        "creator_subject_id": "alice",
        "max_participants": 5,
        "created_at": T0 - 60_000,
        "playback_control": "owner_only",
    }
    values.update(overrides)
    return RoomSettings(**values)  # type: ignore[arg-type]


def identity(subject: str, *, guest: bool = False) -> Joiner:
    return Joiner(subject_id=subject, display_name=subject.title(), is_guest=guest)


def counter_ids() -> Iterator[str]:
    return (f"msg-{n:06d}" for n in itertools.count(1))


def new_room(**overrides: object) -> RoomState:
    ids = counter_ids()
    return RoomState(settings(**overrides), new_id=lambda: next(ids))


def flatten(effects: Iterable[Effect]) -> list[Effect]:
    """Effects in the order the actor performs them, StoreChat follow-ups included."""
    flat: list[Effect] = []
    for effect in effects:
        flat.append(effect)
        if isinstance(effect, StoreChat):
            flat += flatten(effect.then)
    return flat


def sent(effects: Iterable[Effect], message_type: str | None = None) -> list[Send]:
    return [
        e
        for e in flatten(effects)
        if isinstance(e, Send) and (message_type is None or e.message.type == message_type)
    ]


def received(effects: Iterable[Effect], conn_id: str) -> list[WireModel]:
    """What one connection receives, in order (the welcome included)."""
    out: list[WireModel] = []
    for effect in flatten(effects):
        if isinstance(effect, Send) and conn_id in effect.to:
            out.append(effect.message)
        if isinstance(effect, SendWelcome) and effect.conn_id == conn_id:
            from syncwatch.protocol.server_messages import Welcome

            out.append(Welcome(data=effect.welcome))
    return out


def types_for(effects: Iterable[Effect], conn_id: str) -> list[str]:
    return [str(message.type) for message in received(effects, conn_id)]  # type: ignore[attr-defined]


def frame(text: str) -> m.RoomMessage:
    parsed = m.parse_client_frame(text)
    assert not isinstance(parsed, m.Hello | m.TimePing)
    return parsed


def play(id: str | None = "c1", **data: object) -> m.SyncPlay:
    return m.SyncPlay(id=id, type="sync:play", data=m.PlayData(**data))


def pause(id: str | None = "c1", **data: object) -> m.SyncPause:
    return m.SyncPause(id=id, type="sync:pause", data=m.PauseData(**data))


def seek(target: float, id: str | None = "c1", **data: object) -> m.SyncSeek:
    return m.SyncSeek(id=id, type="sync:seek", data=m.SeekData(target_media_time_ms=target, **data))


def rate(value: float, id: str | None = "c1", **data: object) -> m.SyncRate:
    return m.SyncRate(id=id, type="sync:rate", data=m.RateData(rate=value, **data))


def source(video: str = "vid-1", id: str | None = "c1", **data: object) -> m.SyncSource:
    return m.SyncSource(
        id=id,
        type="sync:source",
        data=m.SourceData(source_type="upload", source_id=video, **data),
    )


def heartbeat() -> m.Heartbeat:
    return m.Heartbeat(type="presence:heartbeat")
