"""The WebSocket protocol: the messages rooms and social speak, defined once.

`wire` is the base model (camelCase, absent rather than null), `messages` what
a client may send and its one parser, `server_messages` what the server sends
(and `error_frame`, the one place an error becomes a frame), and `version` the
negotiation of a client's `hello` and the JSON Schema the browser's types are
generated from.
"""
