"""Rooms: the sans-I/O room core and its WebSocket protocol.

`state.RoomState` is the pure state machine (with `commands`, `ownership`,
`moderation`, `chat`, `voice` as its parts), `effects` what it asks the Trio
actor to do, `messages` / `server_messages` / `protocol` the wire format, and
`sync_math` the playback arithmetic. The Trio actor, registry and gateway
(`room`, `registry`, `gateway`) perform the I/O around it.
"""
