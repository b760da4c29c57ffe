"""The room core: one room as a pure state machine (sans-I/O, ADR 0003).

`state.RoomState` takes an event and the current time and returns `effects`.
The room's facts are in `context.RoomContext`, made of values that change only
by returning new ones: `membership.Membership`, `ownership.Ownership`,
`policy.RoomRules`, the playback state of `sync_math`. Each client message is
routed by `dispatch` to the handler of its concern: `commands` (sync commands,
countdown), `chat`, `voice` (signalling), `moderation` (the owner's
controls), `liveness` (heartbeats, reports), `ready_check` (the owner's "Ready?"),
`votes` (votes to pause or resume), `hosting` (temporary hosts); `handover`
decides ownership on join and in the watchdog, preferring the steadiest
connection (`stability`). `catchup`, `idempotency`, `chat_limits` and
`snapshot` keep what the handlers need between messages. Nothing here touches
a socket, a clock, a database or Trio.
"""
