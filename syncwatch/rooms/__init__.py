"""Rooms: the pure core (`rooms.core`) and the Trio shell that runs it.

`room.Room` is the actor that feeds one `RoomState` from its inbox and performs
the effects; `registry` starts and stops the live rooms; `gateway` is the
`/ws/rooms/{code}` socket; `directory` creates, finds and deletes rooms in the
store. The wire format lives in `syncwatch.protocol`.
"""
