"""The WebSocket protocol: every message on `/ws/rooms/{code}` and `/ws/me`, defined once.

`wire` is the base model (camelCase, absent rather than null), `vocabulary` the
literal types several messages share, `messages` what a client may send and its
one parser, `server_messages` what the server sends (and `error_frame`, the one
place an error becomes a frame), `version` the negotiation of a client's
`hello`, and `schema` the JSON Schema the browser's types are generated from.
This package imports nothing from rooms or social: both speak it.
"""
