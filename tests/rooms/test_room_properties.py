"""Random interleavings from five clients: everyone connected always agrees with the server.

Each simulated client applies exactly what the effects deliver to its connection
(welcome, replayed and live `sync:command`s, closes), as the browser would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from syncwatch.errors import SyncWatchError
from syncwatch.protocol import messages as m
from syncwatch.protocol.server_messages import Ack, PlaybackStateModel, SyncCommand
from syncwatch.rooms.core.effects import Close, Effect, Send, SendWelcome
from tests.support.rooms import T0, flatten, identity, new_room

NAMES = ("alice", "bob", "carol", "dave", "erin")
KEYS = ("k1", "k2", "k3")


@dataclass
class Client:
    name: str
    conn_id: str | None = None
    state: PlaybackStateModel | None = None
    last_seq: int | None = None
    acks: dict[str, Ack] = field(default_factory=dict)
    pending_welcome: PlaybackStateModel | None = None


def command(kind: str, value: float, expected_seq: int | None, key: str | None) -> m.RoomMessage:
    options: dict[str, object] = {"expectedSeq": expected_seq, "idempotencyKey": key}
    data: dict[str, object] = {k: v for k, v in options.items() if v is not None}
    if kind == "sync:seek":
        data["targetMediaTimeMs"] = value * 1000 - 5_000  # sometimes negative: refused
    elif kind == "sync:rate":
        data["rate"] = value / 10  # 0..3: sometimes out of range: refused
    elif kind == "sync:source":
        data |= {"sourceType": "upload", "sourceId": f"video-{int(value)}"}
    parsed = m.parse_client_frame(json.dumps({"type": kind, "id": "req", "data": data}))
    assert not isinstance(parsed, m.Hello | m.TimePing)
    return parsed


class FiveClients(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.room = new_room(playback_control="all")
        self.now = T0
        self.clients = {name: Client(name) for name in NAMES}
        self.conn_counter = 0
        self.retired: set[str] = set()
        self.broadcast_seqs: list[int] = []
        self.first_results: dict[tuple[str, str], tuple[int, int]] = {}

    # --- delivery ---------------------------------------------------------------------

    def client_of(self, conn_id: str) -> Client | None:
        return next((c for c in self.clients.values() if c.conn_id == conn_id), None)

    def deliver(self, effects: list[Effect]) -> None:
        for effect in flatten(effects):
            if isinstance(effect, SendWelcome):
                client = self.client_of(effect.conn_id)
                assert client is not None
                welcome = effect.welcome
                if welcome.resume.mode == "snapshot":
                    client.state = welcome.state
                    client.last_seq = welcome.state.sequence_number
                else:
                    assert welcome.resume.from_seq == client.last_seq
                client.pending_welcome = welcome.state
            elif isinstance(effect, Close):
                client = self.client_of(effect.conn_id)
                if client is None:  # a replaced connection the client already let go of
                    assert effect.conn_id in self.retired
                else:
                    client.conn_id = None
            elif isinstance(effect, Send):
                message = effect.message
                if isinstance(message, SyncCommand):
                    seq = message.data.sequence_number
                    # Replays to a rejoining client repeat old numbers; only new ones count.
                    if not self.broadcast_seqs or seq > self.broadcast_seqs[-1]:
                        self.broadcast_seqs.append(seq)
                for conn_id in effect.to:
                    assert conn_id not in self.retired, "nothing is sent to a closed connection"
                    client = self.client_of(conn_id)
                    assert client is not None, f"message for a connection nobody holds: {conn_id}"
                    if isinstance(message, SyncCommand):
                        assert client.last_seq is not None
                        assert message.data.sequence_number == client.last_seq + 1
                        client.state = message.data.state
                        client.last_seq = message.data.sequence_number
                    elif isinstance(message, Ack):
                        client.acks[message.re] = message
        for client in self.clients.values():
            if client.pending_welcome is not None:
                assert client.state == client.pending_welcome, (
                    "replayed commands must end at the welcome state"
                )
                client.pending_welcome = None

    def advance(self, ms: int) -> None:
        self.now += ms

    # --- rules -----------------------------------------------------------------------

    @rule(name=st.sampled_from(NAMES), with_last_seq=st.booleans(), wait=st.integers(0, 3_000))
    def join(self, name: str, with_last_seq: bool, wait: int) -> None:
        self.advance(wait)
        client = self.clients[name]
        self.conn_counter += 1
        old_conn = client.conn_id
        if old_conn is not None:
            self.retired.add(old_conn)
        client.conn_id = f"conn-{self.conn_counter}"
        last_seq = client.last_seq if with_last_seq else None
        if last_seq is None:
            client.state, client.last_seq = None, None
        effects = self.room.join(self.now, client.conn_id, identity(name), last_seq=last_seq)
        if old_conn is not None:
            assert Close(old_conn, 4011, "replaced") in effects
        self.deliver(effects)

    @precondition(lambda self: any(c.conn_id for c in self.clients.values()))
    @rule(data=st.data(), wait=st.integers(0, 20_000))
    def disconnect(self, data: st.DataObject, wait: int) -> None:
        self.advance(wait)
        connected = [c for c in self.clients.values() if c.conn_id]
        client = data.draw(st.sampled_from(connected))
        conn_id = client.conn_id
        assert conn_id is not None
        client.conn_id = None  # the client keeps its state and last_seq for a rejoin
        self.deliver(self.room.leave(self.now, conn_id))

    @precondition(lambda self: any(c.conn_id for c in self.clients.values()))
    @rule(
        data=st.data(),
        kind=st.sampled_from(["sync:play", "sync:pause", "sync:seek", "sync:rate", "sync:source"]),
        value=st.integers(0, 30),
        expected=st.sampled_from(["none", "current", "stale"]),
        key=st.none() | st.sampled_from(KEYS),
        wait=st.integers(0, 2_000),
    )
    def send_command(
        self,
        data: st.DataObject,
        kind: str,
        value: int,
        expected: str,
        key: str | None,
        wait: int,
    ) -> None:
        self.advance(wait)
        client = data.draw(st.sampled_from([c for c in self.clients.values() if c.conn_id]))
        assert client.conn_id is not None
        current = self.room.sequence_number
        expected_seq = {"none": None, "current": current, "stale": max(0, current - 1)}[expected]
        if expected == "stale" and current == 0:
            expected_seq = current + 1
        message = command(kind, value, expected_seq, key)
        before = self.room.snapshot()
        remembered = self.first_results.get((client.name, key)) if key else None
        try:
            effects = self.room.handle(self.now, client.conn_id, message)
        except SyncWatchError:
            assert self.room.snapshot() == before, "a refusal must change nothing"
            assert remembered is None, "a remembered key must replay, never fail"
            return
        if remembered is not None and self.now - remembered[1] < 3_600_000:
            assert self.room.snapshot().playback == before.playback, "a replay changes nothing"
            assert effects == [
                Send((client.conn_id,), Ack(re="req", data={"sequenceNumber": remembered[0]}))
            ]
        else:
            assert self.room.sequence_number == current + 1
            if key is not None:
                self.first_results[(client.name, key)] = (self.room.sequence_number, self.now)
        self.deliver(effects)

    @precondition(lambda self: any(c.conn_id for c in self.clients.values()))
    @rule(data=st.data(), wait=st.integers(0, 10_000))
    def heartbeat(self, data: st.DataObject, wait: int) -> None:
        self.advance(wait)
        client = data.draw(st.sampled_from([c for c in self.clients.values() if c.conn_id]))
        assert client.conn_id is not None
        self.deliver(
            self.room.handle(self.now, client.conn_id, m.Heartbeat(type="presence:heartbeat"))
        )

    @rule(wait=st.integers(0, 30_000))
    def tick(self, wait: int) -> None:
        self.advance(wait)
        self.deliver(self.room.tick(self.now))

    # --- invariants ------------------------------------------------------------------

    @invariant()
    def sequence_numbers_are_gap_free(self) -> None:
        assert self.broadcast_seqs == list(range(1, len(self.broadcast_seqs) + 1))
        assert self.room.sequence_number == len(self.broadcast_seqs)

    @invariant()
    def every_connected_client_sees_the_servers_state(self) -> None:
        server = PlaybackStateModel.of(self.room.playback)
        for client in self.clients.values():
            if client.conn_id is not None:
                assert client.state == server, client.name
                assert client.last_seq == self.room.sequence_number

    @invariant()
    def seats_match_connections(self) -> None:
        connected = {c.name for c in self.clients.values() if c.conn_id}
        assert {member.participant_id for member in self.room.members} == connected


FiveClients.TestCase.settings = settings(
    max_examples=120,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_five_clients = FiveClients.TestCase
