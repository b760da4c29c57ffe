"""The room core: one room as a pure state machine (sans-I/O, ADR 0003).

`state.RoomState` takes an event and the current time and returns `effects`;
its parts decide one concern each: `commands` (sync commands and countdown),
`ownership` (failover and the way back), `moderation` (the owner's controls),
`chat`, `voice` (signalling), `presence` (members and liveness), `policy`
(who may drive playback), `catchup`, `idempotency`, `snapshot` and
`sync_math` (the playback arithmetic). Nothing here touches a socket, a clock,
a database or Trio.
"""
