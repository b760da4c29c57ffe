"""Rooms: the pure core (`rooms.core`) and the Trio shell that runs it.

`room.Room` is the actor that feeds one `RoomState` from its inbox and performs
the effects; `registry` starts and stops the live rooms; `directory` creates,
finds and deletes rooms in the store. The `/ws/rooms/{code}` socket that
seats connections is in the edge (`syncwatch.http.room_socket`); the wire
format lives in `syncwatch.protocol`.
"""
